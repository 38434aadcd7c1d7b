using System.Text.Json;
using System.Text.Json.Nodes;
using IncidentBot.Core.Commands;
using IncidentBot.Testing;
using IncidentBot.Testing.JsonSchema;

namespace IncidentBot.Teams.Tests.Manifest;

public sealed class TeamsManifestTests
{
    internal const string Placeholder = "00000000-0000-0000-0000-000000000000";

    internal static readonly string Folder = Path.Combine(RepoPaths.Root, "manifest", "teams");

    private static readonly string ManifestPath = Path.Combine(Folder, "manifest.json");

    internal static ManifestSchema Schema() => ManifestSchema.Load(RepoPaths.Fixture("teams", "MicrosoftTeams.schema.v1.29.json"));

    private static JsonElement Manifest() => JsonDocument.Parse(File.ReadAllText(ManifestPath)).RootElement;

    [Test]
    public void Manifest_AgainstTheV129Schema_HasNoErrors() =>
        Assert.That(Schema().Validate(Manifest()), Is.Empty);

    [Test]
    public void Manifest_SchemaAndVersion_Are129()
    {
        var manifest = Manifest();

        Assert.That(manifest.GetProperty("$schema").GetString(), Is.EqualTo("https://developer.microsoft.com/json-schemas/teams/v1.29/MicrosoftTeams.schema.json"));
        Assert.That(manifest.GetProperty("manifestVersion").GetString(), Is.EqualTo("1.29"));
    }

    [Test]
    public void Schema_BrokenManifest_IsRefused()
    {
        var broken = JsonNode.Parse(File.ReadAllText(ManifestPath))!.AsObject();
        broken["manifestVersion"] = "1.28";
        broken["bots"]![0]!["botId"] = "incidentbot";
        broken["developer"]!["name"] = new string('x', 33);
        broken["composeExtensions"]![0]!["commands"]![0]!["title"] = "Declare incident from this message";

        var errors = Schema().Validate(JsonSerializer.SerializeToElement(broken));

        Assert.That(errors.Select(e => (e.Location, e.Keyword)), Is.SupersetOf(new[]
        {
            ("/manifestVersion", "const"),
            ("/bots/0/botId", "pattern"),
            ("/developer/name", "maxLength"),
            ("/composeExtensions/0/commands/0/title", "maxLength"),
        }));
        Assert.That(errors.Where(e => e.Keyword == "maxLength").Select(e => e.Message), Is.All.Contains("32"));
    }

    [Test]
    public void Manifest_Ids_AreThePlaceholderTheTeamsPackageFills()
    {
        var manifest = Manifest();

        Assert.That(manifest.GetProperty("id").GetString(), Is.EqualTo(Placeholder));
        Assert.That(manifest.GetProperty("bots")[0].GetProperty("botId").GetString(), Is.EqualTo(Placeholder));
        Assert.That(manifest.GetProperty("composeExtensions")[0].GetProperty("botId").GetString(), Is.EqualTo(Placeholder));
        Assert.That(manifest.GetProperty("webApplicationInfo").GetProperty("id").GetString(), Is.EqualTo(Placeholder));
    }

    [Test]
    public void ColorIcon_File_IsA192By192Png()
    {
        var png = PngFile.Read(File.ReadAllBytes(Path.Combine(Folder, Manifest().GetProperty("icons").GetProperty("color").GetString()!)));

        Assert.That((png.Width, png.Height), Is.EqualTo((192, 192)));
    }

    [Test]
    public void OutlineIcon_File_Is32By32WhiteOnTransparent()
    {
        var png = PngFile.Read(File.ReadAllBytes(Path.Combine(Folder, Manifest().GetProperty("icons").GetProperty("outline").GetString()!)));
        Assert.That((png.Width, png.Height, png.ColourType), Is.EqualTo((32, 32, 6)), "32x32 with an alpha channel (colour type 6)");

        var pixels = png.RgbaRows().SelectMany(row => row.Chunk(4)).ToList();

        Assert.That(pixels, Has.Count.EqualTo(32 * 32));
        Assert.That(pixels.Where(p => p[3] != 0), Is.All.EqualTo(new byte[] { 255, 255, 255, 255 }), "every visible pixel is opaque white");
        Assert.That(pixels.Count(p => p[3] == 0), Is.InRange(1, (32 * 32) - 1), "a transparent background around a white foreground");
    }

    [Test]
    public void Manifest_CommandList_HasTheCommandsTheParserKnows()
    {
        var bot = Manifest().GetProperty("bots")[0];
        var lists = bot.GetProperty("commandLists").EnumerateArray().ToList();
        var titles = lists.SelectMany(l => l.GetProperty("commands").EnumerateArray()).Select(c => c.GetProperty("title").GetString()!).ToList();
        var botScopes = bot.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()).ToList();

        Assert.That(titles, Is.SupersetOf(new[] { "declare", "status", "update", "list", "help" }));
        Assert.That(botScopes, Is.EquivalentTo(new[] { "team", "groupChat", "personal" }));
        Assert.That(lists.SelectMany(l => l.GetProperty("scopes").EnumerateArray()).Select(s => s.GetString()), Is.SubsetOf(botScopes));
        Assert.That(titles.Select(t => CommandParser.Parse(t)), Has.None.Matches<Command>(c => c is HelpCommand { Error: { } e } && e.PlainText.StartsWith("Unknown command", StringComparison.Ordinal)));
    }

    [Test]
    public void Manifest_MessageAction_DeclaresFromAMessageWithAFetchedTask()
    {
        var extension = Manifest().GetProperty("composeExtensions")[0];
        var command = extension.GetProperty("commands").EnumerateArray().Single(c => c.GetProperty("id").GetString() == "declareFromMessage");

        Assert.That(extension.GetProperty("composeExtensionType").GetString(), Is.EqualTo("botBased"));
        Assert.That(command.GetProperty("type").GetString(), Is.EqualTo("action"));
        Assert.That(command.GetProperty("context").EnumerateArray().Select(c => c.GetString()), Is.EqualTo(new[] { "message" }));
        Assert.That(command.GetProperty("fetchTask").GetBoolean(), Is.True);
    }

    [Test]
    public void Manifest_MessageAction_AddsAFollowUpFromAMessageWithAFetchedTask()
    {
        var extension = Manifest().GetProperty("composeExtensions")[0];
        var command = extension.GetProperty("commands").EnumerateArray().Single(c => c.GetProperty("id").GetString() == IncidentBot.Teams.Inbound.TeamsActivityEndpoint.FollowUpCommandId);

        Assert.That(command.GetProperty("type").GetString(), Is.EqualTo("action"));
        Assert.That(command.GetProperty("context").EnumerateArray().Select(c => c.GetString()), Is.EqualTo(new[] { "message" }));
        Assert.That(command.GetProperty("fetchTask").GetBoolean(), Is.True);
        Assert.That(command.GetProperty("title").GetString(), Does.StartWith("Add follow-up"));
    }

    [Test]
    public void Manifest_ResourceSpecificConsent_AsksForChannelCreation()
    {
        var permissions = Manifest().GetProperty("authorization").GetProperty("permissions").GetProperty("resourceSpecific").EnumerateArray()
            .Select(p => (p.GetProperty("name").GetString(), p.GetProperty("type").GetString()));

        Assert.That(permissions, Is.EquivalentTo(new[] { ("Channel.Create.Group", "Application"), ("ChannelSettings.ReadWrite.Group", "Application") }));
    }
}
