using System.IO.Compression;
using System.Text.Json;
using IncidentBot.Teams.Manifest;
using Microsoft.Extensions.Configuration;

namespace IncidentBot.Teams.Tests.Manifest;

public sealed class TeamsAppPackageTests
{
    private const string AppId = "5b1c3f8e-2d4a-4e6b-9c7d-0a1b2c3d4e5f";

    private string folder = null!;

    private string Output => Path.Combine(folder, "out", "incidentbot-teams.zip");

    [SetUp]
    public void CreateFolder() => folder = Directory.CreateTempSubdirectory("incidentbot-teams-package-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(folder, recursive: true);

    private JsonElement PackagedManifest()
    {
        using var zip = ZipFile.OpenRead(Output);
        using var stream = zip.GetEntry("manifest.json")!.Open();
        return JsonDocument.Parse(stream).RootElement.Clone();
    }

    [Test]
    public void Build_WithAGuid_WritesManifestAndIconsAtTheRoot()
    {
        TeamsAppPackage.Build(TeamsManifestTests.Folder, AppId, null, Output);

        using var zip = ZipFile.OpenRead(Output);
        Assert.That(zip.Entries.Select(e => e.FullName), Is.EquivalentTo(new[] { "manifest.json", "color.png", "outline.png" }));
        foreach (var icon in new[] { "color.png", "outline.png" })
        {
            using var packaged = new MemoryStream();
            using (var entry = zip.GetEntry(icon)!.Open())
            {
                entry.CopyTo(packaged);
            }

            Assert.That(packaged.ToArray(), Is.EqualTo(File.ReadAllBytes(Path.Combine(TeamsManifestTests.Folder, icon))), icon);
        }
    }

    [Test]
    public void Build_WithAGuid_FillsEveryIdAndTheResource()
    {
        TeamsAppPackage.Build(TeamsManifestTests.Folder, AppId.ToUpperInvariant(), null, Output);

        var manifest = PackagedManifest();
        Assert.That(manifest.GetProperty("id").GetString(), Is.EqualTo(AppId));
        Assert.That(manifest.GetProperty("bots").EnumerateArray().Select(b => b.GetProperty("botId").GetString()), Is.EqualTo(new[] { AppId }));
        Assert.That(manifest.GetProperty("composeExtensions").EnumerateArray().Select(b => b.GetProperty("botId").GetString()), Is.EqualTo(new[] { AppId }));
        Assert.That(manifest.GetProperty("webApplicationInfo").GetProperty("id").GetString(), Is.EqualTo(AppId));
        Assert.That(manifest.GetProperty("webApplicationInfo").GetProperty("resource").GetString(), Is.EqualTo($"api://botid-{AppId}"));
        Assert.That(manifest.ToString(), Does.Not.Contain(TeamsManifestTests.Placeholder));
    }

    [Test]
    public void Build_ManifestInThePackage_StillValidatesAgainstTheSchema()
    {
        TeamsAppPackage.Build(TeamsManifestTests.Folder, AppId, "https://incidents.contoso.test/", Output);

        Assert.That(TeamsManifestTests.Schema().Validate(PackagedManifest()), Is.Empty);
    }

    [Test]
    public void Build_WithAPublicBaseUrl_AddsItsHostToValidDomains()
    {
        TeamsAppPackage.Build(TeamsManifestTests.Folder, AppId, "https://incidents.contoso.test:8443/bot/", Output);

        Assert.That(PackagedManifest().GetProperty("validDomains").EnumerateArray().Select(d => d.GetString()), Is.EqualTo(new[] { "incidents.contoso.test" }));
    }

    [Test]
    public void Build_OverAnExistingFile_ReplacesIt()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Output)!);
        File.WriteAllText(Output, "stale");

        TeamsAppPackage.Build(TeamsManifestTests.Folder, AppId, null, Output);

        Assert.That(PackagedManifest().GetProperty("id").GetString(), Is.EqualTo(AppId));
    }

    [TestCase("incidentbot")]
    [TestCase("5b1c3f8e2d4a4e6b9c7d0a1b2c3d4e5f")]
    [TestCase("{5b1c3f8e-2d4a-4e6b-9c7d-0a1b2c3d4e5f}")]
    [TestCase("")]
    public void Build_WithANonGuidAppId_IsRefusedAndWritesNothing(string appId)
    {
        var refused = Assert.Throws<ArgumentException>(() => TeamsAppPackage.Build(TeamsManifestTests.Folder, appId, null, Output));

        Assert.That(refused!.Message, Does.Contain("IncidentBot:Teams:AppId"));
        Assert.That(File.Exists(Output), Is.False);
    }

    [Test]
    public void Build_WithAnIconMissing_IsRefusedAndWritesNothing()
    {
        var template = Directory.CreateDirectory(Path.Combine(folder, "template")).FullName;
        File.Copy(Path.Combine(TeamsManifestTests.Folder, "manifest.json"), Path.Combine(template, "manifest.json"));
        File.Copy(Path.Combine(TeamsManifestTests.Folder, "color.png"), Path.Combine(template, "color.png"));

        Assert.That(() => TeamsAppPackage.Build(template, AppId, null, Output), Throws.TypeOf<FileNotFoundException>().With.Message.Contains("outline.png"));
        Assert.That(File.Exists(Output), Is.False);
    }

    [Test]
    public void Build_WithThePlaceholderGuid_IsRefused() =>
        Assert.That(() => TeamsAppPackage.Build(TeamsManifestTests.Folder, TeamsManifestTests.Placeholder, null, Output), Throws.ArgumentException.With.Message.Contains("placeholder"));

    [TestCase("http://incidents.contoso.test/")]
    [TestCase("incidents.contoso.test")]
    public void Build_WithANonHttpsBaseUrl_IsRefused(string baseUrl) =>
        Assert.That(() => TeamsAppPackage.Build(TeamsManifestTests.Folder, AppId, baseUrl, Output), Throws.ArgumentException.With.Message.Contains("https"));

    [Test]
    public void Run_WithConfiguredAppId_WritesThePackageAndReturnsZero()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["IncidentBot:Teams:AppId"] = AppId }).Build();
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = TeamsAppPackage.Run([Output], configuration, output, error);

        Assert.That((code, error.ToString()), Is.EqualTo((0, "")));
        Assert.That(output.ToString(), Does.Contain(AppId));
        Assert.That(PackagedManifest().GetProperty("id").GetString(), Is.EqualTo(AppId));
    }

    [Test]
    public void Run_WithARelativeOutputPath_WritesUnderTheRepositoryRoot()
    {
        // Inside this project's git-ignored bin/, which already exists: a failed clean-up leaves nothing to commit.
        var relative = Path.Combine("tests", "IncidentBot.Teams.Tests", "bin", Path.GetFileName(folder), "incidentbot-teams.zip");
        var expected = Path.Combine(IncidentBot.Testing.RepoPaths.Root, relative);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["IncidentBot:Teams:AppId"] = AppId }).Build();
        try
        {
            var code = TeamsAppPackage.Run([relative], configuration, TextWriter.Null, TextWriter.Null);

            Assert.That(code, Is.Zero);
            Assert.That(File.Exists(expected), Is.True, expected);
        }
        finally
        {
            if (Directory.Exists(Path.GetDirectoryName(expected)))
            {
                Directory.Delete(Path.GetDirectoryName(expected)!, recursive: true);
            }
        }
    }

    [Test]
    public void Run_WithoutAppId_ReturnsTwoWithOneClearLine()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = TeamsAppPackage.Run([Output], new ConfigurationBuilder().Build(), output, error);

        Assert.That(code, Is.EqualTo(2));
        Assert.That(error.ToString(), Does.StartWith("teams-package: no app id").And.Contains("IncidentBot__Teams__AppId"));
        Assert.That(File.Exists(Output), Is.False);
    }

    [Test]
    public void Run_WithoutOutputPath_PrintsUsage()
    {
        using var error = new StringWriter();

        var code = TeamsAppPackage.Run([], new ConfigurationBuilder().Build(), TextWriter.Null, error);

        Assert.That((code, error.ToString().Trim()), Is.EqualTo((2, TeamsAppPackage.Usage)));
    }
}
