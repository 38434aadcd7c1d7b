using IncidentBot.Core.Commands;
using IncidentBot.Core.Messaging;
using IncidentBot.Host.Tests.Support;

namespace IncidentBot.Host.Tests.Service;

/// <summary><c>/incident declare --drill</c> on Slack: the same marking as the sandbox's drills, and the announcement says so.</summary>
public sealed class DrillDeclareTests
{
    [Test]
    public async Task DeclareWithDrill_OnSlack_IsADrill_AndItsMessagesSaySo()
    {
        await using var h = await ServiceHarness.CreateAsync();

        var reply = await h.RunAsync("CGENERAL", CommandParser.Parse("declare Checkout errors sev2 --drill"));
        var plain = await h.RunAsync("CGENERAL", CommandParser.Parse("declare Search slow sev3"));
        await h.DrainAsync();

        Assert.That(reply.Incident!.IsDrill, Is.True);
        Assert.That((await h.Store.GetAsync(reply.Incident.Id, CancellationToken.None))!.IsDrill, Is.True);
        Assert.That((await h.Store.GetAsync(plain.Incident!.Id, CancellationToken.None))!.IsDrill, Is.False);
        Assert.That(reply.Text.PlainText, Does.StartWith("Declared the drill INC-1"));
        var posted = h.Platform.Delivered.Where(d => d.Message.IncidentId == reply.Incident.Id && d.Message.Message is not null).Select(d => d.Message).ToList();
        Assert.That(posted.Single(m => m.ConversationId == "CANNOUNCE").Message!.Text.PlainText, Does.StartWith("This is a drill"));
        Assert.That(posted.Single(m => m.Anchor == IncidentMessages.HeaderAnchor && m.Operation == ChatOperation.Post).Message!.Text.PlainText, Does.StartWith("Drill: "));
        Assert.That(h.Platform.Delivered.Where(d => d.Message.IncidentId == plain.Incident.Id && d.Message.Message is not null)
            .Select(d => d.Message.Message!.Text.PlainText), Has.None.Contains("rill"));
    }
}
