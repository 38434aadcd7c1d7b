using System.Diagnostics.Metrics;
using IncidentBot.Host.Metrics;
using IncidentBot.Slack.SocketMode;
using IncidentBot.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentBot.Host.Tests.Metrics;

public sealed class BotMetricsTests
{
    [Test]
    public void SocketModeGauge_ConnectionsByState_NoneWhileSocketModeIsOff()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var clock = TestClock.Create();
        var status = new SocketModeStatus(clock);
        _ = new BotMetrics(services.GetRequiredService<IMeterFactory>(), clock, status);

        var off = Observe();
        status.Set(0, SocketState.Connected);
        status.Set(1, SocketState.Reconnecting);
        status.Set(2, SocketState.Connected);
        var on = Observe();
        status.Disable("link_disabled");
        var disabled = Observe();

        Assert.That(off, Is.Empty, "Socket Mode off: no series");
        Assert.That(on, Is.EquivalentTo(new[] { ("connected", 2), ("reconnecting", 1) }));
        Assert.That(disabled, Is.EquivalentTo(new[] { ("disabled", 3) }));
    }

    [Test]
    public void SocketModeEnvelope_CountedAsInboundOverTheSocket_WithItsAnswerTime()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var clock = TestClock.Create();
        var status = new SocketModeStatus(clock);
        var metrics = new BotMetrics(services.GetRequiredService<IMeterFactory>(), clock, status);
        var counted = new List<string>();
        var timed = new List<double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == BotMetrics.MeterName && instrument.Name.StartsWith("incidentbot.inbound", StringComparison.Ordinal))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) => counted.Add(string.Join(",", tags.ToArray().Select(t => $"{t.Key}={t.Value}"))));
        listener.SetMeasurementEventCallback<double>((_, value, _, _) => timed.Add(value));
        listener.Start();

        status.Answered("command", TimeSpan.FromMilliseconds(12));
        metrics.Inbound("slack", "command", 200, TimeSpan.FromMilliseconds(3));

        Assert.That(counted, Is.EqualTo(new[] { "platform=slack,kind=command,status=2xx,transport=socket", "platform=slack,kind=command,status=2xx,transport=http" }));
        Assert.That(timed, Is.EqualTo(new[] { 0.012, 0.003 }).Within(1e-9));
    }

    [Test]
    public void RemindersAndFollowUpNudges_CountedApart_NothingForZero()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new BotMetrics(services.GetRequiredService<IMeterFactory>(), TestClock.Create());
        var counted = new List<(string Name, long Value)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == BotMetrics.MeterName && instrument.Name.EndsWith(".sent", StringComparison.Ordinal))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => counted.Add((instrument.Name, value)));
        listener.Start();

        metrics.RemindersSent(2);
        metrics.FollowUpNudgesSent(3);
        metrics.FollowUpNudgesSent(0);

        Assert.That(counted, Is.EqualTo(new[] { ("incidentbot.reminders.sent", 2L), ("incidentbot.followup_nudges.sent", 3L) }));
    }

    /// <summary>The gauge's measurements now, as (state, connections).</summary>
    private static List<(string State, int Count)> Observe()
    {
        var seen = new List<(string, int)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == BotMetrics.MeterName && instrument.Name == "incidentbot.socket_mode.connections")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<int>((_, value, tags, _) => seen.Add(((string)tags[0].Value!, value)));
        listener.Start();
        listener.RecordObservableInstruments();
        return seen;
    }
}
