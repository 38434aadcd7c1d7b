using System.Collections.Concurrent;
using System.Net;
using IncidentBot.IntegrationTests.Support;
using IncidentBot.Testing.Slack;

namespace IncidentBot.IntegrationTests;

/// <summary>Socket Mode under a slow Slack, with a refused app token, and through a SIGKILL mid-burst.</summary>
public sealed class SocketModeEdgeTests : SocketModeFixture
{
    [Test]
    public async Task SlowWebApi_EveryAckStillWithinThreeSeconds()
    {
        var (channel, _, incidentId) = await DeclareAsync();
        var socket = await SocketAsync();
        var ts = Slack.SeedMessage(channel, "Checkout is throwing 502s", "U8");
        Slack.Latency = TimeSpan.FromSeconds(2.5);

        var shortcut = Envelope("envelope-interactive-message_action.json");
        shortcut["payload"]!["channel"]!["id"] = channel;
        shortcut["payload"]!["message"]!["ts"] = ts;
        var envelopes = new[]
        {
            CommandEnvelope("declare"),
            CommandEnvelope("note while Slack is slow", channel),
            CommandEnvelope("declare Payments down sev2"),
            ClickEnvelope("incident.acknowledge", incidentId, channel, "U2"),
            EventEnvelope(Reaction("Ev0SLOW", channel, ts)),
            shortcut,
            Envelope("envelope-interactive-shortcut.json"),
        };

        // SendAsync checks each ack came within Slack's 3 seconds; sent together, as Slack would.
        var acks = await Task.WhenAll(envelopes.Select(e => SendAsync(e, socket)));

        TestContext.Out.WriteLine(string.Join(", ", acks.Select(a => $"{a.Latency.TotalMilliseconds:F0} ms")));
        Assert.That(acks, Has.Length.EqualTo(envelopes.Length));
        Assert.That(await Poll.UntilAsync(async () => (await TimelineKindsAsync(1)).Contains("Note"), TimeSpan.FromSeconds(30)), Is.True, "the slow work finished later");
    }

    [Test]
    public async Task RefusedAppToken_DisabledWithReason_NoRetries()
    {
        await SocketAsync();
        Slack.AppToken = "xapp-another-app";
        await RestartBotAsync(kill: false);

        Assert.That(await Poll.UntilAsync(async () => (await ReadinessAsync()).GetProperty("state").GetString() == "disabled"), Is.True);
        Assert.That((await ReadinessAsync()).GetProperty("reason").GetString(), Does.Contain("invalid_auth").And.Contain("IncidentBot:Slack:AppToken"));
        Assert.That(await Poll.SettledAsync(() => Slack.CallsTo("apps.connections.open").Count), Is.EqualTo(2), "one try after the restart, none after invalid_auth");
    }

    [Test]
    public async Task OpenRateLimitedOrFailing_RetriesWithBackoff_ThenConnects()
    {
        var first = await SocketAsync();
        Slack.FailNext("apps.connections.open", 1, new FakeFault.RateLimited(1));
        Slack.FailNext("apps.connections.open", 1, new FakeFault.ServerError());

        first.Abort();

        Assert.That(await Poll.UntilAsync(() => Slack.OpenSockets.Count == 1 && Slack.Sockets.Count == 2, TimeSpan.FromSeconds(30)), Is.True, "connected after a 429 and a 500");
        Assert.That(Slack.FaultsLeft("apps.connections.open"), Is.Zero);
        await DeclareAsync();
    }

    [Test]
    public async Task KillDuringBurst_EveryAckedCommandStoredAndDelivered()
    {
        var (channel, _, _) = await DeclareAsync();
        var socket = await SocketAsync();
        var acked = new ConcurrentBag<int>();
        var bot = Bot;

        // Sent in waves of 8 without waiting for each ack, killed once 60 are acked.
        for (var wave = 0; wave < 40 && !bot.HasExited; wave++)
        {
            var sends = Enumerable.Range(wave * 8, 8).Select(async i =>
            {
                var id = await socket.SendEnvelopeAsync(CommandEnvelope($"update step {i:D4} done", channel));
                if (await socket.AckAsync(id, TimeSpan.FromSeconds(5)) is { } ack && ((string?)ack.Payload?["text"])?.Contains("Status update posted", StringComparison.Ordinal) == true)
                {
                    acked.Add(i);
                }
            });
            await Task.WhenAll(sends);
            if (acked.Count >= 60)
            {
                await bot.KillAsync();
            }
        }

        Assert.That(bot.HasExited, Is.True, "killed mid-burst");
        await RestartBotAsync(kill: true);
        await SocketAsync();

        var expected = acked.ToHashSet();
        bool AllDelivered()
        {
            var texts = Slack.Messages.Select(m => m.Text).ToList();
            return expected.All(i => texts.Count(t => t.Contains($"step {i:D4} done", StringComparison.Ordinal)) >= 2);
        }

        Assert.That(await Poll.UntilAsync(AllDelivered, TimeSpan.FromSeconds(120)), Is.True, "every acked update reaches Slack");
        var timeline = (await ApiAsync("/api/incidents/1/timeline")).EnumerateArray()
            .Where(e => e.GetProperty("kind").GetString() == "StatusUpdate").Select(e => e.GetProperty("text").GetString()!).ToList();
        Assert.That(expected.Select(i => $"step {i:D4} done"), Is.SubsetOf(timeline), "every acked update is stored");
    }
}

/// <summary>Both transports at once, and two connections: every envelope handled once, on the connection that carried it.</summary>
public sealed class SocketModeTwoConnectionTests : SocketModeFixture
{
    protected override bool HttpToo => true;

    protected override int Connections => 2;

    [Test]
    public async Task TwoConnections_EachEnvelopeHandledOnce_HttpWorksToo()
    {
        await SocketAsync(count: 2);
        var (channel, _, _) = await DeclareAsync();
        var sockets = Slack.OpenSockets;
        Assert.That(sockets, Has.Count.EqualTo(2));

        // One stream per connection, the two at once (20 at once on one incident would be conflicts, not transport).
        async Task<List<IncidentBot.Testing.Slack.FakeSocketAck>> StreamAsync(int connection)
        {
            var acked = new List<IncidentBot.Testing.Slack.FakeSocketAck>();
            for (var i = connection; i < 20; i += 2)
            {
                acked.Add(await SendAsync(CommandEnvelope($"note entry {i:D2}", channel), sockets[connection]));
            }

            return acked;
        }

        var acks = (await Task.WhenAll(StreamAsync(0), StreamAsync(1))).SelectMany(a => a).ToList();
        var ts = Slack.SeedMessage(channel, "Seen on both connections", "U8");
        var reaction = Reaction("Ev0TWICE", channel, ts);
        await SendAsync(EventEnvelope(reaction), sockets[0]);
        await SendAsync(EventEnvelope(reaction, retryAttempt: 1), sockets[1]);

        Assert.That(acks.Select(a => (string?)a.Payload?["text"]), Has.All.StartWith("Noted"));
        Assert.That(sockets.SelectMany(s => s.Unmatched), Is.Empty, "every ack on the connection of its envelope, once");
        var kinds = await TimelineKindsAsync(1);
        Assert.That(kinds.Count(k => k == "Note"), Is.EqualTo(20));
        Assert.That(await Poll.UntilAsync(async () => (await TimelineKindsAsync(1)).Contains("MessageReacted")), Is.True);
        Assert.That((await TimelineKindsAsync(1)).Count(k => k == "MessageReacted"), Is.EqualTo(1), "one event on two connections, recorded once");

        using var http = await CommandAsync("note over HTTP", channel);
        Assert.That(http.StatusCode, Is.EqualTo(HttpStatusCode.OK), "with both keys both paths work");
        Assert.That(await http.Content.ReadAsStringAsync(), Does.Contain("Noted"));
        Assert.That(Bot.Output, Does.Contain("Socket Mode on (IncidentBot:Slack:AppToken is set; 2 connection(s))"));
    }
}
