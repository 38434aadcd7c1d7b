using System.Globalization;
using System.Text.Json.Nodes;

namespace IncidentBot.Slack.Inbound;

/// <summary>The modals: declare (also from a message) and post a status update.</summary>
internal static class SlackViews
{
    public const string DeclareCallback = "declare_incident";
    public const string UpdateCallback = "post_status_update";
    public const string TitleBlock = Core.Incidents.DeclareForm.TitleField;
    public const string SeverityBlock = Core.Incidents.DeclareForm.SeverityField;
    public const string TypeBlock = Core.Incidents.DeclareForm.TypeField;
    public const string DescriptionBlock = Core.Incidents.DeclareForm.DescriptionField;
    public const string FollowUpCallback = "add_followup";
    public const string FollowUpTextBlock = Core.FollowUps.FollowUpForm.TextField;
    public const string FollowUpOwnerBlock = Core.FollowUps.FollowUpForm.OwnerField;
    public const string FollowUpDueBlock = Core.FollowUps.FollowUpForm.DueField;
    public const string UpdateBlock = "update";
    public const string InputAction = "value";
    public const int MaxTitleLength = Core.Commands.CommandParser.MaxTitleLength;

    // Slack caps plain_text_input initial values; keep prefilled text well inside it.
    private const int MaxInitialText = 2900;

    public static JsonObject DeclareForm(string privateMetadata, string? initialTitle = null, string? initialDescription = null) => new()
    {
        ["type"] = "modal",
        ["callback_id"] = DeclareCallback,
        ["private_metadata"] = privateMetadata,
        ["title"] = PlainText("Declare incident"),
        ["submit"] = PlainText("Declare"),
        ["close"] = PlainText("Cancel"),
        ["blocks"] = new JsonArray(
            Input(TitleBlock, "Title", TextInput(multiline: false, MaxTitleLength, initialTitle)),
            Input(SeverityBlock, "Severity", Select(
                [("sev1", "Sev1: critical, customer-facing outage"), ("sev2", "Sev2: major degradation"), ("sev3", "Sev3: minor impact"), ("sev4", "Sev4: no customer impact")],
                "sev3")),
            Input(TypeBlock, "Type", Select([("livesite", "Livesite"), ("deployment", "Deployment"), ("customer", "Customer-reported")], "livesite")),
            Input(DescriptionBlock, "Description", TextInput(multiline: true, MaxInitialText, initialDescription), optional: true)),
    };

    public static JsonObject UpdateForm(long incidentId, string incidentKey) => new()
    {
        ["type"] = "modal",
        ["callback_id"] = UpdateCallback,
        ["private_metadata"] = incidentId.ToString(CultureInfo.InvariantCulture),
        ["title"] = PlainText($"Update {incidentKey}"[..Math.Min(24, $"Update {incidentKey}".Length)]),
        ["submit"] = PlainText("Post"),
        ["close"] = PlainText("Cancel"),
        ["blocks"] = new JsonArray(Input(UpdateBlock, "What is the status?", TextInput(multiline: true, MaxInitialText, null))),
    };

    /// <summary>"Add follow-up from this message": the text prefilled (editable), owner and due optional, the message's link shown.</summary>
    public static JsonObject FollowUpForm(string privateMetadata, string? initialText, string? sourceLink)
    {
        var blocks = new JsonArray(
            Input(FollowUpTextBlock, "Follow-up", TextInput(multiline: true, Core.FollowUps.FollowUpParser.MaxTextLength, initialText)),
            Input(FollowUpOwnerBlock, "Owner", new JsonObject { ["type"] = "users_select", ["action_id"] = InputAction, ["placeholder"] = PlainText("Unassigned") }, optional: true),
            Input(FollowUpDueBlock, "Due (YYYY-MM-DD or days, such as 7d)", TextInput(multiline: false, 10, null), optional: true));
        if (!string.IsNullOrEmpty(sourceLink))
        {
            blocks.Add(new JsonObject { ["type"] = "context", ["elements"] = new JsonArray(PlainText($"From {sourceLink}")) });
        }

        return new JsonObject
        {
            ["type"] = "modal",
            ["callback_id"] = FollowUpCallback,
            ["private_metadata"] = privateMetadata,
            ["title"] = PlainText("Add follow-up"),
            ["submit"] = PlainText("Add"),
            ["close"] = PlainText("Cancel"),
            ["blocks"] = blocks,
        };
    }

    private static JsonObject PlainText(string text) => new() { ["type"] = "plain_text", ["text"] = text };

    private static JsonObject Input(string blockId, string label, JsonObject element, bool optional = false) => new()
    {
        ["type"] = "input",
        ["block_id"] = blockId,
        ["optional"] = optional,
        ["label"] = PlainText(label),
        ["element"] = element,
    };

    private static JsonObject TextInput(bool multiline, int maxLength, string? initial)
    {
        var input = new JsonObject { ["type"] = "plain_text_input", ["action_id"] = InputAction, ["multiline"] = multiline, ["max_length"] = maxLength };
        if (!string.IsNullOrEmpty(initial))
        {
            input["initial_value"] = initial.Length > maxLength ? initial[..maxLength] : initial;
        }

        return input;
    }

    private static JsonObject Select((string Value, string Label)[] options, string initial)
    {
        JsonObject Option((string Value, string Label) o) => new() { ["text"] = PlainText(o.Label), ["value"] = o.Value };
        return new JsonObject
        {
            ["type"] = "static_select",
            ["action_id"] = InputAction,
            ["options"] = new JsonArray(options.Select(o => (JsonNode)Option(o)).ToArray()),
            ["initial_option"] = Option(options.First(o => o.Value == initial)),
        };
    }
}
