using System.Net;
using System.Net.WebSockets;
using IncidentBot.IntegrationTests.Support;

namespace IncidentBot.IntegrationTests;

/// <summary>The bot over Socket Mode only (no signing secret): the flows of the HTTP tests, carried by envelopes and acks.</summary>
public sealed class SocketModeFlowTests : SocketModeFixture
{
    [Test]
    public async Task Declare_OverSocket_ChannelInviteHeaderPin_AndHttpRoutesAre404()
    {
        var (channel, headerTs, _) = await DeclareAsync();

        Assert.That(Slack.MembersOf(channel), Does.Contain("U9"), "responders invited");
        Assert.That(Slack.IsPinned(channel, headerTs), Is.True, "header pinned");
        Assert.That(Slack.CallsTo("apps.connections.open").Single().Authorization, Is.EqualTo($"Bearer {AppToken}"), "the app token, as Bearer, opens the connection");
        using var http = await CommandAsync("list");
        Assert.That(http.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "without a signing secret the HTTP routes stay off");
        var ready = await ReadinessAsync();
        Assert.That(ready.GetProperty("state").GetString(), Is.EqualTo("connected"));
        Assert.That(ready.GetProperty("connections").GetInt32(), Is.EqualTo(1));
        var metrics = await Bot.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.That(metrics, Does.Match("incidentbot_inbound_requests_total\\{[^}]*kind=\"command\"[^}]*transport=\"socket\"[^}]*\\} [1-9]"), "the envelope counted as an inbound command over the socket");
    }

    [Test]
    public async Task ButtonClick_OverSocket_UpdatesHeader()
    {
        var (channel, headerTs, incidentId) = await DeclareAsync();

        var ack = await SendAsync(ClickEnvelope("incident.acknowledge", incidentId, channel, "U2"));

        Assert.That(ack.Payload, Is.Null, "a click has no answer body: a bare ack");
        Assert.That(await Poll.UntilAsync(() => Slack.CallsTo("chat.update").Any(c => c.Arg("ts") == headerTs)), Is.True, "header updated");
        Assert.That(Slack.Messages.Single(m => m.Ts == headerTs).Blocks!.ToJsonString(), Does.Contain("Acknowledged"));
    }

    [Test]
    public async Task EventRedelivered_SameEventId_OneTimelineEntry()
    {
        var (channel, _, _) = await DeclareAsync();
        var ts = Slack.SeedMessage(channel, "Customer impact confirmed in EU", "U8");
        var reaction = Reaction("Ev0SOCKET1", channel, ts);

        var first = await SendAsync(EventEnvelope(reaction));
        var again = await SendAsync(EventEnvelope(reaction, retryAttempt: 1));

        Assert.That(first.EnvelopeId, Is.Not.EqualTo(again.EnvelopeId), "each delivery is acked by its own envelope_id");
        Assert.That(await Poll.UntilAsync(async () => (await TimelineKindsAsync(1)).Contains("MessageReacted")), Is.True);
        Assert.That((await TimelineKindsAsync(1)).Count(k => k == "MessageReacted"), Is.EqualTo(1));
        Assert.That(Slack.CallsTo("conversations.history"), Has.Count.EqualTo(1), "the redelivery was not processed again");
    }

    [Test]
    public async Task DeclareFormErrors_RideOnTheViewSubmissionAck()
    {
        var submission = Envelope("envelope-interactive-view_submission.json");
        submission["payload"]!["view"]!["callback_id"] = IncidentBot.Slack.Inbound.SlackViews.DeclareCallback;
        submission["payload"]!["view"]!["state"] = new System.Text.Json.Nodes.JsonObject { ["values"] = new System.Text.Json.Nodes.JsonObject() };

        var ack = await SendAsync(submission);

        Assert.That((string?)ack.Payload?["response_action"], Is.EqualTo("errors"), "a form without a title is refused in the ack");
        Assert.That(ack.Payload!["errors"]!.AsObject().ContainsKey(IncidentBot.Slack.Inbound.SlackViews.TitleBlock), Is.True);
    }

    [Test]
    public async Task RefreshRequested_NewConnectionBeforeOldCloses_NextCommandWorks()
    {
        await DeclareAsync();
        var old = await SocketAsync();

        await old.SendTextAsync(IncidentBot.Testing.Slack.FakeSlackServer.SocketSample("disconnect-refresh_requested.json").ToJsonString());

        Assert.That(await Poll.UntilAsync(() => Slack.Sockets.Count == 2 && old.Closed.IsCompleted), Is.True, "a new connection, and the old one closed");
        var fresh = Slack.Sockets[1];
        Assert.That(fresh.OpenedAt, Is.LessThan(old.ClosedAt), "the new connection opened before the old one closed");
        Assert.That(old.ClosedBy, Is.EqualTo(WebSocketCloseStatus.NormalClosure));
        Assert.That(Slack.CallsTo("apps.connections.open"), Has.Count.EqualTo(2), "a fresh URL for the new connection");
        var ack = await SendAsync(CommandEnvelope("note still going", Slack.Channels.Values.First()), fresh);
        Assert.That((string?)ack.Payload?["text"], Does.StartWith("Noted"));
    }

    [Test]
    public async Task AbruptClose_ReconnectsByItself()
    {
        var first = await SocketAsync();

        first.Abort();

        Assert.That(await Poll.UntilAsync(() => Slack.OpenSockets.Count == 1 && Slack.Sockets.Count == 2, TimeSpan.FromSeconds(30)), Is.True, "reconnected");
        await DeclareAsync();
        Assert.That(Bot.Output, Does.Contain("lost"));
    }

    [Test]
    public async Task LinkDisabled_StopsTrying_ReadinessSaysWhy()
    {
        var socket = await SocketAsync();

        await socket.SendTextAsync(IncidentBot.Testing.Slack.FakeSlackServer.SocketSample("disconnect-link_disabled.json").ToJsonString());

        Assert.That(await Poll.UntilAsync(async () => (await ReadinessAsync()).GetProperty("state").GetString() == "disabled"), Is.True);
        Assert.That((await ReadinessAsync()).GetProperty("reason").GetString(), Does.Contain("link_disabled"));
        Assert.That(await Poll.SettledAsync(() => Slack.CallsTo("apps.connections.open").Count), Is.EqualTo(1), "no new connection is tried");
        Assert.That(socket.ClosedBy, Is.EqualTo(WebSocketCloseStatus.NormalClosure));
        Assert.That(Bot.Output.Split('\n').Count(l => l.Contains("Socket Mode disabled", StringComparison.Ordinal)), Is.EqualTo(1), "one clear line");
    }

    [Test]
    public async Task MalformedFrames_LoggedAndIgnored_ConnectionStays()
    {
        var socket = await SocketAsync();

        await socket.SendTextAsync("this is not json");
        await socket.SendBinaryAsync([1, 2, 3]);
        await socket.SendTextAsync("""{"type":"something_new"}""");
        await socket.SendTextAsync(new string('x', 600 * 1024));
        var unknown = await SendAsync(new System.Text.Json.Nodes.JsonObject { ["envelope_id"] = "e-unknown", ["type"] = "brand_new_kind", ["payload"] = new System.Text.Json.Nodes.JsonObject() }, socket);
        var empty = await SendAsync(new System.Text.Json.Nodes.JsonObject { ["envelope_id"] = "e-empty", ["type"] = "slash_commands" }, socket);
        var missing = await SendAsync(new System.Text.Json.Nodes.JsonObject { ["envelope_id"] = "e-missing", ["type"] = "slash_commands", ["payload"] = new System.Text.Json.Nodes.JsonObject { ["text"] = "list" }, ["accepts_response_payload"] = true }, socket);

        Assert.That(new[] { unknown, empty, missing }.Select(a => a.Payload), Is.All.Null, "acked bare");
        await DeclareAsync();
        Assert.That(Slack.Sockets, Has.Count.EqualTo(1), "the same connection throughout");
        Assert.That(Bot.Output, Does.Contain("not JSON").And.Contain("binary frame").And.Contain("over 524288 bytes").And.Contain("brand_new_kind"));
    }

    [Test]
    public async Task Shutdown_FinishesAndAcksWhatIsInHand_ClosesNormally()
    {
        var socket = await SocketAsync();
        Slack.Latency = TimeSpan.FromSeconds(1.5);
        var id = await socket.SendEnvelopeAsync(CommandEnvelope("declare"));
        Assert.That(await Poll.UntilAsync(() => Slack.Started("views.open") == 1), Is.True, "the envelope is in hand: its form is being opened");

        await Bot.StopAsync();

        Assert.That(await socket.AckAsync(id), Is.Not.Null, "the envelope in hand was acked before the bot stopped");
        Assert.That(await Poll.UntilAsync(() => socket.Closed.IsCompleted), Is.True);
        Assert.That(socket.ClosedBy, Is.EqualTo(WebSocketCloseStatus.NormalClosure));
    }
}
