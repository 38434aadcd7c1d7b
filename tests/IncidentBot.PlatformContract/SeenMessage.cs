using IncidentBot.Core.Messaging;

namespace IncidentBot.PlatformContract;

/// <summary>
/// One message as a person sees it on a platform, read back from what the platform was sent (Block Kit, an Adaptive
/// Card, the sandbox's HTML) with the markup taken off: the text, the fields, the buttons and what they carry, the
/// people mentioned, the conversations linked, a file.
/// </summary>
/// <param name="Id">The platform's id of the message, as a click on one of its buttons names it.</param>
/// <param name="Text">Everything shown as text, title first, markup removed, mentions as <c>@Name</c>, icons as emoji.</param>
public sealed record SeenMessage(string Id, string Text)
{
    public IReadOnlyList<MessageField> Fields { get; init; } = [];

    public IReadOnlyList<SeenButton> Buttons { get; init; } = [];

    /// <summary>Mentions in the platform's own markup (Slack <c>&lt;@U…&gt;</c>, Teams <c>&lt;at&gt;</c> with its entity).</summary>
    public IReadOnlyList<SeenMention> Mentions { get; init; } = [];

    /// <summary>Conversations a link in the message opens, by the id the adapter stored for them.</summary>
    public IReadOnlyList<string> LinkedConversations { get; init; } = [];

    public SeenFile? File { get; init; }

    public override string ToString() =>
        $"[{Id}] {Text.ReplaceLineEndings(" / ")}"
        + (Fields.Count > 0 ? " {" + string.Join(", ", Fields.Select(f => $"{f.Label}={f.Value}")) + "}" : "")
        + (Buttons.Count > 0 ? " (" + string.Join(", ", Buttons.Select(b => $"{b.Label}->{b.ActionId}:{b.Value}")) + ")" : "")
        + (Mentions.Count > 0 ? " @" + string.Join(",", Mentions.Select(m => $"{m.Name}<{m.Id}>")) : "")
        + (LinkedConversations.Count > 0 ? " #" + string.Join(",", LinkedConversations) : "")
        + (File is { } file ? $" file {file.Name} ({file.Content.Length} chars)" : "");
}

/// <summary>A button as shown: its label, and the action id and value a click on it sends back.</summary>
public sealed record SeenButton(string Label, string ActionId, string Value);

/// <summary>A mention: the person's id where the platform carries one, and the name it shows.</summary>
public sealed record SeenMention(string? Id, string Name);

/// <summary>A file a person can open: its name where the platform shows one, and its content as downloaded.</summary>
public sealed record SeenFile(string? Name, string Content);
