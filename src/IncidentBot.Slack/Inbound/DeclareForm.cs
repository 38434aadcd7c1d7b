using IncidentBot.Core.Incidents;
using IncidentBot.Core.Service;

namespace IncidentBot.Slack.Inbound;

/// <summary>Validates the declare modal; errors are keyed by the input block they belong to.</summary>
internal sealed record DeclareForm(DeclareRequest? Request, Dictionary<string, string> Errors)
{
    public static DeclareForm Validate(string? title, string? severity, string? type, string? description)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var cleanTitle = title?.Trim() ?? "";
        if (cleanTitle.Length == 0)
        {
            errors[SlackViews.TitleBlock] = "Give the incident a title.";
        }
        else if (cleanTitle.Length > SlackViews.MaxTitleLength)
        {
            errors[SlackViews.TitleBlock] = $"Keep the title under {SlackViews.MaxTitleLength} characters.";
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
            errors[SlackViews.SeverityBlock] = "Pick a severity.";
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
            errors[SlackViews.TypeBlock] = "Pick a type.";
        }

        return errors.Count > 0
            ? new DeclareForm(null, errors)
            : new DeclareForm(new DeclareRequest(cleanTitle, parsedSeverity!.Value, parsedType!.Value, description?.Trim() ?? ""), errors);
    }
}
