using System.Text.Json.Nodes;
using IncidentBot.IntegrationTests.Support;
using IncidentBot.Testing.Teams;

namespace IncidentBot.IntegrationTests;

/// <summary>What /api/messages does with bad, odd and repeated input: clear answers, nothing changed, nothing sent twice.</summary>
public sealed class TeamsEdgeTests : TeamsBotFixture
{
    [Test]
    public async Task Token_KeyNotEndorsedForTeams_403AndNothingStored()
    {
        var token = Token(new FakeTokenOptions { Key = FakeSigningKey.NotEndorsed });

        using var response = await SendAsync(Message("declare Not endorsed"), token);

        Assert.That((int)response.StatusCode, Is.EqualTo(403));
        Assert.That((await ApiAsync("/api/incidents")).GetArrayLength(), Is.Zero);
    }

    [Test]
    public async Task Token_ServiceUrlOfAnotherConnector_401()
    {
        var token = Issuer.CreateToken(Teams.AppId, "https://smba.trafficmanager.net/emea/", TimeProvider.System.GetUtcNow());

        using var response = await SendAsync(Message("declare Elsewhere"), token);

        Assert.That((int)response.StatusCode, Is.EqualTo(401));
    }

    [Test]
    public async Task Body_MalformedOrHuge_400And413_ServiceStaysHealthy()
    {
        var token = Token();
        foreach (var body in new[] { "{not json", "[]", "{\"type\":42}", "{}" })
        {
            using var response = await PostActivityAsync(body, token);
            Assert.That((int)response.StatusCode, Is.EqualTo(400), body);
        }

        var huge = Message("note " + new string('x', 300_000));
        using (var tooLarge = await SendAsync(huge))
        {
            Assert.That((int)tooLarge.StatusCode, Is.EqualTo(413));
        }

        using var health = await Bot.Client.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.That((int)health.StatusCode, Is.EqualTo(200));
    }

    [Test]
    public async Task UnknownActivityType_200AndIgnored()
    {
        using var response = await SendAsync(Base("typing", GeneralThread, Ada, "Ada Lovelace"));
        using var unknownInvoke = await SendAsync(Invoke("signin/verifyState"));
        var bare = Base("messageReaction", GeneralThread, Ada, "Ada Lovelace");
        bare.Remove("conversation");
        bare.Remove("from");
        using var bareResponse = await SendAsync(bare);

        Assert.That((int)response.StatusCode, Is.EqualTo(200));
        Assert.That((int)unknownInvoke.StatusCode, Is.EqualTo(200));
        Assert.That((int)bareResponse.StatusCode, Is.EqualTo(200), "an ignored type needs no conversation or sender");

        // Replies leave through the outbox in order: once the answer to a later command arrives, any reply owed
        // to the ignored activities would have arrived before it.
        using (await SendAsync(Message("help")))
        {
        }

        Assert.That(await Poll.UntilAsync(() => Teams.Activities.Any(a => a.Activity.ToJsonString().Contains("declare", StringComparison.Ordinal))), Is.True, "help answered");
        Assert.That(Teams.Activities, Has.Count.EqualTo(1), "nothing but the help answer was sent");
    }

    [Test]
    public async Task SameActivityDeliveredTwice_OneTransitionOneAnswer()
    {
        var (thread, header, incidentId) = await DeclareAsync();
        var click = Execute("incident.acknowledge", incidentId, thread, header.Id);

        using var first = await SendAsync(click);
        using var second = await SendAsync(click);

        Assert.That((await ReadJsonAsync(first))["type"]!.GetValue<string>(), Is.EqualTo("application/vnd.microsoft.card.adaptive"));
        Assert.That((await ReadJsonAsync(second))["value"]!.GetValue<string>(), Is.EqualTo("Already handled."));
        Assert.That((await TimelineKindsAsync(1)).Count(k => k == "StateChanged"), Is.EqualTo(1));
    }

    [Test]
    public async Task ActionSubmitFallback_MessageWithValue_SameTransition()
    {
        var (thread, header, incidentId) = await DeclareAsync();
        var submit = Base("message", thread, Ada, "Ada Lovelace");
        submit["replyToId"] = header.Id;
        submit["value"] = new JsonObject { ["action"] = "incident.mitigate", ["value"] = incidentId.ToString(System.Globalization.CultureInfo.InvariantCulture) };

        using var response = await SendAsync(submit);

        Assert.That((int)response.StatusCode, Is.EqualTo(200));
        Assert.That((await ApiAsync("/api/incidents/1")).GetProperty("state").GetString(), Is.EqualTo("Mitigated"));
        Assert.That(await Poll.UntilAsync(() => Teams.FindActivity(thread, header.Id)!.Card!.ToJsonString().Contains("Mitigated", StringComparison.Ordinal)), Is.True);

        // The same button again: Teams shows no inline answer for Action.Submit, so the refusal is posted.
        var again = Base("message", thread, Ada, "Ada Lovelace");
        again["value"] = submit["value"]!.DeepClone();
        using (await SendAsync(again))
        {
        }

        Assert.That(await Poll.UntilAsync(() => Teams.ActivitiesIn(thread).Any(a => a.Activity.ToJsonString().Contains("already", StringComparison.OrdinalIgnoreCase))), Is.True);
    }

    [Test]
    public async Task CommandOutsideIncidentThread_AnsweredWithWhatToDo()
    {
        using (await SendAsync(Message("ack")))
        {
        }

        Assert.That(await Poll.UntilAsync(() => Teams.ActivitiesIn(GeneralThread).Any(a => a.Activity.ToJsonString().Contains("works inside an incident", StringComparison.Ordinal))), Is.True);
    }

    [Test]
    public async Task Invoke_ButtonWithoutIncident_InlineError()
    {
        var click = Invoke("adaptiveCard/action");
        click["value"] = new JsonObject { ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = "incident.acknowledge", ["data"] = new JsonObject { ["action"] = "incident.acknowledge" } } };

        using var response = await SendAsync(click);
        var body = await ReadJsonAsync(response);

        Assert.That((int)response.StatusCode, Is.EqualTo(200));
        Assert.That(body["statusCode"]!.GetValue<int>(), Is.EqualTo(400));
        Assert.That(body["type"]!.GetValue<string>(), Is.EqualTo("application/vnd.microsoft.error"));
    }

    [Test]
    public async Task Fuzz_MangledActivitiesWithValidToken_NeverA5xx()
    {
        var random = new Random(20261125);
        var token = Token();
        JsonNode?[] odd = [null, 42, -1.5, true, "", "<at>IncidentBot</at>", new JsonArray(1, "x"), new JsonObject { ["id"] = 7 }, new string('é', 2000), "declare " + new string('x', 5000)];
        string[] types = ["message", "invoke", "conversationUpdate", "messageReaction", "installationUpdate", ""];
        string[] names = ["adaptiveCard/action", "composeExtension/fetchTask", "composeExtension/submitAction", "task/fetch", ""];
        var statuses = new List<int>();
        for (var i = 0; i < 600; i++)
        {
            var activity = i % 3 == 0 ? Execute("incident.acknowledge", random.Next(0, 3), GeneralThread, "1") : Message("declare Fuzz " + i);
            activity["type"] = types[random.Next(types.Length)];
            activity["name"] = names[random.Next(names.Length)];
            var keys = activity.Select(p => p.Key).Where(k => k != "serviceUrl").ToList();
            for (var m = random.Next(1, 4); m > 0; m--)
            {
                activity[keys[random.Next(keys.Count)]] = odd[random.Next(odd.Length)]?.DeepClone();
            }

            var json = activity.ToJsonString();
            var body = random.Next(10) == 0 ? json[..random.Next(json.Length)] : json;
            using var response = await PostActivityAsync(body, token);
            statuses.Add((int)response.StatusCode);
        }

        Assert.That(statuses.Where(s => s >= 500), Is.Empty, string.Join(",", statuses.Distinct()));
        Assert.That(statuses.Distinct(), Does.Contain(200).And.Contain(400));
        using var health = await Bot.Client.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.That((int)health.StatusCode, Is.EqualTo(200));
    }

    private JsonObject Invoke(string name)
    {
        var invoke = Base("invoke", GeneralThread, Ada, "Ada Lovelace");
        invoke["name"] = name;
        invoke["value"] = new JsonObject();
        return invoke;
    }
}
