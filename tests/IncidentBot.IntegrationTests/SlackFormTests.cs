using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using IncidentBot.IntegrationTests.Support;

namespace IncidentBot.IntegrationTests;

/// <summary>Modals: bare declare, the message shortcut, field errors, Post update.</summary>
public sealed class SlackFormTests : SlackBotFixture
{
    private static JsonObject Submission(JsonObject openedView, Dictionary<string, string> values)
    {
        var state = new JsonObject();
        foreach (var (block, value) in values)
        {
            state[block] = new JsonObject
            {
                ["value"] = block is "severity" or "type"
                    ? new JsonObject { ["type"] = "static_select", ["selected_option"] = new JsonObject { ["value"] = value } }
                    : new JsonObject { ["type"] = "plain_text_input", ["value"] = value },
            };
        }

        return SubmissionOf(openedView, state);
    }

    [Test]
    public async Task BareDeclare_OpensForm_ErrorsThenDeclares()
    {
        using (var response = await CommandAsync("declare"))
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        var open = Slack.CallsTo("views.open").Single();
        Assert.That(open.Arg("trigger_id"), Is.Not.Empty);
        var view = LastOpenedView();
        Assert.That((string?)view["callback_id"], Is.EqualTo("declare_incident"));

        using (var invalid = await InteractAsync(Submission(view, new() { ["title"] = " ", ["severity"] = "sev9", ["type"] = "livesite" })))
        {
            var errors = JsonDocument.Parse(await invalid.Content.ReadAsStringAsync()).RootElement;
            Assert.That(errors.GetProperty("response_action").GetString(), Is.EqualTo("errors"));
            Assert.That(errors.GetProperty("errors").EnumerateObject().Select(p => p.Name), Is.EquivalentTo(new[] { "title", "severity" }));
        }

        Assert.That((await ApiAsync("/api/incidents")).GetArrayLength(), Is.Zero);

        using (var valid = await InteractAsync(Submission(view, new() { ["title"] = "Login failures", ["severity"] = "sev1", ["type"] = "customer", ["description"] = "SSO returns 500" })))
        {
            Assert.That(valid.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        var incident = await ApiAsync("/api/incidents/1");
        Assert.That(incident.GetProperty("title").GetString(), Is.EqualTo("Login failures"));
        Assert.That(incident.GetProperty("severity").GetString(), Is.EqualTo("Sev1"));
        Assert.That(incident.GetProperty("type").GetString(), Is.EqualTo("CustomerReported"));
        Assert.That(await Poll.UntilAsync(() => Slack.CallsTo("conversations.create").Count == 1), Is.True);
    }

    [Test]
    public async Task MessageShortcut_PrefilledForm_MessageBecomesFirstTimelineEntry()
    {
        var ts = Slack.SeedMessage("CSUPPORT", "Checkout is throwing 502s for everyone in EU", "U3");
        var shortcut = Sample("payloads", "MessageShortcutPayload.json");
        shortcut["type"] = "message_action";
        shortcut["callback_id"] = "declare_from_message";
        shortcut["trigger_id"] = "111.222.333";
        shortcut["team"] = new JsonObject { ["id"] = "T1", ["domain"] = "acme" };
        shortcut["user"] = new JsonObject { ["id"] = "U1", ["name"] = "ada", ["team_id"] = "T1" };
        shortcut["channel"] = new JsonObject { ["id"] = "CSUPPORT", ["name"] = "support" };
        shortcut["message_ts"] = ts;
        shortcut["message"] = new JsonObject { ["type"] = "message", ["ts"] = ts, ["user"] = "U3", ["text"] = "Checkout is throwing 502s for everyone in EU" };

        using (var response = await InteractAsync(shortcut))
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        var view = LastOpenedView();
        Assert.That(view.ToJsonString(), Does.Contain("Checkout is throwing 502s for everyone in EU").And.Contain("https://acme.slack.com/archives/CSUPPORT/p"));

        using (await InteractAsync(Submission(view, new() { ["title"] = "Checkout 502s in EU", ["severity"] = "sev2", ["type"] = "livesite" })))
        {
        }

        var timeline = (await ApiAsync("/api/incidents/1/timeline")).EnumerateArray().ToList();
        Assert.That(timeline[0].GetProperty("text").GetString(), Does.StartWith("Checkout is throwing 502s for everyone in EU"));
        Assert.That(timeline[0].GetProperty("actor").GetProperty("id").GetString(), Is.EqualTo("U3"));
        Assert.That(timeline[1].GetProperty("kind").GetString(), Is.EqualTo("Declared"));
    }

    [Test]
    public async Task PostUpdateButton_OpensForm_SubmissionPostsAndBroadcasts()
    {
        var (channel, _, incidentId) = await DeclareAsync();

        using (await ClickAsync("incident.post_update", incidentId, channel))
        {
        }

        var view = LastOpenedView();
        Assert.That((string?)view["callback_id"], Is.EqualTo("post_status_update"));
        using (var empty = await InteractAsync(Submission(view, new() { ["update"] = "  " })))
        {
            Assert.That(await empty.Content.ReadAsStringAsync(), Does.Contain("\"errors\""));
        }

        using (await InteractAsync(Submission(view, new() { ["update"] = "Mitigation in progress" })))
        {
        }

        Assert.That(await Poll.UntilAsync(() => Slack.Messages.Count(m => m.Text.Contains("Mitigation in progress", StringComparison.Ordinal)) == 2), Is.True);
        Assert.That(await TimelineKindsAsync(1), Does.Contain("StatusUpdate"));
    }

    [Test]
    public async Task SlowSlack_StillAnsweredWithinThreeSeconds()
    {
        Slack.FailNext("views.open", 1, new IncidentBot.Testing.Slack.FakeFault.Slow(TimeSpan.FromSeconds(6)));
        var (channel, _, incidentId) = await DeclareAsync();
        Slack.FailNext("chat.postEphemeral", 1, new IncidentBot.Testing.Slack.FakeFault.Slow(TimeSpan.FromSeconds(6)));
        var watch = System.Diagnostics.Stopwatch.StartNew();

        using (var form = await CommandAsync("declare"))
        {
            Assert.That(form.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        var formTime = watch.Elapsed;
        watch.Restart();
        using (await ClickAsync("incident.acknowledge", incidentId, channel))
        {
        }

        using (var again = await ClickAsync("incident.acknowledge", incidentId, channel))
        {
            Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        Assert.That(formTime, Is.LessThan(TimeSpan.FromSeconds(3)), "views.open hung, the command was still answered");
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(3)), "the private refusal goes out after the answer");
    }

    [Test]
    public async Task CommandOutsideIncidentChannel_PrivateAnswerWithWhatToDo()
    {
        await DeclareAsync();

        using var response = await CommandAsync("ack", "CRANDOM");
        var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.That(answer.GetProperty("response_type").GetString(), Is.EqualTo("ephemeral"));
        Assert.That(answer.GetProperty("text").GetString(), Does.Contain("inside an incident's conversation"));
        Assert.That(await TimelineKindsAsync(1), Is.EqualTo(new[] { "Declared" }));
    }

    [Test]
    public async Task UnknownVerb_HelpPrivately()
    {
        using var response = await CommandAsync("frobnicate");
        var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.That(answer.GetProperty("text").GetString(), Does.StartWith("Unknown command `frobnicate`.").And.Contain("`declare"));
    }
}
