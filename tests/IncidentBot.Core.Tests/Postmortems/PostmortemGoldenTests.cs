using System.Collections.Immutable;
using System.Text.Json;
using IncidentBot.Core.FollowUps;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Postmortems;
using IncidentBot.Core.Timeline;

namespace IncidentBot.Core.Tests.Postmortems;

/// <summary>The Markdown draft byte for byte against a reviewed golden file.</summary>
public sealed class PostmortemGoldenTests
{
    private static readonly DateTimeOffset Declared = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly Person Ada = new("U1", "Ada");
    private static readonly Person Grace = new("U2", "Grace");

    private static readonly JsonSerializerOptions WebJson = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private static string GoldenPath(string name) => Path.Combine(AppContext.BaseDirectory, "Postmortems", "Golden", name);

    private static (Incident, List<TimelineEntry>) Sample()
    {
        var incident = new Incident
        {
            Id = 3,
            Platform = "slack",
            WorkspaceId = "T1",
            Number = 12,
            Title = "Checkout errors in EU",
            Severity = Severity.Sev2,
            Type = IncidentType.Deployment,
            State = IncidentState.Reviewed,
            Commander = Grace,
            DeclaredBy = Ada,
            DeclaredAt = Declared,
            AcknowledgedAt = Declared.AddMinutes(3),
            MitigatedAt = Declared.AddMinutes(27),
            ResolvedAt = Declared.AddMinutes(95),
            Roles = ImmutableSortedDictionary<string, Person>.Empty.Add("scribe", new Person("U3", "Linus")),
            ConversationId = "C0INC12",
            ReviewedAt = Declared.AddDays(2),
            ReviewedBy = Ada,
            FollowUps =
            [
                new FollowUp { Number = 4, Text = "Alert on 5xx rate per region", Owner = Grace, Due = new DateOnly(2026, 11, 20), CreatedBy = Ada, CreatedAt = Declared.AddMinutes(40) },
                new FollowUp
                {
                    Number = 5, Text = "Canary deploys | EU first", State = FollowUpState.Done, TrackerUrl = "https://github.com/acme/shop/issues/77",
                    CreatedBy = Grace, CreatedAt = Declared.AddMinutes(50), ClosedAt = Declared.AddDays(1),
                },
                new FollowUp
                {
                    Number = 6, Text = "Rewrite checkout", State = FollowUpState.Dropped, DropReason = "out of scope; see #5",
                    CreatedBy = Ada, CreatedAt = Declared.AddMinutes(55), ClosedAt = Declared.AddDays(1),
                },
            ],
        };
        var n = 0;
        TimelineEntry E(int minute, TimelineKind kind, Person who, string text, bool redacted = false) =>
            new() { Id = ++n, IncidentId = 3, At = Declared.AddMinutes(minute), Kind = kind, Actor = who, Text = text, Redacted = redacted };
        return (incident,
        [
            E(0, TimelineKind.Declared, Ada, "Ada declared INC-12: Checkout errors in EU (Sev2, Deployment) and is commander."),
            E(3, TimelineKind.StateChanged, Grace, "Grace marked the incident acknowledged."),
            E(5, TimelineKind.RoleAssigned, Ada, "Ada made Grace commander."),
            E(9, TimelineKind.MessagePinned, new Person("U7", "Sam"), "Error rate 12% | p99 4s\nrollback?"),
            E(12, TimelineKind.Note, Ada, "internal chatter", redacted: true),
            E(15, TimelineKind.StatusUpdate, Grace, "Rolling back deploy `2026.11.02-3`.\nCustomers see intermittent 502s."),
            E(27, TimelineKind.StateChanged, Grace, "Grace marked the incident mitigated."),
            E(60, TimelineKind.ReminderSent, Person.Bot, "Reminded Grace to post a status update (33m 00s since the last one)."),
            E(95, TimelineKind.StateChanged, Grace, "Grace marked the incident resolved."),
        ]);
    }

    [TestCase("UTC", "INC-12.utc.md")]
    [TestCase("Europe/Paris", "INC-12.paris.md")]
    public void ToMarkdown_MatchesGoldenFile(string zone, string golden)
    {
        var (incident, timeline) = Sample();

        // The link is what the Slack adapter configures (PlatformSettings.ConversationLinkTemplate).
        var link = $"https://slack.com/app_redirect?channel={incident.ConversationId}";
        var markdown = PostmortemWriter.ToMarkdown(PostmortemWriter.Build(incident, timeline, TimeZoneInfo.FindSystemTimeZoneById(zone), link));

        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(Path.Combine(TestContext.CurrentContext.TestDirectory, "..", "..", "..", "Postmortems", "Golden", golden), markdown);
        }

        Assert.That(markdown, Is.EqualTo(File.ReadAllText(GoldenPath(golden))));
    }

    [Test]
    public void Json_MatchesGoldenFile()
    {
        var (incident, timeline) = Sample();

        // The shape GET /api/incidents/{n}/postmortem serves with Accept: application/json (ASP.NET Core's web defaults).
        var json = JsonSerializer.Serialize(PostmortemWriter.Build(incident, timeline, TimeZoneInfo.Utc), WebJson) + "\n";

        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(Path.Combine(TestContext.CurrentContext.TestDirectory, "..", "..", "..", "Postmortems", "Golden", "INC-12.json"), json);
        }

        Assert.That(json, Is.EqualTo(File.ReadAllText(GoldenPath("INC-12.json"))));
    }
}
