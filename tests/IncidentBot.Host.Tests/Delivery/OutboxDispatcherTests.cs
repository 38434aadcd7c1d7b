using IncidentBot.Core.Messaging;
using IncidentBot.Core.Ports;
using IncidentBot.Host.Delivery;
using IncidentBot.Host.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace IncidentBot.Host.Tests.Delivery;

public sealed class OutboxDispatcherTests
{
    private ServiceHarness _h = null!;

    [SetUp]
    public async Task SetUpAsync() => _h = await ServiceHarness.CreateAsync();

    [TearDown]
    public async Task TearDownAsync() => await _h.DisposeAsync();

    [Test]
    public async Task RunOnce_TransientFailure_RetriedAfterBackoffAndDeliveredOnce()
    {
        var failures = 2;
        _h.Platform.Behaviour = item => item.Message.Operation == ChatOperation.OpenIncidentConversation && failures-- > 0 ? new TransientFailure("HTTP 500") : null;
        await _h.DeclareAsync();

        IEnumerable<OutboxItem> InIncidentChannel() => _h.Platform.Delivered.Where(d => d.Message.ConversationId is null).OrderBy(d => d.Id);

        await _h.DrainAsync();
        Assert.That(InIncidentChannel(), Is.Empty, "nothing after the open failed: later messages to the incident wait their turn");
        Assert.That(_h.Platform.Delivered.Single().Message.ConversationId, Is.EqualTo("CANNOUNCE"), "another conversation does not wait");

        _h.Clock.Advance(TimeSpan.FromSeconds(1));
        await _h.DrainAsync();
        Assert.That(InIncidentChannel(), Is.Empty, "second attempt also failed; backoff grows");

        _h.Clock.Advance(TimeSpan.FromSeconds(1));
        await _h.DrainAsync();
        Assert.That(InIncidentChannel(), Is.Empty, "the backoff after two failures is two seconds");

        _h.Clock.Advance(TimeSpan.FromSeconds(1));
        await _h.DrainAsync();

        Assert.That(InIncidentChannel().Select(d => d.Message.Operation), Is.EqualTo(new[] { ChatOperation.OpenIncidentConversation, ChatOperation.Post }));
        Assert.That(InIncidentChannel().First().Attempts, Is.EqualTo(2));
        Assert.That(_h.Platform.Delivered, Has.Count.EqualTo(3), "each message delivered once");
        Assert.That(await _h.Store.CountPendingOutboxAsync(CancellationToken.None), Is.Zero);
    }

    [Test]
    public async Task RunOnce_RetryAfter_IsHonoured()
    {
        var limited = true;
        _h.Platform.Behaviour = item => item.Message.ConversationId == "CANNOUNCE" && limited ? new TransientFailure("ratelimited", TimeSpan.FromSeconds(30)) : null;
        await _h.DeclareAsync();
        await _h.DrainAsync();
        limited = false;

        _h.Clock.Advance(TimeSpan.FromSeconds(29));
        await _h.DrainAsync();
        Assert.That(_h.Platform.Delivered.Any(d => d.Message.ConversationId == "CANNOUNCE"), Is.False, "not before Retry-After");

        _h.Clock.Advance(TimeSpan.FromSeconds(1));
        await _h.DrainAsync();
        Assert.That(_h.Platform.Delivered.Count(d => d.Message.ConversationId == "CANNOUNCE"), Is.EqualTo(1));
    }

    [Test]
    public async Task RunOnce_PermanentFailure_GivenUpNotRetried()
    {
        _h.Platform.Behaviour = item => item.Message.ConversationId == "CANNOUNCE" ? new PermanentFailure("channel_not_found") : null;
        await _h.DeclareAsync();

        await _h.DrainAsync();
        var attempts = _h.Platform.Attempts;
        _h.Clock.Advance(TimeSpan.FromHours(1));
        await _h.DrainAsync();

        Assert.That(_h.Platform.Attempts, Is.EqualTo(attempts));
        Assert.That(await _h.Store.CountPendingOutboxAsync(CancellationToken.None), Is.Zero);
    }

    [Test]
    public async Task RunOnce_PlatformThrows_TreatedAsTransient()
    {
        var throws = true;
        var platform = new ThrowingPlatform(() => throws);
        var dispatcher = new OutboxDispatcher(_h.Store, [platform], _h.Clock, NullLogger<OutboxDispatcher>.Instance, new DispatcherSettings { InProcessRetries = 0 });
        await _h.DeclareAsync();

        await dispatcher.RunOnceAsync(CancellationToken.None);
        Assert.That(await _h.Store.CountPendingOutboxAsync(CancellationToken.None), Is.EqualTo(3));

        throws = false;
        _h.Clock.Advance(TimeSpan.FromSeconds(1));
        while (await dispatcher.RunOnceAsync(CancellationToken.None) > 0)
        {
        }

        Assert.That(await _h.Store.CountPendingOutboxAsync(CancellationToken.None), Is.Zero);
    }

    [Test]
    public async Task RunOnce_AfterRestart_DeliversWhatWasLeft()
    {
        await _h.DeclareAsync();
        await _h.DeclareAsync("Second");

        // A new process on the same file: a new store, service and dispatcher.
        using var reopened = new Storage.Sqlite.SqliteIncidentStore($"Data Source={_h.DatabasePath}", _h.Clock);
        await reopened.MigrateAsync(CancellationToken.None);
        var platform = new RecordingPlatform();
        var dispatcher = new OutboxDispatcher(reopened, [platform], _h.Clock, NullLogger<OutboxDispatcher>.Instance, new DispatcherSettings { InProcessRetries = 0 });
        while (await dispatcher.RunOnceAsync(CancellationToken.None) > 0)
        {
        }

        Assert.That(platform.Delivered, Has.Count.EqualTo(6));
        Assert.That(await reopened.CountPendingOutboxAsync(CancellationToken.None), Is.Zero);
    }

    [Test]
    public async Task RunOnce_InProcessRetry_DeliversWithinOneRun()
    {
        var failures = 1;
        var platform = new RecordingPlatform { Behaviour = _ => failures-- > 0 ? new TransientFailure("HTTP 502") : null };
        var dispatcher = new OutboxDispatcher(_h.Store, [platform], TimeProvider.System, NullLogger<OutboxDispatcher>.Instance,
            new DispatcherSettings { InProcessRetries = 2, InProcessBaseDelay = TimeSpan.FromMilliseconds(1) });
        await _h.DeclareAsync();

        await dispatcher.RunOnceAsync(CancellationToken.None);

        Assert.That(platform.Delivered, Has.Count.EqualTo(2), "the open (or the announcement) succeeded on its in-process retry");
        Assert.That(platform.Attempts, Is.EqualTo(3));
    }

    private sealed class ThrowingPlatform(Func<bool> throws) : IChatPlatform
    {
        public string Platform => "slack";

        public async Task<DeliveryResult> DeliverAsync(OutboxItem item, IDeliveryContext context, CancellationToken cancellationToken)
        {
            if (throws())
            {
                throw new HttpRequestException("connection refused");
            }

            if (item.Message.Operation == ChatOperation.OpenIncidentConversation)
            {
                await context.SetConversationAsync(item.Message.IncidentId!.Value, "C1", null, cancellationToken);
            }

            return DeliveryResult.Ok;
        }
    }
}
