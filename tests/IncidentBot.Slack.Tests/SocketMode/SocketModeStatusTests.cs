using System.Text.Json;
using IncidentBot.Slack.SocketMode;
using IncidentBot.Testing;

namespace IncidentBot.Slack.Tests.SocketMode;

/// <summary>The readiness detail: connected count, reconnecting since the loss, disabled with its reason (and only once).</summary>
public sealed class SocketModeStatusTests
{
    private static JsonElement Snapshot(SocketModeStatus status) => JsonSerializer.SerializeToElement(status.Snapshot());

    [Test]
    public void Snapshot_OneOfTwoReconnecting_ReconnectingSinceTheLoss()
    {
        var clock = TestClock.Create();
        var status = new SocketModeStatus(clock);
        status.Set(1, SocketState.Connected);
        status.Set(2, SocketState.Connected);
        clock.Advance(TimeSpan.FromMinutes(1));
        status.Set(2, SocketState.Reconnecting);
        clock.Advance(TimeSpan.FromMinutes(1));
        status.Set(2, SocketState.Reconnecting);

        var snapshot = Snapshot(status);

        Assert.That(snapshot.GetProperty("state").GetString(), Is.EqualTo("reconnecting"));
        Assert.That(snapshot.GetProperty("since").GetDateTimeOffset(), Is.EqualTo(TestClock.Start.AddMinutes(1)), "since the loss, not the latest try");
        Assert.That(snapshot.GetProperty("connections").GetInt32(), Is.EqualTo(1));
        Assert.That(snapshot.GetProperty("of").GetInt32(), Is.EqualTo(2));
    }

    [Test]
    public void Disable_Twice_FirstReasonKept_TrueOnlyOnce()
    {
        var status = new SocketModeStatus(TestClock.Create());
        status.Set(1, SocketState.Connected);

        Assert.That(status.Disable("link_disabled"), Is.True);
        Assert.That(status.Disable("invalid_auth"), Is.False);

        var snapshot = Snapshot(status);
        Assert.That(snapshot.GetProperty("state").GetString(), Is.EqualTo("disabled"));
        Assert.That(snapshot.GetProperty("reason").GetString(), Is.EqualTo("link_disabled"));
        Assert.That(snapshot.GetProperty("connections").GetInt32(), Is.Zero);
    }
}
