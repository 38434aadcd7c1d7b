using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using IncidentBot.Core.Messaging;
using IncidentBot.Slack.Outbound;

namespace IncidentBot.Slack.Tests.Outbound;

/// <summary>Block Kit limits as Slack counts them (escaped text), and text people typed never parsed as markup.</summary>
public sealed partial class BlockKitRendererTests
{
    // 5,004 characters, a third of them ones that escape to entities.
    private static readonly string Long = string.Concat(Enumerable.Repeat("a&b<c>", 834));

    [GeneratedRegex("&(?!amp;|lt;|gt;)")]
    private static partial Regex BrokenEntity();

    private static ChatMessage Huge() => new()
    {
        Title = Long,
        Text = Long,
        Fields = [new MessageField(Long, Long)],
        Buttons = [new MessageButton("incident.acknowledge", Long, Long)],
        Mentions = ["U1"],
        LinksIncidentConversation = true,
    };

    private static JsonObject Block(JsonArray blocks, string type) => blocks.OfType<JsonObject>().First(b => (string?)b["type"] == type);

    private static string Text(JsonNode? textObject) => textObject!["text"]!.GetValue<string>();

    /// <summary>Every mrkdwn text object's text, however deep.</summary>
    private static IEnumerable<string> Markdown(JsonNode? node) => node switch
    {
        JsonObject o when (string?)o["type"] == "mrkdwn" => [Text(o)],
        JsonObject o => o.SelectMany(p => Markdown(p.Value)),
        JsonArray a => a.SelectMany(Markdown),
        _ => [],
    };

    [Test]
    public void Render_5000CharTitleTextFieldAndButton_EachWithinItsBlockKitLimit()
    {
        var (fallback, blocks) = BlockKitRenderer.Render(Huge(), "C9");

        Assert.That(Text(Block(blocks, "header")["text"]), Has.Length.LessThanOrEqualTo(BlockKitRenderer.HeaderMax));
        var section = Text(Block(blocks, "section")["text"]);
        Assert.That(section, Has.Length.LessThanOrEqualTo(BlockKitRenderer.SectionTextMax));
        Assert.That(section, Does.StartWith("<@U1> ").And.EndWith("\nIncident channel: <#C9>"), "the bot's own markup survives the cut");
        var field = Text(blocks.OfType<JsonObject>().Single(b => b["fields"] is not null)["fields"]![0]);
        Assert.That(field, Has.Length.LessThanOrEqualTo(BlockKitRenderer.FieldMax));
        var button = Block(blocks, "actions")["elements"]![0]!;
        Assert.That(Text(button["text"]), Has.Length.LessThanOrEqualTo(BlockKitRenderer.ButtonTextMax));
        Assert.That(button["value"]!.GetValue<string>(), Has.Length.LessThanOrEqualTo(BlockKitRenderer.ButtonValueMax));
        Assert.That(fallback, Has.Length.LessThanOrEqualTo(BlockKitRenderer.FallbackTextMax));
        Assert.That(new[] { section, field, fallback }, Has.All.Not.Match(BrokenEntity()), "no cut inside an entity");
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    [TestCase(4)]
    public void Render_CutLandsNextToAnAmpersand_NeverSplitsTheEntity(int shift)
    {
        var text = new string('x', BlockKitRenderer.SectionTextMax - 5 + shift) + "&&&&&&&&";

        var section = Text(Block(BlockKitRenderer.Render(new ChatMessage { Text = text }).Blocks, "section")["text"]);

        Assert.That(section, Has.Length.LessThanOrEqualTo(BlockKitRenderer.SectionTextMax));
        Assert.That(section, Does.Not.Match(BrokenEntity()));
        Assert.That(section, Does.EndWith("…"));
    }

    [Test]
    public void Render_SurrogatePairAtTheCut_KeptWholeOrDropped()
    {
        var text = new string('x', BlockKitRenderer.SectionTextMax - 2) + "😀😀";

        var section = Text(Block(BlockKitRenderer.Render(new ChatMessage { Text = text }).Blocks, "section")["text"]);

        Assert.That(section, Has.Length.LessThanOrEqualTo(BlockKitRenderer.SectionTextMax));
        for (var i = 0; i < section.Length; i++)
        {
            Assert.That(char.IsHighSurrogate(section[i]) ? i + 1 < section.Length && char.IsLowSurrogate(section[i + 1]) : !char.IsLowSurrogate(section[i]) || (i > 0 && char.IsHighSurrogate(section[i - 1])), Is.True, $"lone surrogate at {i}");
        }
    }

    [Test]
    public void Render_MentionsTypedByAPerson_EscapedInBlocksAndFallbackText()
    {
        var message = new ChatMessage
        {
            Title = "<!channel> checkout down",
            Text = "ping <@U1> & <!here> <https://evil.example|click>",
            Fields = [new MessageField("<!everyone>", "<@U2>")],
            Mentions = ["U3"],
        };

        var (fallback, blocks) = BlockKitRenderer.Render(message);

        var mrkdwn = Markdown(blocks).ToList();
        Assert.That(fallback, Is.EqualTo("&lt;!channel&gt; checkout down: ping &lt;@U1&gt; &amp; &lt;!here&gt; &lt;https://evil.example|click&gt;"));
        Assert.That(Text(Block(blocks, "section")["text"]), Is.EqualTo("<@U3> ping &lt;@U1&gt; &amp; &lt;!here&gt; &lt;https://evil.example|click&gt;"), "only the bot's own mention is markup");
        Assert.That(mrkdwn, Has.Count.EqualTo(2));
        Assert.That(mrkdwn, Has.All.Not.Contain("<!").And.All.Not.Contain("<@U1>").And.All.Not.Contain("<@U2>").And.All.Not.Contain("<https"));
        var header = Block(blocks, "header")["text"]!;
        Assert.That(header["type"]!.GetValue<string>(), Is.EqualTo("plain_text"), "plain_text is never parsed for mentions, so it shows what was typed");
        Assert.That(Text(header), Is.EqualTo("<!channel> checkout down"));
    }

    [Test]
    public void Render_MentionTheTextMakesAlready_NotMadeTwice()
    {
        var grace = new Core.Incidents.Person("U2", "Grace");
        var message = new ChatMessage { Text = RichText.Of($"overdue: {Run.Mention(grace)}"), Mentions = ["U1", "U2"] };

        var (_, blocks) = BlockKitRenderer.Render(message);

        Assert.That(Text(Block(blocks, "section")["text"]), Is.EqualTo("<@U1> overdue: <@U2>"));
    }
}
