namespace IncidentBot.Slack.Outbound;

/// <summary>What a Slack user id looks like: ASCII letters and digits only, so it is safe inside <c>&lt;@...&gt;</c>.</summary>
internal static class SlackIds
{
    public static bool IsUserId(string id) => id.Length > 0 && id.All(char.IsAsciiLetterOrDigit);
}
