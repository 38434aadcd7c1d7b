using System.Globalization;
using System.IO.Compression;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using IncidentBot.Teams.Configuration;
using Microsoft.Extensions.Configuration;

namespace IncidentBot.Teams.Manifest;

/// <summary>
/// Builds the Teams app package (the zip uploaded to Teams): manifest/teams/manifest.json with this
/// deployment's app id filled in, plus the two icons, all at the root of the archive.
/// </summary>
public static class TeamsAppPackage
{
    public const string ManifestFileName = "manifest.json";
    public const string AppIdKey = TeamsOptions.Section + ":AppId";
    public const string PublicBaseUrlKey = TeamsOptions.Section + ":PublicBaseUrl";
    public const string Usage = "Usage: IncidentBot.Host teams-package <output.zip> (relative to the repository root; app id from IncidentBot__Teams__AppId, optional IncidentBot__Teams__PublicBaseUrl)";

    /// <summary>The manifest template's folder, relative to the repository root.</summary>
    public static readonly string TemplateFolder = Path.Combine("manifest", "teams");

    private static readonly JsonSerializerOptions Written = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// The <c>teams-package &lt;output.zip&gt;</c> command, run from within the repository (it reads
    /// manifest/teams): 0 when the package is written, 2 with one clear line on <paramref name="error"/>
    /// when the arguments or the configuration are refused.
    /// </summary>
    public static int Run(IReadOnlyList<string> args, IConfiguration configuration, TextWriter output, TextWriter error)
    {
        if (args.Count == 0 || args[0].StartsWith('-'))
        {
            error.WriteLine(Usage);
            return 2;
        }

        try
        {
            var template = FindTemplateFolder() ?? throw new DirectoryNotFoundException(
                $"{Path.Combine(TemplateFolder, ManifestFileName)} not found above {Directory.GetCurrentDirectory()}: run the command from the repository.");
            // dotnet run starts in the project folder, so a relative path is taken from the repository root instead.
            var outputPath = Path.GetFullPath(args[0], Path.GetFullPath(Path.Combine(template, "..", "..")));
            var publicBaseUrl = configuration[PublicBaseUrlKey];
            var appId = Build(template, configuration[AppIdKey], string.IsNullOrWhiteSpace(publicBaseUrl) ? null : publicBaseUrl, outputPath);
            output.WriteLine($"Wrote {outputPath} for app id {appId}.");
            return 0;
        }
        catch (Exception e) when (e is ArgumentException or IOException or JsonException or UnauthorizedAccessException)
        {
            error.WriteLine($"teams-package: {e.Message}");
            return 2;
        }
    }

    /// <summary>
    /// Writes the package for <paramref name="appId"/> (the bot's Entra app id, a GUID) to
    /// <paramref name="outputPath"/>, replacing any file there. Returns the app id as written.
    /// </summary>
    public static Guid Build(string templateFolder, string? appId, string? publicBaseUrl, string outputPath)
    {
        var id = ParseAppId(appId);
        var host = publicBaseUrl is null ? null : ParseHost(publicBaseUrl);
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(templateFolder, ManifestFileName)))?.AsObject()
            ?? throw new JsonException($"{ManifestFileName} is not a JSON object.");
        Fill(manifest, id, host);
        var icons = manifest["icons"]?.AsObject().Select(i => i.Value!.GetValue<string>()).ToList() ?? [];
        if (icons.FirstOrDefault(i => !File.Exists(Path.Combine(templateFolder, i))) is { } missing)
        {
            throw new FileNotFoundException($"icon {missing} named by {ManifestFileName} is not in {templateFolder}.");
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(outputPath))!;
        Directory.CreateDirectory(folder);
        File.Delete(outputPath);
        using var zip = ZipFile.Open(outputPath, ZipArchiveMode.Create);
        using (var writer = new StreamWriter(zip.CreateEntry(ManifestFileName).Open()))
        {
            writer.Write(manifest.ToJsonString(Written));
        }

        foreach (var icon in icons)
        {
            // Icons sit at the root of the package; the manifest names them by relative path.
            zip.CreateEntryFromFile(Path.Combine(templateFolder, icon), icon, CompressionLevel.Optimal);
        }

        return id;
    }

    /// <summary>Puts the app id everywhere the manifest names the bot, and the public host in validDomains.</summary>
    public static void Fill(JsonObject manifest, Guid appId, string? publicHost)
    {
        var id = appId.ToString("D", CultureInfo.InvariantCulture);
        manifest["id"] = id;
        foreach (var bot in manifest["bots"]?.AsArray() ?? [])
        {
            bot!["botId"] = id;
        }

        foreach (var extension in manifest["composeExtensions"]?.AsArray() ?? [])
        {
            extension!["botId"] = id;
        }

        if (manifest["webApplicationInfo"] is not JsonObject application)
        {
            application = new JsonObject();
            manifest["webApplicationInfo"] = application;
        }

        // RSC needs a resource; Teams accepts any string, and api://botid-{id} is the documented bot form.
        application["id"] = id;
        application["resource"] = $"api://botid-{id}";
        if (publicHost is null)
        {
            return;
        }

        if (manifest["validDomains"] is not JsonArray domains)
        {
            domains = new JsonArray();
            manifest["validDomains"] = domains;
        }

        if (!domains.Any(d => string.Equals(d?.GetValue<string>(), publicHost, StringComparison.OrdinalIgnoreCase)))
        {
            domains.Add(publicHost);
        }
    }

    private static Guid ParseAppId(string? appId)
    {
        if (string.IsNullOrWhiteSpace(appId))
        {
            throw new ArgumentException($"no app id: set {AppIdKey} (environment variable IncidentBot__Teams__AppId) to the bot's Entra application (client) id.");
        }

        if (!Guid.TryParseExact(appId.Trim(), "D", out var id))
        {
            throw new ArgumentException($"{AppIdKey} must be the bot's Entra application (client) id, a GUID like 00000000-0000-0000-0000-000000000000; got '{appId}'.");
        }

        return id != Guid.Empty ? id : throw new ArgumentException($"{AppIdKey} is the all-zero placeholder GUID, not a real app id.");
    }

    private static string ParseHost(string publicBaseUrl) =>
        Uri.TryCreate(publicBaseUrl, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps
            ? uri.Host
            : throw new ArgumentException($"{PublicBaseUrlKey} must be an absolute https URL (Teams only talks to https); got '{publicBaseUrl}'.");

    private static string? FindTemplateFolder()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, TemplateFolder);
                if (File.Exists(Path.Combine(candidate, ManifestFileName)))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}
