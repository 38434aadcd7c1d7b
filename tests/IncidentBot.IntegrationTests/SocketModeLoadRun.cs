using System.Diagnostics;
using System.Globalization;
using IncidentBot.IntegrationTests.Support;
using IncidentBot.Testing.Slack;

namespace IncidentBot.IntegrationTests;

/// <summary>
/// The load run of the Socket Mode issue: `/incident note` envelopes at 200/s for 60 s over one connection against
/// the real bot (durable SQLite), ack latency from frame sent to ack received; then the same rate of signed HTTP
/// notes on the same bot for the HTTP path's p99. Explicit: `dotnet test -c Release --filter Category=Load`
/// (the HTTP half needs `hey`, apt package). LOAD_SECONDS shortens both halves.
/// </summary>
[Explicit("Load run: a minute per transport; numbers go into the issue note.")]
[Category("Load")]
public sealed class SocketModeLoadRun : SocketModeFixture
{
    protected override bool HttpToo => true;

    [Test]
    public async Task NoteEnvelopes_200PerSecondFor60Seconds_OneConnection()
    {
        var (channel, _, _) = await DeclareAsync();
        var socket = await SocketAsync();
        var seconds = int.Parse(Environment.GetEnvironmentVariable("LOAD_SECONDS") ?? "60", CultureInfo.InvariantCulture);
        const int PerSecond = 200;
        var total = seconds * PerSecond;
        var sent = new List<string>(total);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < total; i++)
        {
            // Paced on the real clock: envelope i leaves at i * 5 ms.
            var due = TimeSpan.FromMilliseconds(i * 1000.0 / PerSecond);
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed);
            }

            sent.Add(await socket.SendEnvelopeAsync(CommandEnvelope($"note load entry {i:D5}", channel)));
        }

        var elapsed = clock.Elapsed;
        var acks = new List<FakeSocketAck>(total);
        foreach (var id in sent)
        {
            if (await socket.AckAsync(id, TimeSpan.FromSeconds(10)) is { } ack)
            {
                acks.Add(ack);
            }
        }

        var latencies = acks.Select(a => a.Latency.TotalMilliseconds).Order().ToList();
        double Percentile(double p) => latencies.Count == 0 ? double.NaN : latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(p / 100 * latencies.Count) - 1)];
        var refused = acks.Count(a => ((string?)a.Payload?["text"])?.StartsWith("Noted", StringComparison.Ordinal) != true);
        var errors = total - acks.Count + refused;
        TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"socket: {total} envelopes in {elapsed.TotalSeconds:F1} s ({total / elapsed.TotalSeconds:F1}/s), acks {acks.Count}, not Noted {refused}, errors {errors}, ack p50 {Percentile(50):F2} ms, p99 {Percentile(99):F2} ms, max {latencies.LastOrDefault():F2} ms"));
        if (refused > 0)
        {
            TestContext.Out.WriteLine($"first refusal: {acks.First(a => ((string?)a.Payload?["text"])?.StartsWith("Noted", StringComparison.Ordinal) != true).Json.ToJsonString()}");
        }

        var ts = SlackSigner.Now();
        var http = await SlackLoadRun.HeyAsync(Bot, new SlackLoadRun.HeyLoad(200, seconds), "POST", "/slack/commands", SlackSigner.Command("note load run over http", channel), ts);
        TestContext.Out.WriteLine($"http (same bot, same store, 200 req/s): {http}");
        TestContext.Out.WriteLine($"peak working set: {SlackLoadRun.PeakWorkingSetMb(Bot)} MB");

        Assert.That(errors, Is.Zero);
        Assert.That(http.Errors, Is.Zero);
    }
}
