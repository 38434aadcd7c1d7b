namespace IncidentBot.Testing.Teams;

/// <summary>Conversations the fake Bot Connector refuses, as Teams does once the app was removed or blocked there.</summary>
public sealed partial class FakeTeamsServer
{
    /// <summary>Error codes and messages of the Teams Bot API's refusals of a conversation (msteams-docs, bot API status codes).</summary>
    public static class Refusals
    {
        public const string NotInRoster = "BotNotInConversationRoster";
        public const string BlockedByUser = "ConversationBlockedByUser";
        public const string NotFound = "ConversationNotFound";

        internal static string MessageOf(string code) => code switch
        {
            NotInRoster => "The bot is not part of the conversation roster.",
            BlockedByUser => "User blocked the conversation with the bot.",
            NotFound => "Conversation not found.",
            _ => "Scripted refusal",
        };
    }

    private readonly Dictionary<string, (int Status, string Code)> _refused = new(StringComparer.Ordinal);

    /// <summary>
    /// From now on every send to and update in <paramref name="conversationId"/> answers <paramref name="status"/> with
    /// <c>{"error":{"code":code,"message":...}}</c>: by default 403 <see cref="Refusals.NotInRoster"/>, what Teams answers
    /// in a 1:1 chat whose person removed the app.
    /// </summary>
    public void RefuseConversation(string conversationId, int status = 403, string code = Refusals.NotInRoster)
    {
        lock (_state)
        {
            _refused[conversationId] = (status, code);
        }
    }

    /// <summary>The refusal of <paramref name="conversationId"/>, if it is refused; called under the state lock.</summary>
    private Answer? Refusal(string conversationId) =>
        _refused.TryGetValue(conversationId, out var refusal) ? new(refusal.Status, Error(refusal.Code, Refusals.MessageOf(refusal.Code))) : null;
}
