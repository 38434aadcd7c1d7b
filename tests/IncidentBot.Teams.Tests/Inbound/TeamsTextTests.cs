using IncidentBot.Core.Commands;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Roles;
using IncidentBot.Teams.Inbound;

namespace IncidentBot.Teams.Tests.Inbound;

public sealed class TeamsTextTests
{
    private static readonly ChannelAccount Bot = new("28:bot-app-id", "IncidentBot");

    [Test]
    public void ForCommand_BotMention_RemovedUsingEntityAndOtherMentionsKept()
    {
        var activity = new Activity
        {
            Text = "<at>IncidentBot</at> role scribe <at>Grace Hopper</at>",
            Recipient = Bot,
            Entities =
            [
                new Entity("mention", "<at>IncidentBot</at>", Bot),
                new Entity("mention", "<at>Grace Hopper</at>", new ChannelAccount("29:grace", "Grace Hopper")),
                new Entity("clientInfo", null, null),
            ],
        };

        var (text, mentions) = TeamsText.ForCommand(activity);

        Assert.That(text, Is.EqualTo("role scribe <at>Grace Hopper</at>"));
        Assert.That(mentions, Is.EqualTo(new[] { new Mention("<at>Grace Hopper</at>", new Core.Incidents.Person("29:grace", "Grace Hopper")) }));
        Assert.That(CommandParser.Parse(text, mentions), Is.EqualTo(new RoleCommand("scribe", new Core.Incidents.Person("29:grace", "Grace Hopper"))));
    }

    [TestCase("<at>IncidentBot</at> incident declare Checkout errors sev2")]
    [TestCase("<at>IncidentBot</at>&nbsp;/incident declare Checkout errors sev2")]
    [TestCase("<at>IncidentBot</at> declare Checkout errors sev2")]
    public void ForCommand_LeadingIncidentWord_Dropped(string raw)
    {
        var activity = new Activity { Text = raw, Recipient = Bot, Entities = [new Entity("mention", "<at>IncidentBot</at>", Bot)] };

        var (text, _) = TeamsText.ForCommand(activity);

        Assert.That(text, Is.EqualTo("declare Checkout errors sev2"));
    }

    [Test]
    public void ForCommand_MentionOfBotUnderOtherDisplayName_RemovedById()
    {
        var renamed = new ChannelAccount("28:bot-app-id", "Incidents");
        var activity = new Activity { Text = "<at>Incidents</at> ack", Recipient = Bot, Entities = [new Entity("mention", "<at>Incidents</at>", renamed)] };

        Assert.That(TeamsText.ForCommand(activity).Command, Is.EqualTo("ack"));
    }

    [Test]
    public void FromHtml_MessageBody_TagsDroppedLinesKept() =>
        Assert.That(TeamsText.FromHtml("<p>Checkout &amp; payments</p><p>fail since 10:02<br>see dashboards</p>"), Is.EqualTo("Checkout & payments\nfail since 10:02\nsee dashboards"));
}
