using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using IncidentBot.IntegrationTests.Support;

namespace IncidentBot.IntegrationTests;

/// <summary>"Add follow-up from this message" on Slack: the message shortcut, its prefilled modal, and the submission.</summary>
public sealed class SlackFollowUpShortcutTests : SlackBotFixture
{
    private static JsonObject Shortcut(string channel, string ts, string text)
    {
        var shortcut = Sample("payloads", "MessageShortcutPayload.json");
        shortcut["type"] = "message_action";
        shortcut["callback_id"] = "followup_from_message";
        shortcut["trigger_id"] = "111.222.444";
        shortcut["team"] = new JsonObject { ["id"] = "T1", ["domain"] = "acme" };
        shortcut["user"] = new JsonObject { ["id"] = "U1", ["name"] = "ada", ["team_id"] = "T1" };
        shortcut["channel"] = new JsonObject { ["id"] = channel, ["name"] = "incident" };
        shortcut["message_ts"] = ts;
        shortcut["message"] = new JsonObject { ["type"] = "message", ["ts"] = ts, ["user"] = "U3", ["text"] = text };
        return shortcut;
    }

    private static JsonObject Submission(JsonObject openedView, string? text, string? owner = null, string? due = null) => SubmissionOf(openedView, new JsonObject
    {
        ["followup_text"] = new JsonObject { ["value"] = new JsonObject { ["type"] = "plain_text_input", ["value"] = text } },
        ["followup_owner"] = new JsonObject { ["value"] = new JsonObject { ["type"] = "users_select", ["selected_user"] = owner } },
        ["followup_due"] = new JsonObject { ["value"] = new JsonObject { ["type"] = "plain_text_input", ["value"] = due } },
    });

    [Test]
    public async Task Shortcut_PrefilledModal_EditedSubmissionAddsFollowUpWithTheMessageLink()
    {
        var (channel, _, _) = await DeclareAsync();
        Slack.NameUser("U2", "Grace Hopper", "grace");
        var ts = Slack.SeedMessage(channel, "We should alert on queue depth before it hits the limit", "U3");

        using (var response = await InteractAsync(Shortcut(channel, ts, "We should alert on queue depth before it hits the limit")))
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        var view = LastOpenedView();
        var permalink = $"https://acme.slack.com/archives/{channel}/p{ts.Replace(".", "", StringComparison.Ordinal)}";
        Assert.That((string?)view["callback_id"], Is.EqualTo("add_followup"));
        Assert.That(view.ToJsonString(), Does.Contain("We should alert on queue depth before it hits the limit").And.Contain(permalink));

        using (var invalid = await InteractAsync(Submission(view, " ", due: "someday")))
        {
            var errors = JsonDocument.Parse(await invalid.Content.ReadAsStringAsync()).RootElement;
            Assert.That(errors.GetProperty("response_action").GetString(), Is.EqualTo("errors"));
            Assert.That(errors.GetProperty("errors").EnumerateObject().Select(p => p.Name), Is.EquivalentTo(new[] { "followup_text", "followup_due" }));
        }

        Assert.That((await ApiAsync("/api/incidents/1/followups")).GetArrayLength(), Is.Zero, "a refused form changes nothing");

        using (var valid = await InteractAsync(Submission(view, "Alert on queue depth at 80%", owner: "U2", due: "2026-12-24")))
        {
            Assert.That(valid.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await valid.Content.ReadAsStringAsync(), Does.Not.Contain("errors"));
        }

        var followUp = (await ApiAsync("/api/incidents/1/followups")).EnumerateArray().Single();
        Assert.That(followUp.GetProperty("text").GetString(), Is.EqualTo("Alert on queue depth at 80%"));
        Assert.That(followUp.GetProperty("owner").GetString(), Is.EqualTo("U2"));
        Assert.That(followUp.GetProperty("ownerName").GetString(), Is.EqualTo("grace"));
        Assert.That(followUp.GetProperty("due").GetString(), Is.EqualTo("2026-12-24"));
        Assert.That(followUp.GetProperty("sourceUrl").GetString(), Is.EqualTo(permalink));
        Assert.That(await Poll.UntilAsync(() => Slack.Messages.Any(m => m.Channel == channel && m.Blocks?.ToJsonString().Contains("Follow-up 1 (INC-1)", StringComparison.Ordinal) == true
            && m.Blocks.ToJsonString().Contains(permalink, StringComparison.Ordinal))), Is.True, "the follow-up message in the channel links the source message");
        Assert.That(await Poll.UntilAsync(() => Slack.CallsTo("chat.postEphemeral").Any(c => c.Arg("user") == "U1" && c.Arg("text").Contains("Follow-up 1 added", StringComparison.Ordinal))), Is.True, "the asker is told");
        Assert.That((await TimelineKindsAsync(1)).Count(k => k == "FollowUpAdded"), Is.EqualTo(1));
    }

    [Test]
    public async Task Shortcut_OutsideAnIncidentChannel_RefusedPrivatelyWithoutAForm()
    {
        var ts = Slack.SeedMessage("CSUPPORT", "Someone should fix the flaky deploy", "U3");

        using (var response = await InteractAsync(Shortcut("CSUPPORT", ts, "Someone should fix the flaky deploy")))
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        Assert.That(await Poll.UntilAsync(() => Slack.CallsTo("chat.postEphemeral").Any(c => c.Arg("channel") == "CSUPPORT" && c.Arg("user") == "U1"
            && c.Arg("text").Contains("Follow-ups belong to an incident", StringComparison.Ordinal))), Is.True);
        Assert.That(Slack.CallsTo("views.open"), Is.Empty, "no form opens");
        Assert.That(Slack.Messages.Where(m => m.Channel == "CSUPPORT").Select(m => m.Ts), Is.EqualTo(new[] { ts }), "nobody else sees anything");
    }
}
