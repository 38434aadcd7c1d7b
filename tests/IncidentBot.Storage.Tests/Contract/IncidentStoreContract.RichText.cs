using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;

namespace IncidentBot.Storage.Tests.Contract;

/// <summary>Neutral rich text survives the outbox: every run kind, and plain text as the string rows always held.</summary>
public abstract partial class IncidentStoreContract
{
    [Test]
    public async Task Outbox_RichTextOfEveryRunKind_ComesBackAsWritten()
    {
        var text = RichText.Of(
            $"{Run.Picture(Icon.Alert)} {Run.Bold("INC-1")} is {Run.Code("note --remove <id>")}{Run.LineBreak}{Run.Link("https://example.test/a?b=1", "runbook")} {Run.Mention(new Person("U1", "Ada"))} {Run.Picture(Icon.Celebration)}");
        var title = RichText.Of($"{Run.Picture(Icon.Alert)} INC-1 declared: \"quotes\" & <tags>");
        var message = Post("unused", "CA") with { Message = new ChatMessage { Title = title, Text = text } };
        await Store.EnqueueAsync([message, Post("plain <@U1> *typed*", "CB")], null, CancellationToken.None);

        var claimed = await Store.ClaimOutboxAsync(Clock.GetUtcNow(), 10, TimeSpan.FromMinutes(1), CancellationToken.None);

        var rich = claimed.Single(i => i.Message.ConversationId == "CA").Message.Message!;
        var plain = claimed.Single(i => i.Message.ConversationId == "CB").Message.Message!;
        Assert.That(rich.Text, Is.EqualTo(text));
        Assert.That(rich.Title, Is.EqualTo(title));
        Assert.That(plain.Text, Is.EqualTo(RichText.Plain("plain <@U1> *typed*")), "typed text stays one plain run: never markup");
    }
}
