using System.Collections.Immutable;
using System.Text.Json.Nodes;
using IncidentBot.Core.FollowUps;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Reminders;
using IncidentBot.Teams.Cards;
using IncidentBot.Teams.Outbound;

namespace IncidentBot.Teams.Tests.Cards;

/// <summary>Adaptive Card 1.5 rendering: Universal Actions with Submit fallback, the Post update form, mentions, facts, limits.</summary>
public sealed class AdaptiveCardRendererTests
{
    private static readonly Dictionary<string, string> Names = new() { ["29:alice"] = "Alice Example" };

    private static readonly Incident Incident = new()
    {
        Id = 7,
        Platform = "teams",
        WorkspaceId = "tenant",
        Number = 12,
        Title = "Checkout errors",
        Severity = Severity.Sev2,
        Commander = new Person("29:alice", "Alice Example"),
        DeclaredBy = new Person("29:alice", "Alice Example"),
        Roles = ImmutableSortedDictionary<string, Person>.Empty,
        DeclaredAt = new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero),
    };

    private static JsonArray Actions(JsonObject card) => card["actions"]!.AsArray();

    private static JsonObject Action(JsonObject card, string verbOrTitle) =>
        Actions(card).Select(a => a!.AsObject()).Single(a => (string?)a["verb"] == verbOrTitle || (string?)a["title"] == verbOrTitle);

    [Test]
    public void Card_Header_Version15WithBoldWrappedTitle()
    {
        var card = AdaptiveCardRenderer.Card(IncidentMessages.Header(Incident), Names);

        Assert.That(card["type"]!.GetValue<string>(), Is.EqualTo("AdaptiveCard"));
        Assert.That(card["version"]!.GetValue<string>(), Is.EqualTo("1.5"));
        Assert.That(card["$schema"]!.GetValue<string>(), Is.EqualTo("http://adaptivecards.io/schemas/adaptive-card.json"));
        var title = card["body"]![0]!;
        Assert.That(title["text"]!.GetValue<string>(), Is.EqualTo("INC-12: Checkout errors"));
        Assert.That(title["weight"]!.GetValue<string>(), Is.EqualTo("Bolder"));
        Assert.That(title["wrap"]!.GetValue<bool>(), Is.True);
    }

    [Test]
    public void Activity_TextOnly_SummaryWithoutMarkupAndCardBodyBold()
    {
        var activity = AdaptiveCardRenderer.Activity(new ChatMessage { Text = RichText.Of($"INC-12 is now {Run.Bold("Resolved")} {Run.Picture(Icon.Celebration)}") }, Names);

        Assert.That(activity["summary"]!.GetValue<string>(), Is.EqualTo("INC-12 is now Resolved 🎉"));
        Assert.That(activity["attachments"]![0]!["content"]!["body"]![0]!["text"]!.GetValue<string>(), Is.EqualTo("INC-12 is now **Resolved** 🎉"));
    }

    [Test]
    public void Card_Button_ExecuteWithVerbDataStyleAndSubmitFallback()
    {
        var card = AdaptiveCardRenderer.Card(IncidentMessages.Header(Incident), Names);

        var ack = Action(card, ActionIds.Acknowledge);
        Assert.That(ack["type"]!.GetValue<string>(), Is.EqualTo("Action.Execute"));
        Assert.That(ack["title"]!.GetValue<string>(), Is.EqualTo("Acknowledge"));
        Assert.That(ack["style"]!.GetValue<string>(), Is.EqualTo("positive"));
        Assert.That(ack["data"]!.ToJsonString(), Is.EqualTo("""{"action":"incident.acknowledge","value":"7"}"""));
        var fallback = ack["fallback"]!;
        Assert.That(fallback["type"]!.GetValue<string>(), Is.EqualTo("Action.Submit"));
        Assert.That(fallback["title"]!.GetValue<string>(), Is.EqualTo("Acknowledge"));
        Assert.That(fallback["data"]!.ToJsonString(), Is.EqualTo(ack["data"]!.ToJsonString()));
        Assert.That(Action(card, ActionIds.Resolve)["style"]!.GetValue<string>(), Is.EqualTo("destructive"));
        Assert.That(Action(card, ActionIds.Mitigate)["style"], Is.Null);
    }

    [Test]
    public void Card_PostUpdate_ShowCardWithRequiredMultilineInputAndExecute()
    {
        var card = AdaptiveCardRenderer.Card(ReminderMessages.Reminder(Incident, TimeSpan.FromMinutes(31)), Names);

        var show = Action(card, "Post update");
        Assert.That(show["type"]!.GetValue<string>(), Is.EqualTo("Action.ShowCard"));
        Assert.That(show["style"]!.GetValue<string>(), Is.EqualTo("positive"));
        var input = show["card"]!["body"]![0]!;
        Assert.That(input["type"]!.GetValue<string>(), Is.EqualTo("Input.Text"));
        Assert.That(input["id"]!.GetValue<string>(), Is.EqualTo(CardActions.UpdateTextInput));
        Assert.That(input["isMultiline"]!.GetValue<bool>(), Is.True);
        Assert.That(input["isRequired"]!.GetValue<bool>(), Is.True);
        Assert.That(input["errorMessage"]!.GetValue<string>(), Is.Not.Empty);
        var post = show["card"]!["actions"]![0]!;
        Assert.That(post["type"]!.GetValue<string>(), Is.EqualTo("Action.Execute"));
        Assert.That(post["verb"]!.GetValue<string>(), Is.EqualTo(ActionIds.PostUpdate));
        Assert.That(post["data"]!.ToJsonString(), Is.EqualTo("""{"action":"incident.post_update","value":"7"}"""));
        Assert.That(post["fallback"]!["type"]!.GetValue<string>(), Is.EqualTo("Action.Submit"));
        Assert.That(Action(card, ActionIds.Snooze15)["type"]!.GetValue<string>(), Is.EqualTo("Action.Execute"));
    }

    [Test]
    public void Card_Mentions_AtTextAndCardEntities()
    {
        var message = new ChatMessage { Text = "ping", Mentions = ["29:alice", "29:unknown"] };

        var card = AdaptiveCardRenderer.Card(message, Names);

        Assert.That(card["body"]![0]!["text"]!.GetValue<string>(), Is.EqualTo("<at>Alice Example</at> <at>29:unknown</at>"));
        var entities = card["msteams"]!["entities"]!.AsArray();
        Assert.That(entities[0]!.ToJsonString(), Is.EqualTo(new JsonObject
        {
            ["type"] = "mention",
            ["text"] = "<at>Alice Example</at>",
            ["mentioned"] = new JsonObject { ["id"] = "29:alice", ["name"] = "Alice Example" },
        }.ToJsonString()));
        Assert.That(entities[1]!["mentioned"]!["name"]!.GetValue<string>(), Is.EqualTo("29:unknown"));
    }

    [Test]
    public void MentionNames_FollowUpOwner_NamedInTheNudgeMention()
    {
        var grace = new Person("29:grace", "Grace Hopper");
        var incident = Incident with
        {
            FollowUps = [new FollowUp { Number = 3, Text = "Alert on queue depth", Owner = grace, CreatedBy = Incident.Commander, CreatedAt = Incident.DeclaredAt }],
        };

        var card = AdaptiveCardRenderer.Card(FollowUpMessages.Nudge(incident, incident.FollowUps[0], grace), AdaptiveCardRenderer.MentionNames(incident));

        Assert.That(card["body"]![0]!["text"]!.GetValue<string>(), Is.EqualTo("<at>Grace Hopper</at>"));
        Assert.That(card["msteams"]!["entities"]![0]!["mentioned"]!.ToJsonString(), Is.EqualTo("""{"id":"29:grace","name":"Grace Hopper"}"""));
    }

    [Test]
    public void Card_Fields_FactSet()
    {
        var card = AdaptiveCardRenderer.Card(IncidentMessages.Header(Incident), Names);

        var facts = card["body"]!.AsArray().Single(b => (string?)b!["type"] == "FactSet")!["facts"]!.AsArray();
        Assert.That(facts.Select(f => $"{f!["title"]}: {f["value"]}"), Does.Contain("Severity: Sev2").And.Contain("Commander: Alice Example"));
    }

    [Test]
    public void Card_IconInTitle_MappedToEmoji()
    {
        var card = AdaptiveCardRenderer.Card(new ChatMessage { Title = RichText.Of($"{Run.Picture(Icon.Alert)} INC-12 declared"), Text = "x" }, Names);

        Assert.That(card["body"]![0]!["text"]!.GetValue<string>(), Is.EqualTo("🚨 INC-12 declared"));
    }

    [Test]
    public void Card_BoldRun_BecomesTeamsBold()
    {
        var card = AdaptiveCardRenderer.Card(TransitionMessages.StateChanged(Incident with { State = IncidentState.Mitigated }, Incident.Commander), Names);

        Assert.That(card["body"]![0]!["text"]!.GetValue<string>(), Is.EqualTo("INC-12 is now **Mitigated** (Alice Example)."));
    }

    [Test]
    public void Card_Link_AddedOnlyWhenGiven()
    {
        var message = new ChatMessage { Text = "x" };

        Assert.That(AdaptiveCardRenderer.Card(message, Names, "https://teams.microsoft.com/l/message/a/1").ToJsonString(), Does.Contain("(https://teams.microsoft.com/l/message/a/1)"));
        Assert.That(AdaptiveCardRenderer.Card(message, Names).ToJsonString(), Does.Not.Contain("incident conversation"));
    }

    [Test]
    public void Card_HugeText_StaysUnderTeamsLimit()
    {
        var message = new ChatMessage
        {
            Title = new string('T', 5000),
            Text = string.Concat(Enumerable.Repeat("日本語のテキスト", 20_000)),
            Fields = Enumerable.Range(0, 100).Select(i => new MessageField($"Field {i}", new string('v', 5000))).ToList(),
        };

        var activity = AdaptiveCardRenderer.Activity(message, Names);

        Assert.That(TeamsJson.Size(activity), Is.LessThan(25 * 1024));
        Assert.That(activity["attachments"]![0]!["content"]!["body"]![1]!["text"]!.GetValue<string>(), Does.EndWith("…"));
    }

    [Test]
    public void Activity_Message_CardAttachmentAndMentionEntitiesWithoutText()
    {
        var activity = AdaptiveCardRenderer.Activity(IncidentMessages.Header(Incident), Names);

        Assert.That(activity["type"]!.GetValue<string>(), Is.EqualTo("message"));
        Assert.That(activity["text"], Is.Null);
        var attachment = activity["attachments"]!.AsArray().Single()!;
        Assert.That(attachment["contentType"]!.GetValue<string>(), Is.EqualTo(CardActions.AdaptiveCardContentType));
        Assert.That(attachment["content"]!["version"]!.GetValue<string>(), Is.EqualTo("1.5"));
        var mention = activity["entities"]!.AsArray().Single()!;
        Assert.That(mention["type"]!.GetValue<string>(), Is.EqualTo("mention"));
        Assert.That(mention["text"]!.GetValue<string>(), Is.EqualTo("<at>Alice Example</at>"));
        Assert.That(mention["mentioned"]!["id"]!.GetValue<string>(), Is.EqualTo("29:alice"));
    }

    [Test]
    public void TextActivity_Text_MarkdownMessage()
    {
        var activity = AdaptiveCardRenderer.TextActivity("**hi**");

        Assert.That(activity.ToJsonString(), Is.EqualTo("""{"type":"message","text":"**hi**","textFormat":"markdown"}"""));
    }

    [Test]
    public void Card_MentionOfSomeoneTheIncidentDoesNotName_ShownByTheNameTheTextGives()
    {
        var grace = new Person("29:grace", "Grace Example");
        var message = new ChatMessage { Text = RichText.Of($"overdue: {Run.Mention(grace)}"), Mentions = [grace.Id] };

        var activity = AdaptiveCardRenderer.Activity(message, new Dictionary<string, string>());

        Assert.That(activity["entities"]![0]!["mentioned"]!["name"]!.GetValue<string>(), Is.EqualTo("Grace Example"));
        Assert.That(activity["entities"]![0]!["text"]!.GetValue<string>(), Is.EqualTo("<at>Grace Example</at>"));
    }
}
