using System.Text.Json;
using IncidentBot.Slack.WebApi;
using IncidentBot.Testing;

namespace IncidentBot.Slack.Tests.Manifest;

public sealed class ManifestScopeTests
{
    private static readonly string[] EventScopes = ["commands", "channels:read", "pins:read", "reactions:read"];

    private static List<string> Scopes() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "manifest", "slack", "app-manifest.json"))).RootElement
            .GetProperty("oauth_config").GetProperty("scopes").GetProperty("bot").EnumerateArray().Select(s => s.GetString()!).ToList();

    [Test]
    public void EveryMethodTheClientCalls_IsCoveredByAManifestScope()
    {
        var scopes = Scopes();
        foreach (var (method, (_, scope)) in SlackMethods.All)
        {
            if (scope is not null)
            {
                Assert.That(scopes, Does.Contain(scope), $"{method} needs {scope}");
            }
        }
    }

    [Test]
    public void EveryManifestScope_IsUsed()
    {
        var used = SlackMethods.All.Values.Select(v => v.Scope).OfType<string>().Concat(EventScopes).ToHashSet();

        Assert.That(Scopes(), Is.SubsetOf(used), "least privilege: no scope without a call or event that needs it");
    }
}
