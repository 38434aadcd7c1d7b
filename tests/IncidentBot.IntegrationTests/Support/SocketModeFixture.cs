using System.Text.Json;
using System.Text.Json.Nodes;
using IncidentBot.Testing.Slack;

namespace IncidentBot.IntegrationTests.Support;

/// <summary>
/// The bot in Socket Mode against the fake Slack's WebSocket endpoint: the app token set, no signing secret
/// unless a test class asks for both paths. Envelopes are built on the reference frames (tests/fixtures/slack/socket/).
/// </summary>
public abstract class SocketModeFixture : SlackBotFixture
{
    public const string AppToken = "xapp-1-A07K58AR4RF-1234567890-secret-app-token";

    /// <summary>Slack's 3 seconds, which every ack must beat.</summary>
    protected static readonly TimeSpan AckLimit = TimeSpan.FromSeconds(3);

    protected virtual bool HttpToo => false;

    protected virtual int Connections => 1;

    protected override IReadOnlyList<string> Secrets => [.. base.Secrets, AppToken];

    protected override async Task StartFakesAsync()
    {
        await base.StartFakesAsync();
        Slack.AppToken = AppToken;
    }

    protected override Dictionary<string, string> PlatformSettings()
    {
        var settings = base.PlatformSettings();
        settings["IncidentBot__Slack__AppToken"] = AppToken;
        settings["IncidentBot__Slack__SocketConnections"] = Connections.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (!HttpToo)
        {
            settings.Remove("IncidentBot__Slack__SigningSecret");
        }

        return settings;
    }

    /// <summary>The newest open connection, once <paramref name="count"/> are open.</summary>
    protected async Task<FakeSocketModeConnection> SocketAsync(int count = 1)
    {
        Assert.That(await Poll.UntilAsync(() => Slack.OpenSockets.Count >= count, TimeSpan.FromSeconds(30)), Is.True, $"{count} Socket Mode connection(s) open");
        return Slack.OpenSockets[^1];
    }

    /// <summary>Sends <paramref name="envelope"/> and returns its ack, checked to have come within Slack's 3 seconds.</summary>
    protected async Task<FakeSocketAck> SendAsync(JsonObject envelope, FakeSocketModeConnection? socket = null)
    {
        socket ??= await SocketAsync();
        var id = await socket.SendEnvelopeAsync(envelope);
        var ack = await socket.AckAsync(id);
        Assert.That(ack, Is.Not.Null, $"envelope {id} acked");
        Assert.That(ack!.Latency, Is.LessThan(AckLimit), $"envelope {id} acked within 3 s");
        return ack;
    }

    protected override async Task DeclareCommandAsync(string title)
    {
        var ack = await SendAsync(CommandEnvelope($"declare {title}"));
        Assert.That((string?)ack.Payload?["text"], Is.Not.Null.And.Not.Empty, "the slash command's private reply rides on the ack");
    }

    /// <summary>The slash_commands sample with a new envelope_id and this test's text, channel and user.</summary>
    protected static JsonObject CommandEnvelope(string text, string channel = "CGENERAL", string user = "U1")
    {
        var envelope = Envelope("envelope-slash_commands.json");
        var payload = envelope["payload"]!.AsObject();
        payload["team_id"] = "T1";
        payload["channel_id"] = channel;
        payload["user_id"] = user;
        payload["user_name"] = user == "U1" ? "ada" : "grace";
        payload["text"] = text;
        return envelope;
    }

    /// <summary>The block_actions sample as a click on one of our buttons.</summary>
    protected static JsonObject ClickEnvelope(string actionId, long incidentId, string channel, string user = "U1")
    {
        var envelope = Envelope("envelope-interactive-block_actions.json");
        var payload = envelope["payload"]!.AsObject();
        payload["team"] = new JsonObject { ["id"] = "T1", ["domain"] = "acme" };
        payload["user"] = new JsonObject { ["id"] = user, ["username"] = user, ["name"] = user, ["team_id"] = "T1" };
        payload["channel"] = new JsonObject { ["id"] = channel, ["name"] = "inc" };
        payload["container"]!["channel_id"] = channel;
        payload["actions"]![0]!["action_id"] = actionId;
        payload["actions"]![0]!["value"] = incidentId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return envelope;
    }

    /// <summary>An events_api envelope around <paramref name="eventCallback"/>; a redelivery when <paramref name="retryAttempt"/> is more than 0.</summary>
    protected static JsonObject EventEnvelope(JsonObject eventCallback, int retryAttempt = 0)
    {
        var envelope = Envelope(retryAttempt == 0 ? "envelope-events_api.json" : "envelope-events_api-retry.json");
        envelope["payload"] = eventCallback.DeepClone();
        envelope["retry_attempt"] = retryAttempt;
        return envelope;
    }

    /// <summary>A sample frame with a fresh envelope_id, as every delivery (and redelivery) has.</summary>
    protected static JsonObject Envelope(string file)
    {
        var envelope = FakeSlackServer.SocketSample(file);
        envelope["envelope_id"] = Guid.NewGuid().ToString();
        return envelope;
    }

    protected async Task<JsonElement> ReadinessAsync()
    {
        using var response = await Bot.Client.GetAsync(new Uri("/readyz", UriKind.Relative));
        Assert.That(response.IsSuccessStatusCode, Is.True, "readiness never fails for Socket Mode");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("slackSocketMode").Clone();
    }
}
