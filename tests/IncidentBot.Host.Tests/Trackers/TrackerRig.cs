using IncidentBot.Core.FollowUps;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Reminders;
using IncidentBot.Core.Service;
using IncidentBot.Host.Delivery;
using IncidentBot.Host.Tests.Support;
using IncidentBot.Host.Trackers;
using Microsoft.Extensions.Logging.Abstractions;

namespace IncidentBot.Host.Tests.Trackers;

/// <summary>
/// The service mirroring follow-ups, and a dispatcher delivering to the recording chat platform and to the real tracker
/// adapter over a real HTTP client (to a fake tracker on 127.0.0.1), on the harness's store and fake clock.
/// </summary>
internal sealed class TrackerRig : IAsyncDisposable
{
    private readonly HttpClient _http = new();

    private TrackerRig(ServiceHarness harness, Func<HttpClient, ITrackerClient> client)
    {
        Harness = harness;
        Service = new IncidentService(harness.Store, harness.Clock, ReminderPolicy.Default, [new PlatformSettings("slack", "CANNOUNCE", ["U9"])]) { MirrorsFollowUps = true };
        var tracker = new TrackerChatPlatform(client(_http), Service);
        Dispatcher = new OutboxDispatcher(harness.Store, [harness.Platform, tracker], harness.Clock, NullLogger<OutboxDispatcher>.Instance, new DispatcherSettings { InProcessRetries = 0 });
    }

    public ServiceHarness Harness { get; }

    public IncidentService Service { get; }

    public OutboxDispatcher Dispatcher { get; }

    public static async Task<TrackerRig> CreateAsync(Func<HttpClient, TimeProvider, ITrackerClient> client)
    {
        var harness = await ServiceHarness.CreateAsync();
        return new TrackerRig(harness, http => client(http, harness.Clock));
    }

    public async Task DrainAsync()
    {
        while (await Dispatcher.RunOnceAsync(CancellationToken.None) > 0)
        {
        }
    }

    /// <summary>An open incident (its conversation delivered) with follow-up 1 for Grace, its tracker message not yet delivered.</summary>
    public async Task<(Incident Incident, string Channel)> WithFollowUpAsync()
    {
        var declared = await Service.DeclareAsync(new DeclareRequest("Checkout errors", Severity.Sev2, IncidentType.Livesite), ServiceHarness.In("CGENERAL"), CancellationToken.None);
        await DrainAsync();
        var channel = await Harness.ConversationOfAsync(declared.Incident!);
        var added = await Service.ExecuteAsync(new AddFollowUpCommand("Alert on queue depth", ServiceHarness.Grace, null), ServiceHarness.In(channel), CancellationToken.None);
        Assert.That(added.Changed, Is.True, added.Text.PlainText);
        return (declared.Incident!, channel);
    }

    public Task<CommandReply> RunAsync(string channel, Core.Commands.Command command) =>
        Service.ExecuteAsync(command, ServiceHarness.In(channel), CancellationToken.None);

    public async Task<FollowUp> FollowUpAsync(Incident incident) =>
        (await Harness.Store.GetAsync(incident.Id, CancellationToken.None))!.FollowUps.Single();

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await Harness.DisposeAsync();
    }
}
