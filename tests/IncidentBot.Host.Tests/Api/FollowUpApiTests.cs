using System.Net;
using System.Text.Json;
using IncidentBot.Core.FollowUps;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Service;
using IncidentBot.Host.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentBot.Host.Tests.Api;

public sealed class FollowUpApiTests
{
    private static readonly Person Grace = new("U2", "Grace");

    private TestHost _host = null!;

    [SetUp]
    public void SetUp() => _host = new TestHost();

    [TearDown]
    public void TearDown() => _host.Dispose();

    /// <summary>INC-1 with follow-ups 1 (Grace, due yesterday), 2 (unassigned, done) and 3 (Grace, due in a week); INC-2 with 4 (dropped).</summary>
    private async Task SeedAsync()
    {
        var service = _host.Services.GetRequiredService<IncidentService>();
        async Task<long> DeclareAsync(string title) =>
            (await service.DeclareAsync(new DeclareRequest(title, Severity.Sev2, IncidentType.Livesite), new CommandContext("slack", "T1", "C0", new Person("U1", "Ada")), CancellationToken.None)).Incident!.Id;
        async Task RunAsync(long incident, Core.Commands.Command command) =>
            Assert.That((await service.ExecuteAsync(command, new CommandContext("slack", "T1", "C0", new Person("U1", "Ada")), incident, CancellationToken.None)).Changed, Is.True);

        var first = await DeclareAsync("Checkout errors");
        var second = await DeclareAsync("Search slow");
        await RunAsync(first, new AddFollowUpCommand("Alert on queue depth", Grace, new DueSpec(null, 0)));
        await RunAsync(first, new AddFollowUpCommand("Runbook", null, null));
        await RunAsync(first, new FollowUpDoneCommand(2));
        await RunAsync(first, new AddFollowUpCommand("Load test", Grace, new DueSpec(null, 7)));
        await RunAsync(second, new AddFollowUpCommand("Rewrite search", null, null));
        await RunAsync(second, new DropFollowUpCommand(4, "out of scope"));
        _host.Clock.Advance(TimeSpan.FromDays(1));
    }

    private async Task<JsonElement> GetAsync(string path)
    {
        using var client = _host.CreateApiClient();
        var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static int[] Ids(JsonElement array) => array.EnumerateArray().Select(e => e.GetProperty("id").GetInt32()).ToArray();

    [Test]
    public async Task OfIncident_EveryFollowUpWithTheFieldsPeopleType()
    {
        await SeedAsync();

        var items = await GetAsync("/api/incidents/1/followups");

        Assert.That(Ids(items), Is.EqualTo(new[] { 1, 2, 3 }));
        var first = items[0];
        Assert.That(first.GetProperty("incident").GetInt32(), Is.EqualTo(1));
        Assert.That(first.GetProperty("text").GetString(), Is.EqualTo("Alert on queue depth"));
        Assert.That(first.GetProperty("owner").GetString(), Is.EqualTo("U2"));
        Assert.That(first.GetProperty("due").GetString(), Is.EqualTo("2026-11-02"));
        Assert.That(first.GetProperty("state").GetString(), Is.EqualTo("open"));
        Assert.That(first.GetProperty("overdue").GetBoolean(), Is.True);
        Assert.That(first.GetProperty("trackerUrl").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(items[1].GetProperty("state").GetString(), Is.EqualTo("done"));
        Assert.That(items[1].GetProperty("owner").ValueKind, Is.EqualTo(JsonValueKind.Null));
    }

    [TestCase("/api/followups", new[] { 1, 2, 3, 4 })]
    [TestCase("/api/followups?state=open", new[] { 1, 3 })]
    [TestCase("/api/followups?state=dropped", new[] { 4 })]
    [TestCase("/api/followups?state=open&owner=U2&overdue=true", new[] { 1 })]
    [TestCase("/api/followups?overdue=false&owner=U2", new[] { 3 })]
    [TestCase("/api/followups?owner=U9", new int[0])]
    public async Task List_Filters(string path, int[] ids)
    {
        await SeedAsync();

        Assert.That(Ids(await GetAsync(path)), Is.EqualTo(ids));
    }

    [Test]
    public async Task List_UnknownState_400()
    {
        using var client = _host.CreateApiClient();

        Assert.That((await client.GetAsync(new Uri("/api/followups?state=maybe", UriKind.Relative))).StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [TestCase("/api/followups")]
    [TestCase("/api/incidents/1/followups")]
    public async Task WithoutKey_401(string path)
    {
        await SeedAsync();
        using var client = _host.CreateClient();

        Assert.That((await client.GetAsync(new Uri(path, UriKind.Relative))).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task OfIncident_Unknown_404()
    {
        using var client = _host.CreateApiClient();

        Assert.That((await client.GetAsync(new Uri("/api/incidents/9/followups", UriKind.Relative))).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }
}
