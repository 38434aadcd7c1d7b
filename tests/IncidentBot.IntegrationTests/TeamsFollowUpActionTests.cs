using System.Text.Json.Nodes;
using IncidentBot.IntegrationTests.Support;

namespace IncidentBot.IntegrationTests;

/// <summary>"Add follow-up from this message" on Teams: the message action's dialog and its submission.</summary>
public sealed class TeamsFollowUpActionTests : TeamsBotFixture
{
    private const string Link = "https://teams.microsoft.com/l/message/19:incidents0000@thread.tacv2/1700000000777";

    private static JsonObject MessagePayload() => new()
    {
        ["id"] = "1700000000777",
        ["createdDateTime"] = TimeProvider.System.GetUtcNow().AddMinutes(-1).ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        ["linkToMessage"] = Link,
        ["body"] = new JsonObject { ["contentType"] = "html", ["content"] = "<p>We need a runbook for the EU failover</p>" },
        ["from"] = new JsonObject { ["user"] = new JsonObject { ["id"] = "29:grace", ["displayName"] = "Grace Hopper" } },
    };

    private JsonObject Invoke(string name, string conversation, JsonObject value, string id)
    {
        var invoke = Base("invoke", conversation, Ada, "Ada Lovelace");
        invoke["id"] = id;
        invoke["name"] = name;
        invoke["value"] = value;
        return invoke;
    }

    [Test]
    public async Task MessageAction_DialogPrefilled_SubmitAddsFollowUpWithTheMessageLink()
    {
        var (thread, _, _) = await DeclareAsync("Checkout errors sev2");

        var fetchValue = new JsonObject { ["commandId"] = "followUpFromMessage", ["commandContext"] = "message", ["messagePayload"] = MessagePayload() };
        using (var fetch = await SendAsync(Invoke("composeExtension/fetchTask", thread, fetchValue, "1700000000800")))
        {
            var body = await ReadJsonAsync(fetch);
            Assert.That(body["task"]!["type"]!.GetValue<string>(), Is.EqualTo("continue"));
            Assert.That(body["task"]!["value"]!["card"]!["content"]!.ToJsonString(), Does.Contain("We need a runbook for the EU failover").And.Contain(Link));
        }

        JsonObject Submit(string text, string owner, string due) => new()
        {
            ["commandId"] = "followUpFromMessage",
            ["messagePayload"] = MessagePayload(),
            ["data"] = new JsonObject { ["action"] = "followup.add", ["followup_text"] = text, ["followup_owner"] = owner, ["followup_due"] = due },
        };

        using (var invalid = await SendAsync(Invoke("composeExtension/submitAction", thread, Submit("Write the EU failover runbook", "", "soon"), "1700000000801")))
        {
            Assert.That((await ReadJsonAsync(invalid))["task"]!["value"]!["card"]!["content"]!.ToJsonString(), Does.Contain("YYYY-MM-DD"));
        }

        Assert.That((await ApiAsync("/api/incidents/1/followups")).GetArrayLength(), Is.Zero, "a refused form changes nothing");

        using (var valid = await SendAsync(Invoke("composeExtension/submitAction", thread, Submit("Write the EU failover runbook", "me", "7d"), "1700000000802")))
        {
            Assert.That((int)valid.StatusCode, Is.EqualTo(200));
        }

        var followUp = (await ApiAsync("/api/incidents/1/followups")).EnumerateArray().Single();
        Assert.That(followUp.GetProperty("text").GetString(), Is.EqualTo("Write the EU failover runbook"));
        Assert.That(followUp.GetProperty("owner").GetString(), Is.EqualTo(Ada));
        Assert.That(followUp.GetProperty("due").GetString(), Is.Not.Null);
        Assert.That(followUp.GetProperty("sourceUrl").GetString(), Is.EqualTo(Link));
        Assert.That(await Poll.UntilAsync(() => Teams.Activities.Any(a => a.Card?.ToJsonString() is { } card
            && card.Contains("Follow-up 1 (INC-1)", StringComparison.Ordinal) && card.Contains(Link, StringComparison.Ordinal))), Is.True, "the follow-up card links the source message");
    }

    [Test]
    public async Task MessageAction_OutsideAnIncident_RefusedToTheAskerOnly()
    {
        var fetchValue = new JsonObject { ["commandId"] = "followUpFromMessage", ["commandContext"] = "message", ["messagePayload"] = MessagePayload() };
        using var fetch = await SendAsync(Invoke("composeExtension/fetchTask", GeneralThread, fetchValue, "1700000000900"));
        var body = await ReadJsonAsync(fetch);
        Assert.That(body["task"]!["type"]!.GetValue<string>(), Is.EqualTo("message"));
        Assert.That(body["task"]!["value"]!.GetValue<string>(), Does.Contain("Follow-ups belong to an incident"));
        Assert.That((await ApiAsync("/api/incidents")).GetArrayLength(), Is.Zero);
    }
}
