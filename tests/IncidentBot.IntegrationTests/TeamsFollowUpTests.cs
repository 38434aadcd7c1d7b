using System.Text.Json.Nodes;
using IncidentBot.IntegrationTests.Support;
using IncidentBot.Testing.Teams;

namespace IncidentBot.IntegrationTests;

/// <summary>Follow-ups on Teams end to end: typed in the incident thread, the card's buttons, bad input answered in the thread.</summary>
public sealed class TeamsFollowUpTests : TeamsBotFixture
{
    private const string Grace = "29:2grace-user-mri";

    [Test]
    public async Task FollowUp_EveryCommandAndBothButtons_OneCardUpdatedForEveryone()
    {
        var (thread, _, incidentId) = await DeclareAsync();

        await SayAsync(WithGrace(Message("followup Alert on queue depth <at>Grace Hopper</at> due:2026-12-24", thread)));
        Assert.That(await Poll.UntilAsync(() => FollowUpCard(1) is not null), Is.True, "the follow-up card is posted in the incident thread");
        var card = FollowUpCard(1)!;
        Assert.That(card.ConversationId, Is.EqualTo(thread));
        Assert.That(card.Card!.ToJsonString(), Does.Contain("Alert on queue depth").And.Contain("Grace Hopper").And.Contain("2026-12-24"));

        await SayAsync(Message("followups", thread));
        Assert.That(await Poll.UntilAsync(() => Teams.Activities.Any(SentIn(thread, "1 Alert on queue depth | Grace Hopper | due 2026-12-24 | open"))), Is.True, "the list is answered in the thread");

        // Assign to me: the invoke answers with the refreshed card, and the card is updated for everyone.
        using (var assign = await SendAsync(Execute("followup.assign_me:1", incidentId, thread, card.Id)))
        {
            var body = await ReadJsonAsync(assign);
            Assert.That(body["type"]!.GetValue<string>(), Is.EqualTo("application/vnd.microsoft.card.adaptive"));
            Assert.That(body["value"]!.ToJsonString(), Does.Contain("Ada Lovelace"));
        }

        Assert.That(await Poll.UntilAsync(() => Teams.FindActivity(thread, card.Id)!.Card!.ToJsonString().Contains("Ada Lovelace", StringComparison.Ordinal)), Is.True, "card PUT");

        await SayAsync(Message("followup due 1 2027-01-15", thread));
        Assert.That(await Poll.UntilAsync(() => Teams.FindActivity(thread, card.Id)!.Card!.ToJsonString().Contains("2027-01-15", StringComparison.Ordinal)), Is.True);

        using (var done = await SendAsync(Execute("followup.done:1", incidentId, thread, card.Id)))
        {
            Assert.That((await ReadJsonAsync(done))["value"]!.ToJsonString(), Does.Not.Contain("followup.done:1"));
        }

        Assert.That(await Poll.UntilAsync(() => ButtonData(Teams.FindActivity(thread, card.Id)!.Card!, "followup.done:1") is null), Is.True, "done: no more buttons");

        // A stale click on the done card: answered to the clicker, nothing changes.
        using (var again = await SendAsync(Execute("followup.done:1", incidentId, thread, card.Id)))
        {
            Assert.That((await ReadJsonAsync(again))["value"]!.GetValue<string>(), Does.Contain("already done"));
        }

        await SayAsync(Message("followup Retire the old queue", thread));
        Assert.That(await Poll.UntilAsync(() => FollowUpCard(2) is not null), Is.True);
        await SayAsync(WithGrace(Message("followup assign 2 <at>Grace Hopper</at>", thread)));
        await SayAsync(Message("followup drop 2 replaced by follow-up 1", thread));
        Assert.That(await Poll.UntilAsync(() => FollowUpCard(2)!.Card!.ToJsonString().Contains("replaced by follow-up 1", StringComparison.Ordinal)), Is.True);

        await SayAsync(Message("followup done 99", thread));
        Assert.That(await Poll.UntilAsync(() => Teams.Activities.Any(SentIn(thread, "INC-1 has no follow-up 99"))), Is.True, "bad id answered");

        var kinds = await TimelineKindsAsync(1);
        Assert.That((kinds.Count(k => k == "FollowUpAdded"), kinds.Count(k => k == "FollowUpChanged")), Is.EqualTo((2, 5)));
    }

    [Test]
    public async Task ReviewAndClose_ByTypedCommands_HeaderShowsThePostIncidentState()
    {
        var (thread, header, _) = await DeclareAsync();
        await SayAsync(Message("followup Alert on queue depth", thread));
        await SayAsync(Message("resolve", thread));
        await SayAsync(Message("review", thread));
        await SayAsync(Message("close", thread));
        Assert.That(await Poll.UntilAsync(() => Teams.Activities.Any(SentIn(thread, "close --with-open-followups"))), Is.True, "the refusal says how to close anyway");

        await SayAsync(Message("close --with-open-followups", thread));
        Assert.That(await Poll.UntilAsync(() => Teams.FindActivity(thread, header.Id)!.Card!.ToJsonString().Contains("Closed", StringComparison.Ordinal)), Is.True, "header PUT");
        Assert.That(Teams.FindActivity(thread, header.Id)!.Card!.ToJsonString(), Does.Contain("Reviewed"));
        await SayAsync(Message("reopen", thread));
        Assert.That(await Poll.UntilAsync(() => Teams.Activities.Any(SentIn(thread, "declare a new incident"))), Is.True);
        Assert.That((await ApiAsync("/api/incidents/1")).GetProperty("state").GetString(), Is.EqualTo("Closed"));
    }

    private async Task SayAsync(JsonObject activity)
    {
        using var response = await SendAsync(activity);
        Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());
    }

    private static JsonObject WithGrace(JsonObject activity)
    {
        activity["entities"]!.AsArray().Add(new JsonObject
        {
            ["type"] = "mention",
            ["text"] = "<at>Grace Hopper</at>",
            ["mentioned"] = new JsonObject { ["id"] = Grace, ["name"] = "Grace Hopper" },
        });
        return activity;
    }

    private FakeTeamsActivity? FollowUpCard(int number) =>
        Teams.Activities.FirstOrDefault(a => a.Card is { } c && c.ToJsonString().Contains($"Follow-up {number} (INC-", StringComparison.Ordinal));
}
