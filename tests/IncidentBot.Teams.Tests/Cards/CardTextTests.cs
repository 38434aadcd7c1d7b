using System.Text;
using IncidentBot.Teams.Cards;

namespace IncidentBot.Teams.Tests.Cards;

/// <summary>Core's Slack-flavoured text made Teams Markdown, and clipping by UTF-8 size.</summary>
public sealed class CardTextTests
{
    [TestCase("INC-1 is now *Resolved* (Bob).", "INC-1 is now **Resolved** (Bob).")]
    [TestCase("already **bold** stays", "already **bold** stays")]
    [TestCase("2 * 3 * 4 is arithmetic", "2 * 3 * 4 is arithmetic")]
    [TestCase("at 10:30:45 nothing changes", "at 10:30:45 nothing changes")]
    [TestCase(":fire: hot", "🔥 hot")]
    [TestCase(":unknown_code: stays in text", ":unknown_code: stays in text")]
    public void Markdown_SlackText_TeamsMarkdown(string text, string expected) =>
        Assert.That(CardText.Markdown(text), Is.EqualTo(expected));

    [TestCase("INC-1 is now *Resolved* (Bob). :tada:", "INC-1 is now Resolved (Bob). 🎉")]
    [TestCase("2 * 3 * 4 is arithmetic", "2 * 3 * 4 is arithmetic")]
    public void Plain_SlackText_NoMarkupLeft(string text, string expected) =>
        Assert.That(CardText.Plain(text), Is.EqualTo(expected));

    [Test]
    public void Clip_MultibyteText_CutAtCharacterBoundaryWithinBytes()
    {
        var text = string.Concat(Enumerable.Repeat("🚨é", 100));

        var clipped = CardText.Clip(text, 50);

        Assert.That(Encoding.UTF8.GetByteCount(clipped), Is.LessThanOrEqualTo(50));
        Assert.That(clipped, Does.EndWith("…"));
        var kept = clipped[..^1];
        Assert.That(text, Does.StartWith(kept));
        Assert.That(char.IsHighSurrogate(kept[^1]), Is.False);
    }

    [Test]
    public void MentionName_AngleBrackets_Removed() => Assert.That(CardText.MentionName("<b>Eve</b>"), Is.EqualTo("bEve/b"));
}
