using IncidentBot.Core.Commands;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Roles;
using IncidentBot.Slack.Inbound;

namespace IncidentBot.Slack.Tests.Inbound;

/// <summary>Slack's mention syntax stays in the Slack adapter: it resolves mentions before Core parses the text.</summary>
public sealed class SlackMentionsTests
{
    [TestCase("lead <@U123ABC>", "U123ABC", "U123ABC")]
    [TestCase("lead <@U123ABC|ada>", "U123ABC", "ada")]
    public void In_LeadSlackMention_BothFormsParseToThePerson(string text, string id, string name) =>
        Assert.That(CommandParser.Parse(text, SlackMentions.In(text)), Is.EqualTo(new LeadCommand(new Person(id, name))));

    [Test]
    public void In_RoleSlackMention_LowercasesRole()
    {
        const string text = "role Scribe <@U2|grace>";

        Assert.That(CommandParser.Parse(text, SlackMentions.In(text)), Is.EqualTo(new RoleCommand("scribe", new Person("U2", "grace"))));
    }

    [TestCase("lead <@U1-2>")]
    [TestCase("lead <@>")]
    [TestCase("lead <!channel>")]
    [TestCase("lead @ada")]
    public void In_NotASlackUserReference_NoMention(string text)
    {
        Assert.That(SlackMentions.In(text), Is.Empty);
        Assert.That(CommandParser.Parse(text, SlackMentions.In(text)), Is.TypeOf<HelpCommand>());
    }

    [Test]
    public void In_SeveralMentions_EachWithTheTextItStandsAs()
    {
        var mentions = SlackMentions.In("role scribe <@U1|ada> and <@U2>");

        Assert.That(mentions, Is.EqualTo(new[] { new Mention("<@U1|ada>", new Person("U1", "ada")), new Mention("<@U2>", new Person("U2", "U2")) }));
    }
}
