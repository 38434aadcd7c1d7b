using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Teams.Cards;

namespace IncidentBot.Teams.Tests.Cards;

/// <summary>Core's neutral rich text as Teams Markdown: Teams' markup and emoji live here, nowhere in Core.</summary>
public sealed class TeamsMarkdownTests
{
    [Test]
    public void Render_BoldRun_DoubleStars()
    {
        var text = RichText.Of($"INC-1 is now {Run.Bold("Resolved")} (Bob).");

        Assert.That(TeamsMarkdown.Render(text), Is.EqualTo("INC-1 is now **Resolved** (Bob)."));
    }

    [TestCase("2 * 3 * 4 is arithmetic")]
    [TestCase("at 10:30:45 nothing changes")]
    [TestCase(":unknown_code: stays in text")]
    [TestCase("*Slack bold* typed by a person stays as typed")]
    public void Render_PlainText_Unchanged(string typed) => Assert.That(TeamsMarkdown.Render(typed), Is.EqualTo(typed));

    [Test]
    public void Render_EveryRunKind_HasItsTeamsForm()
    {
        var text = RichText.Of($"{Run.Picture(Icon.Alert)} {Run.Code("note --remove <id>")}{Run.LineBreak}{Run.Link("https://x.example/a)b", "the [doc]")} {Run.Mention(new Person("29:1", "Ada"))}");

        Assert.That(TeamsMarkdown.Render(text), Is.EqualTo("🚨 `note --remove <id>`\n[the [doc)](https://x.example/a%29b) Ada"));
    }

    [Test]
    public void PlainText_BoldAndIcon_NoMarkupLeft()
    {
        var text = RichText.Of($"INC-1 is now {Run.Bold("Resolved")} (Bob). {Run.Picture(Icon.Celebration)}");

        Assert.That(TeamsMarkdown.PlainText(text), Is.EqualTo("INC-1 is now Resolved (Bob). 🎉"));
    }
}
