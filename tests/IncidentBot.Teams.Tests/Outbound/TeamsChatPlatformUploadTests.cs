using System.Text.Json.Nodes;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Ports;
using IncidentBot.Teams.Outbound;

namespace IncidentBot.Teams.Tests.Outbound;

/// <summary>The postmortem "upload": a card with the metrics and the export link, the Markdown behind a Show button when it fits.</summary>
public sealed class TeamsChatPlatformUploadTests
{
    private const string IncidentThread = "19:incidents0000@thread.tacv2;messageid=1767000000000";
    private TeamsOutboundRig _rig = null!;

    [TearDown]
    public async Task TearDownAsync() => await _rig.DisposeAsync();

    private async Task StartAsync(string? publicBaseUrl)
    {
        _rig = await TeamsOutboundRig.StartAsync(o => o.PublicBaseUrl = publicBaseUrl);
        var declared = _rig.Context.Incident.DeclaredAt;
        _rig.Context.Incident = _rig.Context.Incident with
        {
            ConversationId = IncidentThread,
            AcknowledgedAt = declared.AddMinutes(4),
            MitigatedAt = declared.AddMinutes(42),
            ResolvedAt = declared.AddHours(2).AddMinutes(5),
        };
    }

    private static OutgoingMessage Upload(string content) => new()
    {
        Platform = "teams",
        Operation = ChatOperation.UploadFile,
        File = new ChatFile("INC-12-postmortem.md", "INC-12 postmortem draft", content),
    };

    [Test]
    public async Task Upload_Postmortem_CardWithMetricsLinkAndTheMarkdownBehindShow()
    {
        await StartAsync("https://bot.example.com");
        const string Markdown = "# INC-12 postmortem\n\n| a | b |\nünïcödé";

        Assert.That(await _rig.DeliverAsync(Upload(Markdown)), Is.TypeOf<Delivered>());

        var activity = _rig.Fake.ActivitiesIn(IncidentThread).Single();
        var card = activity.Card!.ToJsonString();
        Assert.That(card, Does.Contain("INC-12 postmortem draft"));
        Assert.That(card, Does.Contain("https://bot.example.com/api/incidents/12/postmortem"));
        var facts = activity.Card!["body"]!.AsArray().Single(b => (string?)b!["type"] == "FactSet")!["facts"]!.AsArray();
        Assert.That(facts.Select(f => $"{f!["title"]}={f["value"]}"), Is.EqualTo(new[] { "Time to acknowledge=4m 00s", "Time to mitigate=42m 00s", "Time to resolve=2h 05m" }));
        Assert.That(((JsonArray)activity.Activity["attachments"]!).Select(a => (string?)a!["contentType"]), Is.EqualTo(new[] { "application/vnd.microsoft.card.adaptive" }), "Teams refuses any other attachment type");
        var show = activity.Card!["actions"]!.AsArray().Single(a => (string?)a!["type"] == "Action.ShowCard")!;
        Assert.That(show["title"]!.GetValue<string>(), Is.EqualTo("Show the Markdown"));
        var run = show["card"]!["body"]![0]!["inlines"]![0]!;
        Assert.That(run["type"]!.GetValue<string>(), Is.EqualTo("TextRun"), "a TextRun renders no Markdown: the draft stays verbatim");
        Assert.That(run["text"]!.GetValue<string>(), Is.EqualTo(Markdown));
        Assert.That(run["fontType"]!.GetValue<string>(), Is.EqualTo("Monospace"));
    }

    [Test]
    public async Task Upload_NoPublicBaseUrl_NamesTheHttpRoute()
    {
        await StartAsync(null);

        await _rig.DeliverAsync(Upload("# short"));

        Assert.That(_rig.Fake.ActivitiesIn(IncidentThread).Single().Card!.ToJsonString(), Does.Contain("GET /api/incidents/12/postmortem"));
    }

    [Test]
    public async Task Upload_TooLarge_NoAttachmentAndTheCardSaysSo()
    {
        await StartAsync("https://bot.example.com/");

        await _rig.DeliverAsync(Upload(new string('x', 30_000)));

        var activity = _rig.Fake.ActivitiesIn(IncidentThread).Single();
        Assert.That(activity.Card!.ToJsonString(), Does.Not.Contain("Action.ShowCard").And.Not.Contain("xxxxxxxxxx"));
        Assert.That(activity.Card!.ToJsonString(), Does.Contain("too large to show"));
        Assert.That(TeamsJson.Size(activity.Activity), Is.LessThan(TeamsChatPlatform.MaxActivityBytes));
    }
}
