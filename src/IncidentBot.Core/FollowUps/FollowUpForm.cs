using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;

namespace IncidentBot.Core.FollowUps;

/// <summary>
/// Validates the "Add follow-up from this message" form (Slack modal, Teams dialog) into the same
/// <see cref="AddFollowUpCommand"/> the typed <c>followup</c> makes; errors are keyed by the field they belong to.
/// </summary>
public sealed record FollowUpForm(AddFollowUpCommand? Command, Dictionary<string, string> Errors)
{
    public const string TextField = "followup_text";
    public const string OwnerField = "followup_owner";
    public const string DueField = "followup_due";

    /// <summary>The private answer when the form is started on a message outside an incident's conversation.</summary>
    public static readonly RichText NotInIncident = RichText.Of(
        $"Follow-ups belong to an incident: use {Run.Bold("Add follow-up from this message")} on a message in an incident's conversation.");

    /// <summary>The text the form opens with: the message's own text, whitespace folded, clipped to what a follow-up keeps.</summary>
    public static string Prefill(string? messageText)
    {
        var folded = string.Join(' ', (messageText ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return folded.Length > FollowUpParser.MaxTextLength ? folded[..FollowUpParser.MaxTextLength] : folded;
    }

    public static FollowUpForm Validate(string? text, Person? owner, string? due, string? sourceLink)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var trimmed = text?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            errors[TextField] = "Write what needs to be done.";
        }
        else if (trimmed.Length > FollowUpParser.MaxTextLength)
        {
            errors[TextField] = $"Keep the follow-up under {FollowUpParser.MaxTextLength} characters.";
        }

        DueSpec? dueSpec = null;
        if (due?.Trim() is { Length: > 0 } typed)
        {
            dueSpec = FollowUpParser.Due(typed.StartsWith("due:", StringComparison.OrdinalIgnoreCase) ? typed.AsSpan(4) : typed);
            if (dueSpec is null)
            {
                errors[DueField] = "Use YYYY-MM-DD or a number of days such as 7d.";
            }
        }

        return errors.Count > 0
            ? new FollowUpForm(null, errors)
            : new FollowUpForm(new AddFollowUpCommand(trimmed, owner, dueSpec, string.IsNullOrWhiteSpace(sourceLink) ? null : sourceLink), errors);
    }
}
