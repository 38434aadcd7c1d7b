using System.Collections.Immutable;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Postmortems;
using IncidentBot.Core.Timeline;

namespace IncidentBot.Core.Tests.Postmortems;

public sealed class PostmortemWriterTests
{
    private static readonly DateTimeOffset Declared = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly Person Ada = new("U1", "Ada");

    private static Incident Resolved() => new()
    {
        Id = 3,
        Platform = "slack",
        WorkspaceId = "T1",
        Number = 12,
        Title = "Checkout | errors",
        Severity = Severity.Sev2,
        State = IncidentState.Resolved,
        Commander = Ada,
        DeclaredBy = Ada,
        DeclaredAt = Declared,
        AcknowledgedAt = Declared.AddMinutes(2),
        MitigatedAt = Declared.AddMinutes(20),
        ResolvedAt = Declared.AddMinutes(61),
        Roles = ImmutableSortedDictionary<string, Person>.Empty.Add("scribe", new Person("U2", "Grace")),
        ConversationId = "C42",
    };

    private static TimelineEntry Entry(long id, int minute, TimelineKind kind, string text, bool redacted = false) => new()
    {
        Id = id,
        IncidentId = 3,
        At = Declared.AddMinutes(minute),
        Kind = kind,
        Actor = Ada,
        Text = text,
        Redacted = redacted,
    };

    [Test]
    public void ToMarkdown_HasEverySection()
    {
        var md = PostmortemWriter.ToMarkdown(PostmortemWriter.Build(Resolved(), [Entry(1, 0, TimelineKind.Declared, "declared")], TimeZoneInfo.Utc));

        foreach (var heading in new[] { "## Key metrics", "## Timeline", "## Status updates", "## Participants and roles", "## Summary", "## Impact", "## Root cause", "## What went well", "## What went wrong", "## Where we got lucky", "## Action items" })
        {
            Assert.That(md, Does.Contain(heading + (heading == "## Timeline" ? " (UTC)" : "")), heading);
        }

        Assert.That(md, Does.Contain("| Time to acknowledge | 2m 00s |"));
        Assert.That(md, Does.Contain("| Time to resolve | 1h 01m |"));
        Assert.That(md, Does.Contain("## Action items\n\n_None recorded"), "no follow-ups: the section says so");
        Assert.That(md, Does.Not.Contain("Draft: the incident is not resolved"));
    }

    [Test]
    public void ToMarkdown_ChatTextWithPipesNewlinesBackticks_CannotBreakTable()
    {
        var nasty = "a | b\nnew row | x\r\n```code``` and \\ end";
        var md = PostmortemWriter.ToMarkdown(PostmortemWriter.Build(Resolved(), [Entry(1, 5, TimelineKind.Note, nasty)], TimeZoneInfo.Utc));

        var row = md.Split('\n').Single(l => l.Contains("Note", StringComparison.Ordinal) && l.StartsWith('|'));
        var unescapedPipes = 0;
        for (var i = 0; i < row.Length; i++)
        {
            if (row[i] == '|' && (i == 0 || row[i - 1] != '\\'))
            {
                unescapedPipes++;
            }
        }

        Assert.That(unescapedPipes, Is.EqualTo(5), "4 cells need exactly 5 unescaped separators");
        Assert.That(row, Does.Contain("a \\| b<br>new row \\| x<br>\\`\\`\\`code"));
        Assert.That(md, Does.Contain("| Title | Checkout \\| errors |"));
    }

    [Test]
    public void Build_RedactedEntries_LeftOut()
    {
        var draft = PostmortemWriter.Build(Resolved(), [Entry(1, 1, TimelineKind.Note, "keep me"), Entry(2, 2, TimelineKind.Note, "secret", redacted: true)], TimeZoneInfo.Utc);

        Assert.That(draft.Timeline.Select(e => e.Text), Is.EqualTo(new[] { "keep me" }));
    }

    [Test]
    public void Build_TimeZone_RendersLocalTimes()
    {
        var paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

        var md = PostmortemWriter.ToMarkdown(PostmortemWriter.Build(Resolved(), [Entry(1, 0, TimelineKind.Declared, "declared")], paris));

        Assert.That(md, Does.Contain("## Timeline (Europe/Paris)"));
        Assert.That(md, Does.Contain("| 2026-11-02 10:00:00 +01:00 | Declared |"));
    }

    [Test]
    public void ToMarkdown_SameInput_SameOutput()
    {
        var entries = Enumerable.Range(1, 50).Select(i => Entry(i, i, i % 5 == 0 ? TimelineKind.StatusUpdate : TimelineKind.Note, $"entry {i}")).ToList();

        var first = PostmortemWriter.ToMarkdown(PostmortemWriter.Build(Resolved(), entries, TimeZoneInfo.Utc));
        var second = PostmortemWriter.ToMarkdown(PostmortemWriter.Build(Resolved(), entries.AsEnumerable().Reverse().ToList(), TimeZoneInfo.Utc));

        Assert.That(second, Is.EqualTo(first));
        Assert.That(first, Does.Contain("| Status updates | 10 |"));
    }

    [Test]
    public void ToMarkdown_OpenIncident_SaysDraftIsNotFinal()
    {
        var md = PostmortemWriter.ToMarkdown(PostmortemWriter.Build(Resolved() with { State = IncidentState.Acknowledged, ResolvedAt = null }, [], TimeZoneInfo.Utc));

        Assert.That(md, Does.Contain("not resolved yet"));
    }
}
