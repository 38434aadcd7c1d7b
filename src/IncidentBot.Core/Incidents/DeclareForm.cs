using IncidentBot.Core.Commands;
using IncidentBot.Core.Incidents;

namespace IncidentBot.Core.Incidents;

/// <summary>
/// Validates a declare form (Slack modal, Teams card); errors are keyed by the field they belong to,
/// and both platforms name their inputs after these fields.
/// </summary>
public sealed record DeclareForm(DeclareRequest? Request, Dictionary<string, string> Errors)
{
    public const string TitleField = "title";
    public const string SeverityField = "severity";
    public const string TypeField = "type";
    public const string DescriptionField = "description";

    /// <summary>The form's prefill from a chat message: its first line as the title, its text and link as the description.</summary>
    public static (string Title, string Description) Prefill(string text, string? link) =>
        (text.Split('\n', 2)[0], link is null ? text : $"{text}\n\nFrom: {link}");

    public static DeclareForm Validate(string? title, string? severity, string? type, string? description)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var cleanTitle = title?.Trim() ?? "";
        if (cleanTitle.Length == 0)
        {
            errors[TitleField] = "Give the incident a title.";
        }
        else if (cleanTitle.Length > CommandParser.MaxTitleLength)
        {
            errors[TitleField] = $"Keep the title under {CommandParser.MaxTitleLength} characters.";
        }

        Severity? parsedSeverity = severity switch
        {
            "sev1" => Severity.Sev1,
            "sev2" => Severity.Sev2,
            "sev3" => Severity.Sev3,
            "sev4" => Severity.Sev4,
            _ => null,
        };
        if (parsedSeverity is null)
        {
            errors[SeverityField] = "Pick a severity.";
        }

        IncidentType? parsedType = type switch
        {
            "livesite" => IncidentType.Livesite,
            "deployment" => IncidentType.Deployment,
            "customer" => IncidentType.CustomerReported,
            _ => null,
        };
        if (parsedType is null)
        {
            errors[TypeField] = "Pick a type.";
        }

        return errors.Count > 0
            ? new DeclareForm(null, errors)
            : new DeclareForm(new DeclareRequest(cleanTitle, parsedSeverity!.Value, parsedType!.Value, description?.Trim() ?? ""), errors);
    }
}
