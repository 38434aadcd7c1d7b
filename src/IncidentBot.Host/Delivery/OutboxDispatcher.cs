using System.Collections.Concurrent;
using IncidentBot.Core.Ports;
using IncidentBot.Host.Metrics;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace IncidentBot.Host.Delivery;

/// <summary>Section <c>IncidentBot:Delivery</c>: tuning for the dispatcher; defaults as named constants.</summary>
public sealed class DispatcherSettings
{
    public const string Section = "IncidentBot:Delivery";

    public const int DefaultBatchSize = 64;
    public const int DefaultMaxParallel = 8;
    public const int DefaultInProcessRetries = 2;
    /// <summary>
    /// How long a claim holds without renewal: rows in delivery are renewed every third of it, so a replica
    /// that dies loses its rows to the others within this time.
    /// </summary>
    public static readonly TimeSpan DefaultLease = TimeSpan.FromSeconds(15);
    public static readonly TimeSpan DefaultCallTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Incident messages are urgent: once the platform is back, nothing waits longer than this.</summary>
    public static readonly TimeSpan DefaultMaxBackoff = TimeSpan.FromSeconds(30);

    /// <summary>A Retry-After longer than this is waited out in the store, not in a worker.</summary>
    public static readonly TimeSpan DefaultMaxInProcessWait = TimeSpan.FromSeconds(10);

    public static readonly TimeSpan DefaultInProcessBaseDelay = TimeSpan.FromMilliseconds(200);

    /// <summary>How long a platform's circuit stays open after it broke.</summary>
    public static readonly TimeSpan DefaultBreakDuration = TimeSpan.FromSeconds(15);

    public int BatchSize { get; set; } = DefaultBatchSize;

    public int MaxParallel { get; set; } = DefaultMaxParallel;

    public TimeSpan Lease { get; set; } = DefaultLease;

    public TimeSpan CallTimeout { get; set; } = DefaultCallTimeout;

    public int InProcessRetries { get; set; } = DefaultInProcessRetries;

    public TimeSpan InProcessBaseDelay { get; set; } = DefaultInProcessBaseDelay;

    public TimeSpan MaxInProcessWait { get; set; } = DefaultMaxInProcessWait;

    public TimeSpan MaxBackoff { get; set; } = DefaultMaxBackoff;

    public TimeSpan BreakDuration { get; set; } = DefaultBreakDuration;
}

/// <summary>
/// Delivers claimed outbox rows through the platforms. A row is marked sent only after the platform
/// said ok; a transient failure is retried in-process (Polly: retry honouring Retry-After, a timeout
/// per call, a circuit breaker per platform) and then persisted with a backoff, so it survives restarts.
/// </summary>
public sealed class OutboxDispatcher
{
    private readonly BotMetrics? _metrics;
    private readonly IIncidentStore _store;
    private readonly IDeliveryContext _context;
    private readonly TimeProvider _clock;
    private readonly ILogger<OutboxDispatcher> _logger;
    private readonly DispatcherSettings _settings;
    private readonly Dictionary<string, IChatPlatform> _platforms;
    private readonly ConcurrentDictionary<string, ResiliencePipeline<DeliveryResult>> _pipelines = new(StringComparer.Ordinal);

    public OutboxDispatcher(IIncidentStore store, IEnumerable<IChatPlatform> platforms, TimeProvider clock, ILogger<OutboxDispatcher> logger, DispatcherSettings? settings = null, BotMetrics? metrics = null)
    {
        _metrics = metrics;
        _store = store;
        _context = new DeliveryContext(store);
        _clock = clock;
        _logger = logger;
        _settings = settings ?? new DispatcherSettings();
        _platforms = new Dictionary<string, IChatPlatform>(StringComparer.Ordinal);
        foreach (var platform in platforms)
        {
            // The last registration of a platform wins, so a host can replace one (tests do).
            _platforms[platform.Platform] = platform;
        }
    }

    /// <summary>Claims and delivers one batch; returns how many rows it handled.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var items = await _store.ClaimOutboxAsync(_clock.GetUtcNow(), _settings.BatchSize, _settings.Lease, cancellationToken);
        if (items.Count == 0)
        {
            return 0;
        }

        var inFlight = new ConcurrentDictionary<long, bool>(items.Select(i => KeyValuePair.Create(i.Id, true)));
        using var renewing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var renewal = RenewWhileDeliveringAsync(inFlight, renewing.Token);
        try
        {
            await Parallel.ForEachAsync(
                items,
                new ParallelOptions { MaxDegreeOfParallelism = _settings.MaxParallel, CancellationToken = cancellationToken },
                async (item, ct) =>
                {
                    await DeliverAsync(item, ct);
                    inFlight.TryRemove(item.Id, out _);
                });
        }
        finally
        {
            await renewing.CancelAsync();
            await renewal;
        }

        return items.Count;
    }

    private async Task RenewWhileDeliveringAsync(ConcurrentDictionary<long, bool> inFlight, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_settings.Lease / 3, _clock);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                await _store.RenewLeasesAsync(inFlight.Keys.ToList(), _clock.GetUtcNow() + _settings.Lease, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // Delivery finished (or the host stops): nothing left to hold.
        }
        catch (System.Data.Common.DbException)
        {
            // The store is unreachable: the lease may lapse and another replica retry a row (at most a duplicate).
        }
    }

    private async Task DeliverAsync(OutboxItem item, CancellationToken cancellationToken)
    {
        var platformName = item.Message.Platform;
        DeliveryResult result;
        if (!_platforms.TryGetValue(platformName, out var platform))
        {
            result = new TransientFailure($"{platformName} is not configured");
        }
        else
        {
            result = await AttemptAsync(platform, item, cancellationToken);
        }

        var now = _clock.GetUtcNow();
        switch (result)
        {
            case Delivered:
                await _store.MarkSentAsync(item.Id, now, CancellationToken.None);
                _metrics?.Delivery(platformName, "sent");
                Log.Delivered(_logger, item.Id, platformName, item.Message.Operation.ToString(), item.Attempts + 1);
                break;
            case PermanentFailure permanent:
                await _store.MarkFailedAsync(item.Id, permanent.Error, null, CancellationToken.None);
                _metrics?.Delivery(platformName, "given_up");
                Log.DeliveryGivenUp(_logger, item.Id, platformName, item.Message.Operation.ToString(), permanent.Error);
                break;
            case TransientFailure transient:
                var next = now + Backoff(item.Attempts, transient.RetryAfter);
                await _store.MarkFailedAsync(item.Id, transient.Error, next, CancellationToken.None);
                _metrics?.Delivery(platformName, "retried");
                Log.DeliveryRetry(_logger, item.Id, platformName, transient.Error, next);
                break;
        }
    }

    private async Task<DeliveryResult> AttemptAsync(IChatPlatform platform, OutboxItem item, CancellationToken cancellationToken)
    {
        var pipeline = _pipelines.GetOrAdd(platform.Platform, _ => BuildPipeline());
        try
        {
            return await pipeline.ExecuteAsync(
                async ct =>
                {
                    try
                    {
                        return await platform.DeliverAsync(item, _context, ct);
                    }
                    catch (HttpRequestException e)
                    {
                        return new TransientFailure($"HTTP error: {e.HttpRequestError}");
                    }
                },
                cancellationToken);
        }
        catch (BrokenCircuitException e)
        {
            return new TransientFailure("circuit open: the platform failed repeatedly", e.RetryAfter);
        }
        catch (TimeoutRejectedException)
        {
            return new TransientFailure("timed out");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new TransientFailure($"{e.GetType().Name}: {e.Message}");
        }
    }

    private TimeSpan Backoff(int attempts, TimeSpan? retryAfter)
    {
        if (retryAfter is { } wait && wait > TimeSpan.Zero)
        {
            return wait;
        }

        var seconds = Math.Pow(2, Math.Min(attempts, 16));
        var backoff = TimeSpan.FromSeconds(seconds);
        return backoff < _settings.MaxBackoff ? backoff : _settings.MaxBackoff;
    }

    private ResiliencePipeline<DeliveryResult> BuildPipeline()
    {
        var handle = new PredicateBuilder<DeliveryResult>()
            .HandleResult(r => r is TransientFailure t && (t.RetryAfter is null || t.RetryAfter <= _settings.MaxInProcessWait))
            .Handle<TimeoutRejectedException>();
        var builder = new ResiliencePipelineBuilder<DeliveryResult> { TimeProvider = _clock };
        if (_settings.InProcessRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<DeliveryResult>
            {
                ShouldHandle = handle,
                MaxRetryAttempts = _settings.InProcessRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = _settings.InProcessBaseDelay,
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result is TransientFailure { RetryAfter: { } after } ? (TimeSpan?)after : null),
            });
        }

        return builder
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<DeliveryResult>
            {
                ShouldHandle = new PredicateBuilder<DeliveryResult>().HandleResult(r => r is TransientFailure).Handle<TimeoutRejectedException>(),
                FailureRatio = 0.8,
                MinimumThroughput = 20,
                SamplingDuration = TimeSpan.FromSeconds(30),
                BreakDuration = _settings.BreakDuration,
            })
            .AddTimeout(_settings.CallTimeout)
            .Build();
    }
}
