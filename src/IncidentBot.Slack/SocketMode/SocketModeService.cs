using IncidentBot.Slack.Configuration;
using IncidentBot.Slack.WebApi;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IncidentBot.Slack.SocketMode;

/// <summary>
/// Keeps <c>Slack:SocketConnections</c> Socket Mode connections open while the app token is set: each slot opens a
/// fresh URL (apps.connections.open), connects, and on a refresh opens the next connection before closing the old;
/// after a loss it tries again with backoff; link_disabled or a refused token stops every slot for good.
/// </summary>
internal sealed class SocketModeService(
    IOptions<SlackOptions> options,
    SlackApiClient api,
    SocketModeRouter router,
    SocketModeStatus status,
    SocketModeBackoff backoff,
    TimeProvider clock,
    ILogger<SocketModeService> logger) : BackgroundService
{
    /// <summary>apps.connections.open errors no retry can fix (the node SDK's list, plus revoked or wrong tokens).</summary>
    private static readonly HashSet<string> FinalErrors = new(StringComparer.Ordinal)
    {
        "not_authed", "invalid_auth", "account_inactive", "token_revoked", "token_expired", "team_disabled",
        "user_removed_from_team", "not_allowed_token_type", "missing_args", "forbidden_team",
    };

    private CancellationTokenSource? _run;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.IsSocketModeEnabled)
        {
            return;
        }

        using var run = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        _run = run;
        await Task.WhenAll(Enumerable.Range(1, options.Value.SocketConnections).Select(slot => KeepAsync(slot, run.Token)));
    }

    private async Task KeepAsync(int slot, CancellationToken cancellationToken)
    {
        status.Set(slot, SocketState.Connecting);
        SocketModeConnection? current = null;
        (SocketModeConnection? Connection, string? Final, TimeSpan? Wait)? refreshed = null;
        var failures = 0;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                if (current is null)
                {
                    // After a refresh the new connection was opened already, while the old one still served.
                    var (opened, final, wait) = refreshed ?? await ConnectAsync(slot, cancellationToken);
                    refreshed = null;
                    if (final is not null)
                    {
                        Disable(final);
                        return;
                    }

                    if (opened is null)
                    {
                        failures++;
                        await RetryAsync(slot, wait ?? backoff.Delay(failures), "apps.connections.open or connect failed", cancellationToken);
                        continue;
                    }

                    current = opened;
                    failures = 0;
                    continue;
                }

                var (end, reason) = await current.Ended.WaitAsync(cancellationToken);
                switch (end)
                {
                    case SocketEnd.Refresh:
                        Log.SocketRefresh(logger, slot, reason);
                        var old = current;
                        current = null;
                        try
                        {
                            refreshed = await ConnectAsync(slot, cancellationToken);
                        }
                        finally
                        {
                            // The old one went on acking until the new one said hello; now it finishes what it holds.
                            await old.CloseAsync();
                        }

                        break;

                    case SocketEnd.Disabled:
                        await current.CloseAsync();
                        current = null;
                        Disable(reason);
                        return;

                    default:
                        // too_many_websockets: closing this one brings the count down; then wait like any loss.
                        await (end == SocketEnd.TooMany ? current.CloseAsync() : current.DisposeAsync().AsTask());
                        current = null;
                        failures++;
                        await RetryAsync(slot, backoff.Delay(failures), reason, cancellationToken);
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down, or another slot disabled Socket Mode.
        }
        finally
        {
            if (current is not null)
            {
                await current.CloseAsync();
                Log.SocketClosed(logger, slot);
            }
        }
    }

    /// <summary>A connection that said hello; or the final reason to stop; or neither (try again, after the wait if given).</summary>
    private async Task<(SocketModeConnection? Connection, string? Final, TimeSpan? Wait)> ConnectAsync(int slot, CancellationToken cancellationToken)
    {
        Uri url;
        try
        {
            url = await api.OpenConnectionAsync(cancellationToken);
        }
        catch (SlackApiException e) when (FinalErrors.Contains(e.Error))
        {
            return (null, $"apps.connections.open answered {e.Error} (check IncidentBot:Slack:AppToken)", null);
        }
        catch (SlackRateLimitedException e)
        {
            return (null, null, SocketModeBackoff.RateLimited(e.RetryAfter));
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.AnswerCallFailed(logger, "apps.connections.open", e);
            return (null, null, null);
        }

        try
        {
            var (connection, hello) = await SocketModeConnection.OpenAsync(url, router, clock, logger, cancellationToken);
            status.Set(slot, SocketState.Connected);
            Log.SocketConnected(logger, slot, url.Host, hello.NumConnections ?? 0);
            return (connection, null, null);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Not the URL itself: its ticket is a credential.
            Log.AnswerCallFailed(logger, $"Socket Mode connect to {url.Host}", e);
            return (null, null, null);
        }
    }

    private async Task RetryAsync(int slot, TimeSpan delay, string reason, CancellationToken cancellationToken)
    {
        status.Set(slot, SocketState.Reconnecting);
        Log.SocketLost(logger, slot, reason, delay);
        await backoff.WaitAsync(delay, cancellationToken);
    }

    private void Disable(string reason)
    {
        if (status.Disable(reason))
        {
            Log.SocketDisabled(logger, reason);
        }

        _run?.Cancel();
    }
}
