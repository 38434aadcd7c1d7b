using System.Text.Json;
using IncidentBot.Core.Commands;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Postmortems;

namespace IncidentBot.Core.Tests.Incidents;

/// <summary>Drills: declared with <c>--drill</c> (or on a drills-only platform), and marked as such wherever they show.</summary>
public sealed class DrillTests
{
    private static readonly Person Ada = new("U1", "Ada");
    private static readonly JsonSerializerOptions WebJson = new(JsonSerializerDefaults.Web);

    private static Incident Sample(bool drill) => new()
    {
        Id = 1,
        Platform = "slack",
        WorkspaceId = "T1",
        Number = 7,
        Title = "Checkout errors",
        Severity = Severity.Sev2,
        Commander = Ada,
        DeclaredBy = Ada,
        DeclaredAt = new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero),
        Version = 1,
        IsDrill = drill,
    };

    [Test]
    public void Parse_DeclareWithDrill_AnywhereAmongTheWords()
    {
        Assert.That(CommandParser.Parse("declare --drill Checkout errors sev2"), Is.EqualTo(new DeclareCommand("Checkout errors", Severity.Sev2, null, Drill: true)));
        Assert.That(CommandParser.Parse("declare Checkout errors sev2 --DRILL"), Is.EqualTo(new DeclareCommand("Checkout errors", Severity.Sev2, null, Drill: true)));
        Assert.That(CommandParser.Parse("declare Checkout errors sev2"), Is.EqualTo(new DeclareCommand("Checkout errors", Severity.Sev2, null)));
        Assert.That(CommandParser.HelpText.PlainText, Does.Contain("--drill"));
    }

    [Test]
    public void HeaderAndAnnouncement_SayDrill_OnlyForADrill()
    {
        Assert.That(IncidentMessages.Header(Sample(drill: true)).Text.PlainText, Is.EqualTo("Drill: Sev2 Livesite incident"));
        Assert.That(IncidentMessages.Header(Sample(drill: false)).Text.PlainText, Is.EqualTo("Sev2 Livesite incident"));
        var announcement = DeclareMessages.Announcement(Sample(drill: true));
        Assert.That(announcement.Title!.PlainText, Does.Contain("Drill: INC-7 declared"));
        Assert.That(announcement.Text.PlainText, Does.StartWith("This is a drill"));
        Assert.That(DeclareMessages.Announcement(Sample(drill: false)).Text.PlainText, Does.Not.Contain("drill"));
    }

    [Test]
    public void Postmortem_OfADrill_SaysDrill_AndARealOnesJsonHasNoDrillField()
    {
        var drill = PostmortemWriter.Build(Sample(drill: true), [], TimeZoneInfo.Utc);
        var markdown = PostmortemWriter.ToMarkdown(drill);
        Assert.That(markdown, Does.StartWith("# Drill INC-7 postmortem: Checkout errors\n\n> Drill: a rehearsal"));
        Assert.That(JsonSerializer.Serialize(drill, WebJson), Does.Contain("\"isDrill\":true"));

        var real = PostmortemWriter.Build(Sample(drill: false), [], TimeZoneInfo.Utc);
        Assert.That(PostmortemWriter.ToMarkdown(real), Does.StartWith("# INC-7 postmortem").And.Not.Contain("Drill"));
        Assert.That(JsonSerializer.Serialize(real, WebJson), Does.Not.Contain("isDrill"));
    }
}
