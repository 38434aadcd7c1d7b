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
        ["Delivery"] = typeof(IncidentBot.Host.Delivery.DispatcherSettings),
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
    public void Kubernetes_HasEachKindOnce_AndSelectorsMatchThePods()
    {
        var documents = Directory.EnumerateFiles(Path.Combine(DeployFolder, "kubernetes"), "*.yaml").SelectMany(path =>
        {
            var stream = new YamlStream();
            using var reader = new StreamReader(path);
            stream.Load(reader);
            return stream.Documents.Select(d => (YamlMappingNode)d.RootNode);
        }).ToList();
        YamlMappingNode Kind(string kind) => documents.Single(d => d.Children.TryGetValue("kind", out var k) && k.ToString() == kind);
        var kinds = documents.Select(d => d["kind"].ToString()).ToList();

        foreach (var kind in new[] { "Deployment", "Service", "ConfigMap", "PodDisruptionBudget" })
        {
            Assert.That(kinds, Has.Exactly(1).EqualTo(kind), kind);
        }

        var podLabels = Labels(Kind("Deployment")["spec"]["template"]["metadata"]["labels"]);
        Assert.That(podLabels, Is.Not.Empty);
        Assert.That(Labels(Kind("Deployment")["spec"]["selector"]["matchLabels"]), Is.SubsetOf(podLabels), "Deployment selector");
        Assert.That(Labels(Kind("Service")["spec"]["selector"]), Is.SubsetOf(podLabels), "Service selector");
        Assert.That(Labels(Kind("PodDisruptionBudget")["spec"]["selector"]["matchLabels"]), Is.SubsetOf(podLabels), "PodDisruptionBudget selector");
    }

    private static List<string> Labels(YamlNode node) => ((YamlMappingNode)node).Children.Select(c => $"{c.Key}={c.Value}").ToList();

    [Test]
    public void Compose_PostgresProfile_StartsPostgresAndTwoReplicasOnly()
    {
        var services = ComposeServices();

        Assert.That(StartedBy(services, "postgres"), Is.EquivalentTo(new[] { "postgres", "bot-a", "bot-b" }));
        Assert.That(Lookup(services["postgres"], "image")!.ToString(), Does.StartWith("postgres:"));
        foreach (var replica in new[] { "bot-a", "bot-b" })
        {
            var environment = (YamlMappingNode)Lookup(services[replica], "environment")!;
            Assert.That(environment["IncidentBot__Storage__Provider"].ToString(), Is.EqualTo("Postgres"), replica);
            Assert.That(environment["IncidentBot__Storage__ConnectionString"].ToString(), Does.Contain("Host=postgres"), replica);
            Assert.That(Lookup(services[replica], "depends_on")!["postgres"]["condition"].ToString(), Is.EqualTo("service_healthy"), replica);
        }

        var hostPorts = new[] { "bot-a", "bot-b" }.Select(r => ((YamlSequenceNode)Lookup(services[r], "ports")!).Single().ToString().Split(':')[0]);
        Assert.That(hostPorts, Is.Unique, "two replicas on one machine need two host ports");
    }

    [Test]
    public void Compose_EmbeddedProfile_StartsOneBotOnTheDataVolume()
    {
        var services = ComposeServices();

        Assert.That(StartedBy(services, "embedded"), Is.EqualTo(new[] { "bot" }));
        var bot = services["bot"];
        var environment = (YamlMappingNode)Lookup(bot, "environment")!;
        Assert.That(environment.Children.Keys.Select(k => k.ToString()), Has.None.StartsWith("IncidentBot__Storage__"), "the image's embedded store (SQLite) on /data");
        Assert.That(((YamlSequenceNode)Lookup(bot, "volumes")!).Select(v => v.ToString()), Is.EqualTo(new[] { "data:/data" }));
        var dockerfile = File.ReadAllText(Path.Combine(DeployFolder, "Dockerfile"));
        Assert.That(dockerfile, Does.Contain($"IncidentBot__Storage__Provider={StorageOptions.DefaultProvider}").And.Contain("Data Source=/data/incidentbot.db"),
            "the image runs the code's default store on its volume");
        Assert.That(StartedBy(services, profile: null), Is.Empty, "every service has a profile, so a profile starts only its own");
    }

    private static Dictionary<string, YamlMappingNode> ComposeServices()
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(Path.Combine(DeployFolder, "compose.yaml"));
        stream.Load(reader);
        var services = (YamlMappingNode)((YamlMappingNode)stream.Documents.Single().RootNode)["services"];
        return services.Children.ToDictionary(c => c.Key.ToString(), c => (YamlMappingNode)c.Value);
    }

    /// <summary>What <c>docker compose --profile p up</c> starts: services without profiles, and those in p.</summary>
    private static List<string> StartedBy(Dictionary<string, YamlMappingNode> services, string? profile) =>
        services.Where(s => Lookup(s.Value, "profiles") is not YamlSequenceNode profiles || profiles.Children.Count == 0
                || profiles.Any(p => p.ToString() == profile))
            .Select(s => s.Key).ToList();

    /// <summary>A service's key, following YAML merge keys (<c>&lt;&lt;: *replica</c>) as Compose does.</summary>
    private static YamlNode? Lookup(YamlMappingNode service, string key) =>
        service.Children.TryGetValue(key, out var value) ? value
        : service.Children.TryGetValue("<<", out var merged) && merged is YamlMappingNode parent ? Lookup(parent, key)
        : null;

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
