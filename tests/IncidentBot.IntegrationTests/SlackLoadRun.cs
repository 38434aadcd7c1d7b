using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using IncidentBot.IntegrationTests.Support;

namespace IncidentBot.IntegrationTests;

/// <summary>
/// The load run of the Slack issue: signed `/incident status` and `/incident note` at 200 requests/s for
/// 60 s against the real bot (durable SQLite), beside the same rate against a bare endpoint of the same
/// host. Explicit: run with `dotnet test -c Release --filter Category=Load` (needs `hey`, apt package).
/// </summary>
[Explicit("Load run: one minute per endpoint; numbers go into the issue note.")]
[Category("Load")]
public sealed partial class SlackLoadRun : SlackBotFixture
{
    [Test]
    public async Task SignedCommands_200PerSecondFor60Seconds()
    {
        var (channel, _, _) = await DeclareAsync();
        var ts = SlackSigner.Now();
        var status = SlackSigner.Command("status", channel);
        var note = SlackSigner.Command("note load run entry", channel);
        var duration = Environment.GetEnvironmentVariable("LOAD_SECONDS") ?? "60";

        var floor = await HeyAsync(Bot, duration, 8, "GET", "/healthz", null, ts);
        var peakBefore = PeakWorkingSetMb(Bot);
        var runs = await Task.WhenAll(HeyAsync(Bot, duration, 4, "POST", "/slack/commands", status, ts), HeyAsync(Bot, duration, 4, "POST", "/slack/commands", note, ts));
        var peak = PeakWorkingSetMb(Bot);

        TestContext.Out.WriteLine($"floor /healthz: {floor}");
        TestContext.Out.WriteLine($"status: {runs[0]}");
        TestContext.Out.WriteLine($"note:   {runs[1]}");
        TestContext.Out.WriteLine($"peak working set: {peak} MB (before the command run: {peakBefore} MB)");
        Assert.That(runs.All(r => r.Errors == 0), Is.True);
    }

    internal sealed record HeyResult(double P50Ms, double P99Ms, int Ok, int Errors, double Rps)
    {
        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"p50 {P50Ms:F2} ms, p99 {P99Ms:F2} ms, 200s {Ok}, errors {Errors}, {Rps:F1} req/s");
    }

    internal static async Task<HeyResult> HeyAsync(BotProcess bot, string seconds, int workers, string method, string path, string? body, long ts)
    {
        var args = new List<string> { "-z", $"{seconds}s", "-c", workers.ToString(CultureInfo.InvariantCulture), "-q", "25", "-m", method };
        if (body is not null)
        {
            args.AddRange(["-T", "application/x-www-form-urlencoded", "-d", body,
                "-H", $"X-Slack-Request-Timestamp: {ts.ToString(CultureInfo.InvariantCulture)}",
                "-H", $"X-Slack-Signature: {SlackSigner.Signature(Secret, ts, body)}"]);
        }

        args.Add($"http://127.0.0.1:{bot.Port}{path}");
        Process hey;
        try
        {
            hey = Process.Start(new ProcessStartInfo("hey", args) { RedirectStandardOutput = true })!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Assert.Ignore("The load run needs the load generator hey: apt-get install -y hey");
            throw;
        }

        using var started = hey;
        var output = await hey.StandardOutput.ReadToEndAsync();
        await hey.WaitForExitAsync();
        double Latency(string pct) => double.Parse(Regex.Match(output, $@"{pct}% in ([\d.]+) secs").Groups[1].Value, CultureInfo.InvariantCulture) * 1000;
        var ok = Regex.Match(output, @"\[200\]\s+(\d+) responses") is { Success: true } m ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        var other = Regex.Matches(output, @"\[(\d+)\]\s+(\d+) responses").Where(x => x.Groups[1].Value != "200").Sum(x => int.Parse(x.Groups[2].Value, CultureInfo.InvariantCulture));
        var errors = other + (output.Contains("Error distribution", StringComparison.Ordinal) ? 1 : 0);
        var rps = double.Parse(Regex.Match(output, @"Requests/sec:\s+([\d.]+)").Groups[1].Value, CultureInfo.InvariantCulture);
        return new HeyResult(Latency("50"), Latency("99"), ok, errors, rps);
    }

    internal static double PeakWorkingSetMb(BotProcess bot)
    {
        var status = File.ReadAllText($"/proc/{bot.ProcessId}/status");
        return double.Parse(Regex.Match(status, @"VmHWM:\s+(\d+) kB").Groups[1].Value, CultureInfo.InvariantCulture) / 1024;
    }
}
