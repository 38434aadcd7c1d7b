using System.Text.Json;
using System.Text.Json.Nodes;
using IncidentBot.Testing;
using IncidentBot.Testing.JsonSchema;

namespace IncidentBot.Slack.Tests.Manifest;

public sealed class SlackManifestTests
{
    private static readonly string ManifestPath = Path.Combine(RepoPaths.Root, "manifest", "slack", "app-manifest.json");

    private static ManifestSchema Schema() => ManifestSchema.Load(RepoPaths.Fixture("slack", "manifest-schema", "manifest.schema.1.0.0.json"));

    private static JsonElement Manifest() => JsonDocument.Parse(File.ReadAllText(ManifestPath)).RootElement;

    /// <summary>app-manifest.socket.json: the same app for Socket Mode.</summary>
    private static JsonNode SocketManifest() => JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "manifest", "slack", "app-manifest.socket.json")))!;

    [Test]
    public void Manifest_IsValidAgainstSlacksSchema() =>
        Assert.That(Schema().Validate(Manifest()), Is.Empty);

    [Test]
    public void Schema_RejectsABrokenManifest()
    {
        var broken = JsonNode.Parse(File.ReadAllText(ManifestPath))!.AsObject();
        broken["display_information"]!.AsObject().Remove("name");
        broken["features"]!["slash_commands"]![0]!["command"] = "incident";

        var errors = Schema().Validate(JsonSerializer.SerializeToElement(broken));

        Assert.That(errors, Has.Some.Matches<SchemaError>(e => e is { Location: "/display_information", Keyword: "required" } && e.Message.Contains("\"name\"", StringComparison.Ordinal)));
        Assert.That(errors, Has.Some.Matches<SchemaError>(e => e is { Location: "/features/slash_commands/0/command", Keyword: "pattern" }));
    }

    [Test]
    public void Schema_ManifestWithoutDisplayInformation_IsRefusedAtTheRoot()
    {
        var broken = JsonNode.Parse(File.ReadAllText(ManifestPath))!.AsObject();
        broken.Remove("display_information");

        Assert.That(Schema().Validate(JsonSerializer.SerializeToElement(broken)), Has.Exactly(1).Matches<SchemaError>(e => e is { Location: "", Keyword: "required" } && e.Message.Contains("display_information", StringComparison.Ordinal)));
    }

    [Test]
    public void Manifest_UrlsShareOneBase_AndPointAtOurRoutes()
    {
        var manifest = Manifest();
        var urls = new[]
        {
            manifest.GetProperty("features").GetProperty("slash_commands")[0].GetProperty("url").GetString()!,
            manifest.GetProperty("settings").GetProperty("interactivity").GetProperty("request_url").GetString()!,
            manifest.GetProperty("settings").GetProperty("event_subscriptions").GetProperty("request_url").GetString()!,
        }.Select(u => new Uri(u)).ToList();

        Assert.That(urls.Select(u => u.GetLeftPart(UriPartial.Authority)).Distinct().Count(), Is.EqualTo(1));
        Assert.That(urls.Select(u => u.AbsolutePath), Is.EqualTo(new[] { "/slack/commands", "/slack/interactions", "/slack/events" }));
    }

    [Test]
    public void Manifest_SubscribesToTheEventsTheBotHandles()
    {
        var events = Manifest().GetProperty("settings").GetProperty("event_subscriptions").GetProperty("bot_events").EnumerateArray().Select(e => e.GetString());

        Assert.That(events, Is.EquivalentTo(new[] { "pin_added", "reaction_added", "member_joined_channel" }));
    }

    [Test]
    public void Manifest_HasTheMessageShortcutTheEdgeRoutes()
    {
        var shortcuts = Manifest().GetProperty("features").GetProperty("shortcuts").EnumerateArray().ToList();

        Assert.That(shortcuts.Any(s => s.GetProperty("type").GetString() == "message" && s.GetProperty("callback_id").GetString() == IncidentBot.Slack.Inbound.SlackInteractionHandler.DeclareFromMessageCallback), Is.True);
    }

    [Test]
    public void BothManifests_HaveTheFollowUpShortcutTheEdgeRoutes()
    {
        static bool HasIt(JsonNode manifest) => manifest["features"]!["shortcuts"]!.AsArray().Any(s =>
            (string?)s!["type"] == "message" && (string?)s["callback_id"] == IncidentBot.Slack.Inbound.SlackInteractionHandler.FollowUpFromMessageCallback);

        Assert.That(HasIt(JsonNode.Parse(File.ReadAllText(ManifestPath))!), Is.True, "app-manifest.json");
        Assert.That(HasIt(SocketManifest()), Is.True, "app-manifest.socket.json");
    }

    [Test]
    public void SocketManifest_IsValidAgainstSlacksSchema() =>
        Assert.That(Schema().Validate(JsonSerializer.SerializeToElement(SocketManifest())), Is.Empty);

    [Test]
    public void SocketManifest_SocketModeOn_NoRequestUrls()
    {
        var manifest = SocketManifest();

        Assert.That(manifest["settings"]!["socket_mode_enabled"]!.GetValue<bool>(), Is.True);
        Assert.That(manifest.ToJsonString(), Does.Not.Contain("url\"").And.Not.Contain("https://"));
    }

    [Test]
    public void SocketManifest_SameCommandsShortcutsEventsAndScopesAsTheHttpOne()
    {
        // The HTTP manifest with its URLs taken out and Socket Mode switched on must be the socket manifest.
        var http = JsonNode.Parse(File.ReadAllText(ManifestPath))!.AsObject();
        foreach (var command in http["features"]!["slash_commands"]!.AsArray())
        {
            command!.AsObject().Remove("url");
        }

        http["settings"]!["event_subscriptions"]!.AsObject().Remove("request_url");
        http["settings"]!["interactivity"]!.AsObject().Remove("request_url");
        http["settings"]!["socket_mode_enabled"] = true;

        Assert.That(JsonNode.DeepEquals(http, SocketManifest()), Is.True, "only the transport differs");
    }
}
