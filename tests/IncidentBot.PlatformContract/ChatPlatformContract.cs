using System.Reflection;
using IncidentBot.Core.FollowUps;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Ports;
using IncidentBot.Core.Service;
using IncidentBot.Core.StatusUpdates;

namespace IncidentBot.PlatformContract;

/// <summary>
/// What every chat platform owes the bot, written once: Slack, Teams and the sandbox each run it against their fake.
/// Every neutral message kind the features produce is delivered and rendered (text, fields, buttons with their action
/// ids and values, mentions, the link to the incident's conversation); messages to a conversation are seen in the order
/// written; an update replaces its message in place; a transient failure says so and its retry shows everything once.
/// Delivery goes through the real outbox: use cases on a real SQLite store, the real dispatcher.
/// </summary>
public abstract class ChatPlatformContract
{
    /// <summary>Ada, who declares and commands, in this platform's ids.</summary>
    protected abstract Person Ada { get; }

    /// <summary>Grace, a second responder, in this platform's ids.</summary>
    protected abstract Person Grace { get; }

    /// <summary>The adapter under test against a fresh fake, writing (where it writes) into <paramref name="store"/>.</summary>
    protected abstract Task<PlatformUnderTest> StartAsync(IIncidentStore store, TimeProvider clock);

    public static IEnumerable<MessageKind> Kinds => MessageKinds.All;

    protected Task<ContractRig> RigAsync(bool parallel = false) => ContractRig.StartAsync(Ada, Grace, StartAsync, parallel);

    [TestCaseSource(nameof(Kinds))]
    public async Task Kind_Delivered_EveryoneSeesItRendered(MessageKind kind)
    {
        await using var rig = await RigAsync();
        var incident = await rig.DeclareAsync();
        var before = rig.Recorder.Attempts.Count;

        await kind.RunAsync(rig, await rig.IncidentAsync(incident.Id));
        await rig.SettleAsync();

        var attempts = rig.Recorder.Attempts.Skip(before).ToList();
        Assert.That(attempts.Where(a => a.Result is not Delivered), Is.Empty, $"every attempt delivered: {rig.Recorder.Describe()}");
        // Core writes a PostDirect only for a platform that reaches a person alone in a 1:1 (its settings say so).
        var asked = kind.Operations.Where(o => o != ChatOperation.PostDirect || rig.Target.Settings.DirectMessages == DirectMessages.WhereConversationExists);
        Assert.That(attempts.Select(a => a.Item.Message.Operation).Distinct(), Is.SupersetOf(asked), $"{kind} asks the platform for these");
        await (await ExpectedView.OfAsync(rig)).AssertSeenAsync(rig);
    }

    [Test]
    public void Kinds_CoverEveryOperation_AndEveryCoreMessageBuilder()
    {
        var operations = Kinds.SelectMany(k => k.Operations).Concat(TrackerOperations).ToHashSet();
        Assert.That(Enum.GetValues<ChatOperation>().Where(o => !operations.Contains(o)), Is.Empty, "an operation with no contract case");

        var covered = Kinds.SelectMany(k => k.Builders).Concat(MessageKinds.TrackerBuilders).ToHashSet(StringComparer.Ordinal);
        Assert.That(CoreMessageBuilders().Where(b => !covered.Contains(b)), Is.Empty, "a Core message builder no kind delivers");
        Assert.That(covered.Where(b => !CoreMessageBuilders().Contains(b)), Is.Empty, "a kind names a builder Core does not have");
    }

    [Test]
    public async Task Messages_ToOneConversation_SeenInTheOrderWritten_ThoughOneFailsFirst()
    {
        await using var rig = await RigAsync(parallel: true);
        var incident = await rig.DeclareAsync();
        var texts = Enumerable.Range(1, 5).Select(i => $"Update {i}: still investigating").ToList();
        foreach (var text in texts)
        {
            await rig.RunAsync(new StatusUpdateCommand(text), incident);
        }

        // The second call fails: the messages behind it in its conversation wait for its retry.
        rig.Target.FailCalls(after: 1, count: 1, throttled: false);
        await rig.SettleAsync();

        Assert.That(rig.Recorder.Attempts.Any(a => a.Result is TransientFailure), Is.True, "a delivery failed on the way");
        foreach (var conversation in new[] { incident.ConversationId!, rig.Announcements })
        {
            var seen = await rig.Target.SeenAsync(conversation, rig.Grace);
            var positions = texts.Select(t => seen.ToList().FindIndex(s => s.Text.Contains(t, StringComparison.Ordinal))).ToList();
            Assert.That(positions, Is.All.GreaterThanOrEqualTo(0), $"all shown in {conversation}: {string.Join(" | ", seen)}");
            Assert.That(positions, Is.Ordered.Ascending, $"in the order written in {conversation}: {string.Join(" | ", seen)}");
        }

        await (await ExpectedView.OfAsync(rig)).AssertSeenAsync(rig);
    }

    [Test]
    public async Task AnchoredPost_ThenUpdate_OneMessageWithTheNewText()
    {
        await using var rig = await RigAsync();
        var incident = await rig.DeclareAsync();
        var header = IncidentMessages.Header(incident);
        var before = await rig.Target.SeenAsync(incident.ConversationId!, rig.Grace);
        var posted = before.Single(s => Showing.Mismatch(s, header, rig.People, incident.ConversationId) is null);

        await rig.RunAsync(new TransitionCommand(LifecycleAction.Acknowledge), incident);
        await rig.SettleAsync();

        var acknowledged = IncidentMessages.Header(await rig.IncidentAsync(incident.Id));
        var after = await rig.Target.SeenAsync(incident.ConversationId!, rig.Grace);
        Assert.That(after.Where(s => Showing.Mismatch(s, acknowledged, rig.People, incident.ConversationId) is null).Select(s => s.Id), Is.EqualTo(new[] { posted.Id }),
            $"the header posted shows the new state and buttons: {string.Join(" | ", after)}");
        Assert.That(after.Where(s => Showing.Mismatch(s, header, rig.People, incident.ConversationId) is null), Is.Empty, "the old header is gone");
        Assert.That(after.Select(s => s.Id).Take(before.Count), Is.EqualTo(before.Select(s => s.Id)), "nothing moved; the update added no message");
    }

    [Test]
    public async Task ClickedMessage_Update_ReplacesItInPlace()
    {
        await using var rig = await RigAsync();
        var incident = await rig.DeclareAsync();
        await MessageKinds.All.Single(k => k.Name == "snooze on the reminder").RunAsync(rig, incident);
        await rig.SettleAsync();

        var seen = await rig.Target.SeenAsync(incident.ConversationId!, rig.Ada);
        var clicked = seen.Single(s => rig.Clicked.ContainsKey(s.Id));
        Assert.That(clicked.Buttons, Is.Empty, "the reminder clicked on shows the outcome, without its buttons");
        Assert.That(clicked.Text, Does.Contain($"{rig.Grace.Name} snoozed"));
        Assert.That(seen.Where(s => s.Buttons.Any(b => b.ActionId == ActionIds.Snooze15)), Is.Empty, "no reminder left to click");
    }

    /// <summary>
    /// Each call the platform makes while an incident is declared, acknowledged, updated and its postmortem uploaded fails
    /// once in turn (server error, or throttled with a Retry-After): the attempt says it is worth retrying, not before the
    /// wait the platform asked for, and once retried everyone sees every message once, in one conversation per incident.
    /// </summary>
    [TestCase(false)]
    [TestCase(true)]
    public async Task EachCall_FailsTransiently_RetryShowsEverythingOnce(bool throttled)
    {
        for (var call = 0; ; call++)
        {
            await using var rig = await RigAsync();
            rig.Target.FailCalls(after: call, count: 1, throttled);
            await WorkAnIncidentAsync(rig);
            if (rig.Target.CallFaultsLeft > 0)
            {
                Assert.That(call, Is.GreaterThan(3), "the fault was met by some of the calls");
                return;
            }

            var attempts = rig.Recorder.Attempts;
            var failed = attempts.Where(a => a.Result is not Delivered).ToList();
            Assert.That(failed.Select(f => f.Result), Is.Not.Empty.And.All.InstanceOf<TransientFailure>(), $"call {call}: {rig.Recorder.Describe()}");
            Assert.That(failed.Select(f => ((TransientFailure)f.Result!).RetryAfter), Does.Contain(throttled ? rig.Target.ThrottledRetryAfter : null), $"call {call}: {rig.Recorder.Describe()}");
            foreach (var failure in failed)
            {
                var retry = attempts.First(a => a.Item.Id == failure.Item.Id && a.At > failure.At);
                Assert.That(retry.At - failure.At, Is.GreaterThanOrEqualTo(((TransientFailure)failure.Result!).RetryAfter ?? TimeSpan.Zero), $"call {call}: not retried before the wait asked for");
            }

            Assert.That(attempts.GroupBy(a => a.Item.Id).Where(g => g.Count(a => a.Result is Delivered) != 1).Select(g => g.Key), Is.Empty, $"call {call}: every row delivered once");
            await (await ExpectedView.OfAsync(rig)).AssertSeenAsync(rig);
        }
    }

    /// <summary>
    /// A row can be delivered again after it was delivered: its lease lapsed while the platform was slow, or the bot
    /// stopped before marking it sent. An anchored post is posted once per incident all the same.
    /// </summary>
    [Test]
    public async Task AnchoredPost_DeliveredAgain_ShownOnce()
    {
        await using var rig = await RigAsync();
        await DeclareWithAFollowUpAsync(rig);
        var expected = await ExpectedView.OfAsync(rig);

        foreach (var anchored in rig.Recorder.Delivered.Where(i => i.Message.Operation == ChatOperation.Post && i.Message.Anchor is not null))
        {
            var again = await rig.DeliverOutsideTheOutboxAsync(anchored with { Attempts = anchored.Attempts + 1 });
            Assert.That(again, Is.TypeOf<Delivered>(), $"'{anchored.Message.Anchor}' again");
        }

        await expected.AssertSeenAsync(rig);
    }

    [Test]
    public async Task TrackerOperations_AreNoChatPlatformsJob_RefusedAndNothingShown()
    {
        await using var rig = await RigAsync();
        var withFollowUp = await DeclareWithAFollowUpAsync(rig);
        var followUp = withFollowUp.FollowUp(1)!;
        var seen = await rig.Target.SeenAsync(withFollowUp.ConversationId!, rig.Ada);

        foreach (var tracker in new[] { FollowUpTracker.Open(withFollowUp, followUp), FollowUpTracker.Close(withFollowUp, followUp, ChatOperation.CompleteTrackerIssue), FollowUpTracker.Close(withFollowUp, followUp, ChatOperation.DropTrackerIssue) })
        {
            var result = await rig.DeliverOutsideTheOutboxAsync(new OutboxItem(0, tracker with { Platform = rig.Platform }, 0, rig.Clock.GetUtcNow()));
            Assert.That(result, Is.InstanceOf<PermanentFailure>(), $"{tracker.Operation} is the tracker's");
        }

        Assert.That((await rig.Target.SeenAsync(withFollowUp.ConversationId!, rig.Ada)).Select(s => s.ToString()), Is.EqualTo(seen.Select(s => s.ToString())));
    }

    private static async Task<Incident> DeclareWithAFollowUpAsync(ContractRig rig)
    {
        var incident = await rig.DeclareAsync();
        await MessageKinds.AddFollowUpAsync(rig, incident);
        await rig.SettleAsync();
        return await rig.IncidentAsync(incident.Id);
    }

    private static readonly ChatOperation[] TrackerOperations = [ChatOperation.OpenTrackerIssue, ChatOperation.CompleteTrackerIssue, ChatOperation.DropTrackerIssue];

    /// <summary>Declare, acknowledge, a status update and the postmortem: open, an anchored pinned post, updates, a topic, a file.</summary>
    private static async Task WorkAnIncidentAsync(ContractRig rig)
    {
        var reply = await rig.Service.ExecuteAsync(Core.Commands.CommandParser.Parse("declare Checkout errors sev2"), rig.In(rig.Announcements), CancellationToken.None);
        await rig.SettleAsync();
        var incident = await rig.IncidentAsync(reply.Incident!.Id);
        await rig.RunAsync(new TransitionCommand(LifecycleAction.Acknowledge), incident);
        await rig.RunAsync(new StatusUpdateCommand("Rolled back; watching the error rate."), incident);
        await rig.RunAsync(new Core.Postmortems.PostmortemCommand(null), incident);
        await rig.SettleAsync();
    }

    /// <summary>Every public static method of Core that builds a chat message or outbox messages, as <c>Type.Method</c>.</summary>
    private static HashSet<string> CoreMessageBuilders()
    {
        Type[] built = [typeof(ChatMessage), typeof(OutgoingMessage), typeof(IEnumerable<OutgoingMessage>), typeof(IReadOnlyList<OutgoingMessage>)];
        return typeof(ChatMessage).Assembly.GetExportedTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly).Select(m => (Type: t, Method: m)))
            .Where(x => built.Contains(x.Method.ReturnType))
            .Select(x => $"{x.Type.Name}.{x.Method.Name}")
            .ToHashSet(StringComparer.Ordinal);
    }
}
