using System.Reflection;
using IncidentBot.Host.Configuration;
using IncidentBot.Slack.Configuration;
using IncidentBot.Teams.Configuration;
using IncidentBot.Testing;
using YamlDotNet.RepresentationModel;

namespace IncidentBot.Host.Tests.Deploy;

/// <summary>The deploy/ files parse, and what they say agrees with the code: port, health paths, configuration keys.</summary>
public sealed class DeployManifestTests
{
    private const int Port = 3978;
    private static readonly string DeployFolder = Path.Combine(RepoPaths.Root, "deploy");

    private static readonly Dictionary<string, Type> Sections = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Storage"] = typeof(StorageOptions),
        ["Api"] = typeof(ApiOptions),
        ["Reminders"] = typeof(RemindersOptions),
        ["Postmortem"] = typeof(PostmortemOptions),
        ["Slack"] = typeof(SlackOptions),
        ["Teams"] = typeof(TeamsOptions),
    };

    private static IEnumerable<YamlMappingNode> Documents() =>
        Directory.EnumerateFiles(DeployFolder, "*.yaml", SearchOption.AllDirectories).SelectMany(path =>
        {
            var stream = new YamlStream();
            using var reader = new StreamReader(path);
            stream.Load(reader);
            return stream.Documents.Select(d => (YamlMappingNode)d.RootNode);
        });

    private static IEnumerable<YamlNode> Walk(YamlNode node) => node switch
    {
        YamlMappingNode map => new[] { node }.Concat(map.Children.SelectMany(c => Walk(c.Key).Concat(Walk(c.Value)))),
        YamlSequenceNode seq => new[] { node }.Concat(seq.Children.SelectMany(Walk)),
        _ => [node],
    };

    private static IEnumerable<string> Scalars() => Documents().SelectMany(Walk).OfType<YamlScalarNode>().Select(s => s.Value ?? "");

    [Test]
    public void EveryYamlFile_Parses() => Assert.That(Documents().Count(), Is.GreaterThanOrEqualTo(6));

    [Test]
    public void ConfigurationKeysInManifests_ExistInOptionsClasses()
    {
        var keys = Scalars().Where(s => s.StartsWith("IncidentBot__", StringComparison.Ordinal)).Distinct().ToList();

        Assert.That(keys, Has.Count.GreaterThan(5));
        foreach (var key in keys)
        {
            var parts = key.Split("__");
            Assert.That(Sections.TryGetValue(parts[1], out var type), Is.True, $"{key}: no section {parts[1]}");
            var property = type!.GetProperty(parts[2], BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            Assert.That(property, Is.Not.Null, $"{key}: {type.Name} has no {parts[2]}");
            Assert.That(property!.CanWrite, Is.True, key);
        }
    }

    [Test]
    public void Port_AgreesEverywhere()
    {
        var deployment = Documents().Single(d => d.Children.TryGetValue("kind", out var k) && k.ToString() == "Deployment");
        var containerPorts = Walk(deployment).OfType<YamlMappingNode>().Where(m => m.Children.ContainsKey("containerPort")).Select(m => m["containerPort"].ToString());
        var service = Documents().Single(d => d.Children.TryGetValue("kind", out var k) && k.ToString() == "Service");
        var targetPorts = Walk(service).OfType<YamlMappingNode>().Where(m => m.Children.ContainsKey("targetPort")).Select(m => m["targetPort"].ToString());
        var composePorts = Scalars().Where(s => s.EndsWith(":3978", StringComparison.Ordinal) || s.Contains(":39", StringComparison.Ordinal));

        Assert.That(new Uri(HostingExtensions.DefaultUrl).Port, Is.EqualTo(Port));
        Assert.That(containerPorts, Is.EqualTo(new[] { "3978" }));
        Assert.That(targetPorts, Is.EqualTo(new[] { "3978" }));
        Assert.That(composePorts, Is.Not.Empty.And.All.EndWith(":3978"));
        var dockerfile = File.ReadAllText(Path.Combine(DeployFolder, "Dockerfile"));
        Assert.That(dockerfile, Does.Contain($"EXPOSE {Port}").And.Contain($"http://+:{Port}").And.Contain($"http://127.0.0.1:{Port}/healthz"));
    }

    [Test]
    public async Task HealthPaths_InManifests_AreServedByTheHost()
    {
        var deployment = Documents().Single(d => d.Children.TryGetValue("kind", out var k) && k.ToString() == "Deployment");
        var container = Walk(deployment).OfType<YamlMappingNode>().Single(m => m.Children.ContainsKey("readinessProbe"));
        var readiness = container["readinessProbe"]["httpGet"]["path"].ToString();
        var liveness = container["livenessProbe"]["httpGet"]["path"].ToString();

        using var host = new Support.TestHost();
        using var client = host.CreateClient();

        Assert.That((readiness, liveness), Is.EqualTo(("/readyz", "/healthz")));
        Assert.That((await client.GetAsync(new Uri(readiness, UriKind.Relative))).IsSuccessStatusCode, Is.True);
        Assert.That((await client.GetAsync(new Uri(liveness, UriKind.Relative))).IsSuccessStatusCode, Is.True);
    }

    [Test]
    public void Deployment_IsHardened()
    {
        var text = File.ReadAllText(Path.Combine(DeployFolder, "kubernetes", "deployment.yaml"));

        Assert.That(text, Does.Contain("replicas: 2").And.Contain("runAsNonRoot: true").And.Contain("readOnlyRootFilesystem: true")
            .And.Contain("mountPath: /tmp").And.Contain("secretKeyRef").And.Contain("limits:").And.Contain("requests:"));
    }

    [Test]
    public async Task Probe_ExitCodeFollowsTheEndpoint()
    {
        await using var server = new IncidentBot.Testing.Slack.FakeSlackServer("token");
        await server.StartAsync();

        Assert.That(await HealthProbe.RunAsync(server.BaseUrl + "auth.test"), Is.Zero, "a 200 answer");
        Assert.That(await HealthProbe.RunAsync(server.Origin + "/nothing-here"), Is.EqualTo(1), "a 404 answer");
        Assert.That(await HealthProbe.RunAsync("http://127.0.0.1:1/healthz"), Is.EqualTo(1), "nothing listening");
    }
}
