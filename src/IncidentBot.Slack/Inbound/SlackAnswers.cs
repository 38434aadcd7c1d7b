using IncidentBot.Core.Messaging;
using IncidentBot.Core.Service;
using IncidentBot.Slack.Outbound;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IncidentBot.Slack.Inbound;

/// <summary>
/// Keeps Slack's 3-second rule: work gets a budget; what finishes inside it is answered in the HTTP
/// response, what does not is finished in the background and answered privately afterwards, through
/// the outbox like every later answer (docs/ARCHITECTURE.md, "Answers").
/// </summary>
internal sealed class SlackAnswers(IncidentService service, ISlackInteractiveApi api, IHostApplicationLifetime lifetime, TimeProvider clock, ILogger<SlackAnswers> logger)
{
    /// <summary>Leaves a second of Slack's three for the network.</summary>
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(2);

    public const string Unavailable = "IncidentBot could not record that right now (its database is unreachable). Nothing was changed: please try again in a moment.";

    /// <summary>The reply if the work finished within the budget; null when it goes on in the background.</summary>
    public async Task<CommandReply?> WithinBudgetAsync(Func<CancellationToken, Task<CommandReply>> work, string channel, string user, string operation)
    {
        // Task.Run: the store may block synchronously; the request thread must stay free to answer.
        var task = Task.Run(() => work(lifetime.ApplicationStopping));
        if (await EndsWithinBudgetAsync(task))
        {
            try
            {
                return await task;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The store is down or failing: nothing was committed, and the person should know to retry.
                Log.BackgroundFailed(logger, operation, e);
                return CommandReply.Private(Unavailable);
            }
        }

        Log.SlowAnswer(logger, operation);
        _ = FinishAsync(task, channel, user, operation);
        return null;
    }

    /// <summary>Whether <paramref name="task"/> ends within the budget; if not, it goes on regardless.</summary>
    public async Task<bool> EndsWithinBudgetAsync(Task task) => await Task.WhenAny(task, Task.Delay(Budget, clock)) == task;

    /// <summary>A token that ends when the budget is spent or <paramref name="cancellationToken"/> ends.</summary>
    public Deadline StartBudget(CancellationToken cancellationToken) => new(Budget, clock, cancellationToken);

    /// <summary>Queues a private answer to one person, when the HTTP answer went out without it.</summary>
    public void PrivateLater(string channel, string user, RichText text, string operation) =>
        _ = Task.Run(async () =>
        {
            try
            {
                await SendPrivateAsync(channel, user, text);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.AnswerCallFailed(logger, operation, e);
            }
        });

    private async Task FinishAsync(Task<CommandReply> task, string channel, string user, string operation)
    {
        try
        {
            var reply = await task;
            if (reply.Display is ReplyDisplay.Private or ReplyDisplay.Card)
            {
                await SendPrivateAsync(channel, user, reply.Text);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The store failed (nothing was committed): the outbox is out of reach too, so tell the person directly.
            Log.BackgroundFailed(logger, operation, e);
            await TryTellAsync(channel, user, Unavailable);
        }
    }

    private Task<bool> SendPrivateAsync(string channel, string user, RichText text) =>
        service.SendAsync([Outgoing.Private(SlackPlatformName.Value, channel, null, user, text)], null, lifetime.ApplicationStopping);

    private async Task TryTellAsync(string channel, string user, string text)
    {
        try
        {
            await api.PostEphemeralAsync(channel, user, text, lifetime.ApplicationStopping);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.AnswerCallFailed(logger, "chat.postEphemeral", e);
        }
    }
}
