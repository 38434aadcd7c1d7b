using System.Text.Json.Nodes;

namespace IncidentBot.Slack.Inbound;

/// <summary>A message read back from Slack (for reactions, whose event carries no text).</summary>
public sealed record SlackMessageText(string Text, string? User, string Ts);

/// <summary>
/// The Web API calls the inbound edge makes while it answers: modals must open within the
/// trigger's 3 seconds, private replies go to one person, and captured messages are read back.
/// </summary>
public interface ISlackInteractiveApi
{
    Task OpenViewAsync(string triggerId, JsonObject view, CancellationToken cancellationToken);

    Task PostEphemeralAsync(string channel, string user, string text, CancellationToken cancellationToken);

    Task<string?> GetPermalinkAsync(string channel, string messageTs, CancellationToken cancellationToken);

    Task<SlackMessageText?> GetMessageAsync(string channel, string messageTs, CancellationToken cancellationToken);

    /// <summary>The person's name as Slack shows it (display name, else real name), or the id when Slack cannot say.</summary>
    Task<string> DisplayNameAsync(string user, CancellationToken cancellationToken);
}
