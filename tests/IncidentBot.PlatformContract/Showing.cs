using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;

namespace IncidentBot.PlatformContract;

/// <summary>
/// Whether a message seen on a platform shows a neutral message: what the contract expects of every renderer, derived
/// from the neutral message itself so that every kind, old or new, is held to the same rules.
/// </summary>
public static class Showing
{
    /// <summary>What a person sees for an icon on every platform (Slack's emoji codes render as these).</summary>
    public static string Emoji(Icon icon) => icon switch
    {
        Icon.Alert => "🚨",
        Icon.Celebration => "🎉",
        _ => "",
    };

    /// <summary>The lines of text a person must be able to read: plain text with people by name and icons as emoji.</summary>
    public static IEnumerable<string> Lines(RichText? text) =>
        text is null ? [] : text.ToPlainText(Emoji).Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0);

    /// <summary>Why <paramref name="seen"/> does not show <paramref name="message"/>, or null when it does.</summary>
    /// <param name="people">Who may be mentioned, to check a mention shows the right name.</param>
    /// <param name="incidentConversation">Where a link to the incident's conversation must lead.</param>
    public static string? Mismatch(SeenMessage seen, ChatMessage message, IReadOnlyList<Person> people, string? incidentConversation)
    {
        // A person mentioned in the text may show as "@Name" or as "Name" (Teams names them, the entity is the mention).
        var shown = seen.Text.Replace("@", "", StringComparison.Ordinal);
        if (Lines(message.Title).Concat(Lines(message.Text)).FirstOrDefault(l => !shown.Contains(l.Replace("@", "", StringComparison.Ordinal), StringComparison.Ordinal)) is { } missing)
        {
            return $"no text \"{missing}\"";
        }

        var fields = message.Fields.Select(f => new MessageField(f.Label.Trim(), f.Value.Trim()));
        if (!seen.Fields.SequenceEqual(fields))
        {
            return "other fields";
        }

        if (!seen.Buttons.SequenceEqual(message.Buttons.Select(b => new SeenButton(b.Label, b.ActionId, b.Value))))
        {
            return "other buttons";
        }

        foreach (var person in message.Mentions.Select(id => people.FirstOrDefault(p => p.Id == id)).OfType<Person>())
        {
            if (!seen.Mentions.Any(m => (m.Id ?? person.Id) == person.Id && m.Name == person.Name))
            {
                return $"no mention of {person.Name}";
            }
        }

        if (message.LinksIncidentConversation && incidentConversation is not null && !seen.LinkedConversations.Contains(incidentConversation))
        {
            return "no link to the incident's conversation";
        }

        return null;
    }

    /// <summary>Why <paramref name="seen"/> does not offer <paramref name="file"/>, or null when it does.</summary>
    public static string? Mismatch(SeenMessage seen, ChatFile file)
    {
        if (seen.File is not { } offered)
        {
            return "no file";
        }

        if (offered.Content != file.Content)
        {
            return "other file content";
        }

        if (!seen.Text.Contains(file.Title, StringComparison.Ordinal))
        {
            return $"no title \"{file.Title}\"";
        }

        return (offered.Name ?? seen.Text).Contains(file.Name, StringComparison.Ordinal) ? null : $"no file name \"{file.Name}\"";
    }
}
