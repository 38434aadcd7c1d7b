using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Service;
using IncidentBot.Host.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentBot.Host.Tests.Api;

public sealed class IncidentApiTests
{
    private TestHost _host = null!;

    [SetUp]
    public void SetUp() => _host = new TestHost();

    [TearDown]
    public void TearDown() => _host.Dispose();

    private async Task<Incident> DeclareAsync(string title)
    {
        var service = _host.Services.GetRequiredService<IncidentService>();
        var reply = await service.DeclareAsync(new DeclareRequest(title, Severity.Sev2, IncidentType.Deployment), new CommandContext("slack", "T1", "C0", new Person("U1", "Ada")), CancellationToken.None);
        return reply.Incident!;
    }

    [Test]
    public async Task Health_LiveAndReady()
    {
        using var client = _host.CreateClient();

        Assert.That((await client.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await client.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [TestCase(null)]
    [TestCase("Bearer wrong-key-wrong-key-wrong")]
    [TestCase("Basic dGVzdDp0ZXN0")]
    [TestCase("Bearer ")]
    public async Task Api_WithoutValidKey_401(string? authorization)
    {
        using var client = _host.CreateClient();
        if (authorization is not null)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);
        }

        var response = await client.GetAsync(new Uri("/api/incidents", UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task Api_IncidentRoutesWithoutValidKey_401AndNothingOfTheIncident(
        [Values("/api/incidents/1", "/api/incidents/1/timeline", "/api/incidents/1/postmortem")] string path,
        [Values(null, "Bearer wrong-key-wrong-key-wrong")] string? authorization)
    {
        await DeclareAsync("Secret project outage");
        using var client = _host.CreateClient();
        if (authorization is not null)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        using var authorized = await _host.CreateApiClient().GetAsync(new Uri(path, UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(response.Headers.WwwAuthenticate.ToString(), Is.EqualTo("Bearer"));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Not.Contain("Secret project"));
        Assert.That(authorized.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the same route answers with the right key");
    }

    [Test]
    public async Task Api_NoKeysConfigured_Always401()
    {
        using var host = new TestHost(new() { ["IncidentBot:Api:Keys:0"] = null });
        using var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestHost.ApiKey);

        Assert.That((await client.GetAsync(new Uri("/api/incidents", UriKind.Relative))).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task Get_UnknownNumber_404()
    {
        using var client = _host.CreateApiClient();

        Assert.That((await client.GetAsync(new Uri("/api/incidents/99", UriKind.Relative))).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await client.GetAsync(new Uri("/api/incidents/99/timeline", UriKind.Relative))).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await client.GetAsync(new Uri("/api/incidents/99/postmortem", UriKind.Relative))).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task ListAndGet_ReturnIncidentJson()
    {
        await DeclareAsync("Checkout errors");
        using var client = _host.CreateApiClient();

        using var list = JsonDocument.Parse(await client.GetStringAsync(new Uri("/api/incidents", UriKind.Relative)));
        using var one = JsonDocument.Parse(await client.GetStringAsync(new Uri("/api/incidents/1", UriKind.Relative)));

        Assert.That(list.RootElement.GetArrayLength(), Is.EqualTo(1));
        Assert.That(one.RootElement.GetProperty("key").GetString(), Is.EqualTo("INC-1"));
        Assert.That(one.RootElement.GetProperty("title").GetString(), Is.EqualTo("Checkout errors"));
        Assert.That(one.RootElement.GetProperty("severity").GetString(), Is.EqualTo("Sev2"));
        Assert.That(one.RootElement.GetProperty("type").GetString(), Is.EqualTo("Deployment"));
        Assert.That(one.RootElement.GetProperty("commander").GetProperty("name").GetString(), Is.EqualTo("Ada"));
    }

    [Test]
    public async Task Timeline_ReturnsEntries()
    {
        await DeclareAsync("Checkout errors");
        using var client = _host.CreateApiClient();

        using var timeline = JsonDocument.Parse(await client.GetStringAsync(new Uri("/api/incidents/1/timeline", UriKind.Relative)));

        Assert.That(timeline.RootElement.GetArrayLength(), Is.EqualTo(1));
        Assert.That(timeline.RootElement[0].GetProperty("kind").GetString(), Is.EqualTo("Declared"));
    }

    [Test]
    public async Task Postmortem_Markdown_AndJsonOnAccept()
    {
        await DeclareAsync("Checkout errors");
        using var client = _host.CreateApiClient();

        var markdown = await client.GetAsync(new Uri("/api/incidents/1/postmortem", UriKind.Relative));
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/incidents/1/postmortem?tz=Europe/Paris", UriKind.Relative));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var json = await client.SendAsync(request);
        var badZone = await client.GetAsync(new Uri("/api/incidents/1/postmortem?tz=Mars/Olympus", UriKind.Relative));

        Assert.That(markdown.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/markdown"));
        Assert.That(await markdown.Content.ReadAsStringAsync(), Does.StartWith("# INC-1 postmortem: Checkout errors"));
        using var doc = JsonDocument.Parse(await json.Content.ReadAsStringAsync());
        Assert.That(doc.RootElement.GetProperty("timeZone").GetString(), Is.EqualTo("Europe/Paris"));
        Assert.That(doc.RootElement.GetProperty("timeline").GetArrayLength(), Is.EqualTo(1));
        Assert.That(badZone.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task Postmortem_ConfiguredDefaultTimeZone_Used()
    {
        using var host = new TestHost(new() { ["IncidentBot:Postmortem:TimeZone"] = "America/New_York" });
        var service = host.Services.GetRequiredService<IncidentService>();
        await service.DeclareAsync(new DeclareRequest("Zoned", Severity.Sev3, IncidentType.Livesite), new CommandContext("slack", "T1", "C0", new Person("U1", "Ada")), CancellationToken.None);
        using var client = host.CreateApiClient();

        var markdown = await client.GetStringAsync(new Uri("/api/incidents/1/postmortem", UriKind.Relative));

        Assert.That(markdown, Does.Contain("## Timeline (America/New_York)").And.Contain("04:00:00 -05:00"));
    }

    [Test]
    public async Task Host_DeliversOutboxThroughRegisteredPlatform()
    {
        await DeclareAsync("Checkout errors");

        await Poll.UntilAsync(() => _host.Platform.Delivered.Count >= 2);

        Assert.That(_host.Platform.Delivered, Has.Count.EqualTo(2), "open conversation + header (no announcement channel configured)");
    }
}
