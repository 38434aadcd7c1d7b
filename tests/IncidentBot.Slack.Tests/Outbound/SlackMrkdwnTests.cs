using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Slack.Outbound;

namespace IncidentBot.Slack.Tests.Outbound;

/// <summary>Core's neutral rich text as Slack mrkdwn: Slack's markup, emoji codes and escaping live here, nowhere in Core.</summary>
public sealed class SlackMrkdwnTests
{
    [Test]
    public void Render_EveryRunKind_HasItsSlackForm()
    {
        var text = RichText.Of(
            $"{Run.Picture(Icon.Alert)} {Run.Bold("INC-1")} {Run.Code("note --remove <id>")}{Run.LineBreak}{Run.Link("https://x.example/?a=1&b=2", "run <book>")} {Run.Mention(new Person("U1", "Ada"))} {Run.Picture(Icon.Celebration)}");

        Assert.That(SlackMrkdwn.Render(text), Is.EqualTo(":rotating_light: *INC-1* `note --remove &lt;id&gt;`\n<https://x.example/?a=1&amp;b=2|run &lt;book&gt;> <@U1> :tada:"));
    }

    [Test]
    public void Render_PlainTextWithMarkup_Escaped()
    {
        Assert.That(SlackMrkdwn.Render("<!channel> & <@U1>"), Is.EqualTo("&lt;!channel&gt; &amp; &lt;@U1&gt;"));
    }

    [Test]
    public void Render_MentionOfNoSlackId_ShownByEscapedName()
    {
        Assert.That(SlackMrkdwn.Render(RichText.Of($"{Run.Mention(new Person("29:x", "<Eve>"))}")), Is.EqualTo("&lt;Eve&gt;"));
    }

    [Test]
    public void Render_OverTheLimit_ClipsPlainTextAndNeverCutsMarkup()
    {
        var text = RichText.Of($"{Run.Bold("INC-1")} {new string('x', 50)}{Run.Code("tail")}");

        var clipped = SlackMrkdwn.Render(text, 20);
        var markupCut = SlackMrkdwn.Render(RichText.Of($"ab{Run.Bold("long bold text")}"), 8);

        Assert.That(clipped, Has.Length.EqualTo(20));
        Assert.That(clipped, Does.StartWith("*INC-1* xxx").And.EndWith("…"));
        Assert.That(markupCut, Is.EqualTo("ab…"));
    }

    [Test]
    public void PlainText_IconAsEmojiCode_NoOtherMarkup()
    {
        var title = RichText.Of($"{Run.Picture(Icon.Alert)} INC-1 declared: {Run.Bold("a <b>")}");

        Assert.That(SlackMrkdwn.PlainText(title), Is.EqualTo(":rotating_light: INC-1 declared: a <b>"));
    }
}
