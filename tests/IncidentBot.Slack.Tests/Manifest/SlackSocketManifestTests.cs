using System.Text.Json;
using System.Text.Json.Nodes;
using IncidentBot.Testing;
using IncidentBot.Testing.JsonSchema;

namespace IncidentBot.Slack.Tests.Manifest;

/// <summary>app-manifest.socket.json: Socket Mode on, no request URL, and otherwise the HTTP manifest exactly.</summary>
public sealed class SlackSocketManifestTests
{
    private static JsonNode Read(string file) => JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "manifest", "slack", file)))!;

    private static JsonNode Socket() => Read("app-manifest.socket.json");

    [Test]
    public void SocketManifest_IsValidAgainstSlacksSchema() =>
        Assert.That(ManifestSchema.Load(RepoPaths.Fixture("slack", "manifest-schema", "manifest.schema.1.0.0.json")).Validate(JsonSerializer.SerializeToElement(Socket())), Is.Empty);

    [Test]
    public void SocketManifest_SocketModeOn_NoRequestUrls()
    {
        var manifest = Socket();

        Assert.That(manifest["settings"]!["socket_mode_enabled"]!.GetValue<bool>(), Is.True);
        Assert.That(manifest.ToJsonString(), Does.Not.Contain("url\"").And.Not.Contain("https://"));
    }

    [Test]
    public void SocketManifest_SameCommandsShortcutsEventsAndScopesAsTheHttpOne()
    {
        // The HTTP manifest with its URLs taken out and Socket Mode switched on must be the socket manifest.
        var http = Read("app-manifest.json").AsObject();
        foreach (var command in http["features"]!["slash_commands"]!.AsArray())
        {
            command!.AsObject().Remove("url");
        }

        http["settings"]!["event_subscriptions"]!.AsObject().Remove("request_url");
        http["settings"]!["interactivity"]!.AsObject().Remove("request_url");
        http["settings"]!["socket_mode_enabled"] = true;

        Assert.That(JsonNode.DeepEquals(http, Socket()), Is.True, "only the transport differs");
    }
}
