using System.Globalization;
using System.Text;
using IncidentBot.Core.FollowUps;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Timeline;

namespace IncidentBot.Core.Postmortems;

/// <summary>Turns an incident and its timeline into the postmortem draft; the same input gives the same bytes.</summary>
public static class PostmortemWriter
{
    private static readonly System.Buffers.SearchValues<char> NeedsEscape = System.Buffers.SearchValues.Create("|\r\n`<>\\");

    private static readonly string[] EmptySections = ["Summary", "Impact", "Root cause", "What went well", "What went wrong", "Where we got lucky"];

    public static PostmortemDraft Build(Incident incident, IReadOnlyList<TimelineEntry> timeline, TimeZoneInfo timeZone, string? conversationLink = null)
    {
        var visible = timeline.Where(e => !e.Redacted).OrderBy(e => e.At).ThenBy(e => e.Id).ToList();
        var participants = new SortedSet<string>(StringComparer.Ordinal) { incident.Commander.Name };
        foreach (var entry in visible.Where(e => e.Actor.Id != Person.Bot.Id))
        {
            participants.Add(entry.Actor.Name);
        }

        foreach (var person in incident.Roles.Values)
        {
            participants.Add(person.Name);
        }

        PostmortemEvent ToEvent(TimelineEntry e) => new(e.Id, TimeZoneInfo.ConvertTime(e.At, timeZone), e.Kind.ToString(), e.Actor.Name, e.Text);
        var updates = visible.Where(e => e.Kind == TimelineKind.StatusUpdate).Select(ToEvent).ToList();
        return new PostmortemDraft
        {
            Key = incident.Key,
            IsDrill = incident.IsDrill,
            Number = incident.Number,
            Title = incident.Title,
            Severity = incident.Severity.ToString(),
            Type = IncidentMessages.TypeLabel(incident.Type),
            State = incident.State.ToString(),
            Commander = incident.Commander.Name,
            Roles = incident.Roles.Select(r => new PostmortemRole(r.Key, r.Value.Name)).ToList(),
            ConversationId = incident.ConversationId,
            ConversationLink = conversationLink,
            TimeZone = timeZone.Id,
            DeclaredAt = TimeZoneInfo.ConvertTime(incident.DeclaredAt, timeZone),
            AcknowledgedAt = incident.AcknowledgedAt is { } a ? TimeZoneInfo.ConvertTime(a, timeZone) : null,
            MitigatedAt = incident.MitigatedAt is { } m ? TimeZoneInfo.ConvertTime(m, timeZone) : null,
            ResolvedAt = incident.ResolvedAt is { } r ? TimeZoneInfo.ConvertTime(r, timeZone) : null,
            TimeToAcknowledge = incident.TimeToAcknowledge,
            TimeToMitigate = incident.TimeToMitigate,
            TimeToResolve = incident.TimeToResolve,
            ReviewedAt = incident.ReviewedAt is { } rv ? TimeZoneInfo.ConvertTime(rv, timeZone) : null,
            ReviewedBy = incident.ReviewedBy?.Name,
            ClosedAt = incident.ClosedAt is { } c ? TimeZoneInfo.ConvertTime(c, timeZone) : null,
            TimeToReview = incident.TimeToReview,
            TimeToClose = incident.TimeToClose,
            ActionItems = incident.FollowUps.Select(ActionItem).ToList(),
            StatusUpdateCount = updates.Count,
            Participants = participants.ToList(),
            Timeline = visible.Select(ToEvent).ToList(),
            StatusUpdates = updates,
            IsFinal = !incident.IsOpen,
        };
    }

    public static string ToMarkdown(PostmortemDraft draft)
    {
        var md = new StringBuilder(4096 + (draft.Timeline.Count * 96));
        md.Append(CultureInfo.InvariantCulture, $"# {(draft.IsDrill ? "Drill " : "")}{draft.Key} postmortem: {Inline(draft.Title)}\n\n");
        if (draft.IsDrill)
        {
            md.Append("> Drill: a rehearsal on a fake incident, not an outage. It is left out of insights.\n\n");
        }

        if (!draft.IsFinal)
        {
            md.Append("> Draft: the incident is not resolved yet; this draft will be final after resolve.\n\n");
        }

        md.Append("| Field | Value |\n| --- | --- |\n");
        Row(md, "Number", draft.Key);
        Row(md, "Title", draft.Title);
        Row(md, "Severity", draft.Severity);
        Row(md, "Type", draft.Type);
        Row(md, "State", draft.State);
        Row(md, "Commander", draft.Commander);
        Row(md, "Roles", draft.Roles.Count == 0 ? "-" : string.Join(", ", draft.Roles.Select(r => $"{r.Role}: {r.Person}")));
        Row(md, "Conversation", draft.ConversationLink ?? draft.ConversationId ?? "-");
        Row(md, "Reviewed", draft.ReviewedAt is { } reviewed ? $"{Instant(reviewed, null)} by {draft.ReviewedBy ?? "-"}" : "not yet");
        Row(md, "Closed", draft.ClosedAt is { } closed ? Instant(closed, null) : "not yet");

        md.Append("\n## Key metrics\n\n| Metric | Value |\n| --- | --- |\n");
        Row(md, "Declared at", Instant(draft.DeclaredAt, draft.TimeZone));
        Row(md, "Time to acknowledge", IncidentMessages.FormatDuration(draft.TimeToAcknowledge));
        Row(md, "Time to mitigate", IncidentMessages.FormatDuration(draft.TimeToMitigate));
        Row(md, "Time to resolve", IncidentMessages.FormatDuration(draft.TimeToResolve));
        Row(md, "Time to review", IncidentMessages.FormatDuration(draft.TimeToReview));
        Row(md, "Time to close", IncidentMessages.FormatDuration(draft.TimeToClose));
        Row(md, "Status updates", draft.StatusUpdateCount.ToString(CultureInfo.InvariantCulture));
        Row(md, "Participants", draft.Participants.Count.ToString(CultureInfo.InvariantCulture));

        md.Append(CultureInfo.InvariantCulture, $"\n## Timeline ({draft.TimeZone})\n\n| Time | Event | Who | What |\n| --- | --- | --- | --- |\n");
        foreach (var e in draft.Timeline)
        {
            md.Append("| ").Append(Instant(e.At, null)).Append(" | ").Append(e.Kind).Append(" | ")
              .Append(Cell(e.Actor)).Append(" | ").Append(Cell(e.Text)).Append(" |\n");
        }

        md.Append("\n## Status updates\n\n");
        if (draft.StatusUpdates.Count == 0)
        {
            md.Append("_None were posted._\n");
        }

        foreach (var u in draft.StatusUpdates)
        {
            md.Append(CultureInfo.InvariantCulture, $"### {Instant(u.At, null)}, {Inline(u.Actor)}\n\n{Block(u.Text)}\n\n");
        }

        md.Append(draft.StatusUpdates.Count == 0 ? "\n" : "").Append("## Participants and roles\n\n");
        md.Append(CultureInfo.InvariantCulture, $"- Commander: {Inline(draft.Commander)}\n");
        foreach (var role in draft.Roles)
        {
            md.Append(CultureInfo.InvariantCulture, $"- {Inline(role.Role)}: {Inline(role.Person)}\n");
        }

        foreach (var person in draft.Participants)
        {
            md.Append(CultureInfo.InvariantCulture, $"- {Inline(person)}\n");
        }

        foreach (var section in EmptySections)
        {
            md.Append(CultureInfo.InvariantCulture, $"\n## {section}\n\n_To fill._\n");
        }

        ActionItems(md, draft.ActionItems);
        return md.ToString();
    }

    private static PostmortemActionItem ActionItem(FollowUp f) => new(
        f.Number, f.Text, FollowUpMessages.OwnerName(f), f.Due?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        f.State.ToString().ToLowerInvariant(), f.DropReason, f.TrackerUrl);

    /// <summary>Every follow-up as a row; a dropped one says why.</summary>
    private static void ActionItems(StringBuilder md, IReadOnlyList<PostmortemActionItem> items)
    {
        md.Append("\n## Action items\n\n");
        if (items.Count == 0)
        {
            md.Append("_None recorded: add them in the incident's conversation with the followup command._\n");
            return;
        }

        md.Append("| Id | Action | Owner | Due | State | Tracker |\n| --- | --- | --- | --- | --- | --- |\n");
        foreach (var item in items)
        {
            md.Append("| ").Append(item.Id.ToString(CultureInfo.InvariantCulture)).Append(" | ").Append(Cell(item.Text))
              .Append(" | ").Append(Cell(item.Owner)).Append(" | ").Append(item.Due ?? "-")
              .Append(" | ").Append(item.DropReason is { } reason ? Cell($"{item.State}: {reason}") : item.State)
              .Append(" | ").Append(item.TrackerUrl is { } url ? Cell(url) : "-").Append(" |\n");
        }
    }

    private static void Row(StringBuilder md, string label, string value) =>
        md.Append("| ").Append(label).Append(" | ").Append(Cell(value)).Append(" |\n");

    private static string Instant(DateTimeOffset at, string? zone)
    {
        var text = at.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture);
        return zone is null ? text : $"{text} ({zone})";
    }

    /// <summary>Text in a table cell: pipes, newlines and backticks escaped so chat text cannot break the table.</summary>
    public static string Cell(string text)
    {
        if (text.AsSpan().IndexOfAny(NeedsEscape) < 0)
        {
            return text;
        }

        var sb = new StringBuilder(text.Length + 16);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '|': sb.Append("\\|"); break;
                case '`': sb.Append("\\`"); break;
                case '\\': sb.Append("\\\\"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '\r' when i + 1 < text.Length && text[i + 1] == '\n': break;
                case '\r' or '\n': sb.Append("<br>"); break;
                default: sb.Append(c); break;
            }
        }

        return sb.ToString();
    }

    private static string Inline(string text) => Cell(text);

    /// <summary>A status update in full, as a quote block so its Markdown cannot open headings or fences.</summary>
    private static string Block(string text) =>
        string.Join('\n', text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').Select(line => "> " + line.Replace("`", "\\`", StringComparison.Ordinal)));
}
