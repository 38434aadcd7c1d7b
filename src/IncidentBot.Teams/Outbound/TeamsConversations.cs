namespace IncidentBot.Teams.Outbound;

/// <summary>What a Teams conversation id says about itself, and links to it.</summary>
public static class TeamsConversations
{
    private const string MessageIdMarker = ";messageid=";

    /// <summary>
    /// A channel itself (<c>19:...@thread.tacv2</c>, no <c>;messageid=</c>): posting there starts a new thread.
    /// Threads, chats (<c>a:...</c>, <c>19:...@unq.gbl.spaces</c>) and meetings take a plain send.
    /// </summary>
    public static bool IsChannel(string conversationId) =>
        conversationId.StartsWith("19:", StringComparison.Ordinal)
        && conversationId.Contains("@thread.", StringComparison.Ordinal)
        && !conversationId.Contains(MessageIdMarker, StringComparison.Ordinal);

    /// <summary>The channel part of a thread id (everything before <c>;messageid=</c>).</summary>
    public static string ChannelOf(string conversationId)
    {
        var at = conversationId.IndexOf(MessageIdMarker, StringComparison.Ordinal);
        return at < 0 ? conversationId : conversationId[..at];
    }

    /// <summary>The root message id of a thread id, or null when it is no thread.</summary>
    public static string? MessageIdOf(string conversationId)
    {
        var at = conversationId.IndexOf(MessageIdMarker, StringComparison.Ordinal);
        return at < 0 || at + MessageIdMarker.Length == conversationId.Length ? null : conversationId[(at + MessageIdMarker.Length)..];
    }

    /// <summary>
    /// A Teams deep link to a channel thread (<c>https://teams.microsoft.com/l/message/{channelId}/{messageId}</c>),
    /// or null for conversations that have none we can build (chats).
    /// </summary>
    public static string? DeepLink(string? conversationId)
    {
        if (conversationId is null || MessageIdOf(conversationId) is not { } messageId)
        {
            return null;
        }

        var channel = ChannelOf(conversationId);
        return channel.StartsWith("19:", StringComparison.Ordinal)
            ? $"https://teams.microsoft.com/l/message/{Uri.EscapeDataString(channel)}/{Uri.EscapeDataString(messageId)}"
            : null;
    }
}
