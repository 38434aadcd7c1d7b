using IncidentBot.Core.Alerts;
using IncidentBot.Core.FollowUps;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Postmortems;
using IncidentBot.Core.Reminders;
using IncidentBot.Core.Roles;
using IncidentBot.Core.StatusUpdates;
using static IncidentBot.Core.Messaging.ChatOperation;

namespace IncidentBot.PlatformContract;

/// <summary>
/// One kind of neutral message the features produce, made the way the feature makes it (its command through the use
/// cases, its scheduler's call, or its builder where a host service sends it), on an incident Ada declared.
/// </summary>
/// <param name="Operations">What its delivery asks of the platform; the contract checks these were delivered.</param>
/// <param name="Builders">The Core builders it exercises (<c>Type.Method</c>), so a builder no kind covers is noticed.</param>
public sealed record MessageKind(string Name, IReadOnlyList<ChatOperation> Operations, IReadOnlyList<string> Builders, Func<ContractRig, Incident, Task> RunAsync)
{
    public override string ToString() => Name;
}

/// <summary>Every kind of message the features send to a chat platform.</summary>
public static class MessageKinds
{
    public static IReadOnlyList<MessageKind> All { get; } =
    [
        new("declare", [OpenIncidentConversation, Post],
            [$"{nameof(IncidentMessages)}.{nameof(IncidentMessages.Header)}", $"{nameof(DeclareMessages)}.{nameof(DeclareMessages.Announcement)}",
             $"{nameof(Outgoing)}.{nameof(Outgoing.ToIncident)}", $"{nameof(Outgoing)}.{nameof(Outgoing.Post)}"],
            async (rig, _) => await rig.DeclareAsync("declare Payments slow sev3")),

        new("acknowledge", [Update, SetTopic, Post],
            [$"{nameof(Outgoing)}.{nameof(Outgoing.HeaderRefresh)}", $"{nameof(IncidentMessages)}.{nameof(IncidentMessages.Changed)}",
             $"{nameof(TransitionMessages)}.{nameof(TransitionMessages.StateChanged)}"],
            (rig, incident) => rig.RunAsync(new TransitionCommand(LifecycleAction.Acknowledge), incident, rig.Grace)),

        new("severity", [Update, SetTopic, Post], [],
            (rig, incident) => rig.RunAsync(new SeverityCommand(Severity.Sev1), incident)),

        new("role", [Update, SetTopic, Post], [$"{nameof(RoleMessages)}.{nameof(RoleMessages.Assigned)}"],
            (rig, incident) => rig.RunAsync(new RoleCommand("scribe", rig.Grace), incident)),

        new("status update", [Post], [$"{nameof(StatusUpdateMessages)}.{nameof(StatusUpdateMessages.StatusUpdate)}"],
            (rig, incident) => rig.RunAsync(new StatusUpdateCommand("Rolled back the 14:02 deploy; the error rate is falling."), incident, rig.Grace)),

        new("reminder", [Post], [$"{nameof(ReminderMessages)}.{nameof(ReminderMessages.Reminder)}"], RemindAsync),

        new("snooze on the reminder", [Post, Update], [],
            async (rig, incident) =>
            {
                await RemindAsync(rig, incident);
                await rig.SettleAsync();
                var reminder = await rig.ClickAsync(incident, m => m.Buttons.Any(b => b.ActionId == ActionIds.Snooze15));
                await rig.RunAsync(ActionIds.CommandFor(ActionIds.Snooze15)!, incident, rig.Grace, reminder);
            }),

        new("follow-up", [Post],
            [$"{nameof(FollowUpMessages)}.{nameof(FollowUpMessages.Posted)}", $"{nameof(FollowUpMessages)}.{nameof(FollowUpMessages.Card)}",
             $"{nameof(FollowUpTracker)}.{nameof(FollowUpTracker.With)}"],
            (rig, incident) => AddFollowUpAsync(rig, incident)),

        new("follow-up done", [Update], [$"{nameof(FollowUpMessages)}.{nameof(FollowUpMessages.Refreshed)}"],
            async (rig, incident) =>
            {
                await AddFollowUpAsync(rig, incident);
                await rig.SettleAsync();
                await rig.RunAsync(ActionIds.CommandFor(ActionIds.FollowUpDoneOf(1))!, incident, rig.Grace);
            }),

        new("follow-up nudge", [Post], [$"{nameof(FollowUpMessages)}.{nameof(FollowUpMessages.Nudge)}"],
            (rig, incident) => NudgeAsync(rig, incident, ownerHas1On1: false)),

        // Where the platform reaches a person alone only in a 1:1 (Teams), the nudge also goes there (PostDirect).
        new("follow-up nudge, owner has a 1:1", [Post, PostDirect], [],
            (rig, incident) => NudgeAsync(rig, incident, ownerHas1On1: true)),

        new("follow-up digest", [Post], [$"{nameof(FollowUpDigest)}.{nameof(FollowUpDigest.Build)}"],
            async (rig, incident) =>
            {
                await AddFollowUpAsync(rig, incident);
                var today = DateOnly.FromDateTime(rig.Clock.GetUtcNow().UtcDateTime);

                // As the host's digest scheduler posts it: to the announcements, of no one incident.
                var digest = FollowUpDigest.Build([await rig.IncidentAsync(incident.Id)], today.AddDays(7))!;
                var post = new OutgoingMessage { Platform = rig.Platform, Operation = Post, ConversationId = rig.Announcements, Message = digest };
                await rig.Service.SendAsync([post], "digest-1", CancellationToken.None);
            }),

        new("resolve", [Update, SetTopic, Post], [$"{nameof(TransitionMessages)}.{nameof(TransitionMessages.Resolved)}"],
            (rig, incident) => rig.RunAsync(new TransitionCommand(LifecycleAction.Resolve), incident)),

        new("close", [Update, SetTopic, Post], [$"{nameof(TransitionMessages)}.{nameof(TransitionMessages.Closed)}"], CloseAsync),

        new("postmortem", [UploadFile], [],
            async (rig, incident) =>
            {
                await rig.RunAsync(new TransitionCommand(LifecycleAction.Resolve), incident);
                await rig.RunAsync(new PostmortemCommand(null), incident);
            }),

        new("alert", [OpenIncidentConversation, Post], [$"{nameof(AlertMessages)}.{nameof(AlertMessages.Update)}"], AlertAsync),

        new("private answer", [PostPrivate], [$"{nameof(Outgoing)}.{nameof(Outgoing.Private)}"],
            async (rig, incident) =>
            {
                await AddFollowUpAsync(rig, incident);
                var reply = await rig.RunAsync(new ListFollowUpsCommand(), incident, rig.Grace);

                // As an edge answers after its platform's own reply: to the asker alone, in the conversation asked from.
                var answer = Outgoing.Private(rig.Platform, incident.ConversationId!, incident.ServiceUrl, rig.Grace.Id, reply.Text);
                await rig.Service.SendAsync([answer], "answer-1", CancellationToken.None);
            }),

        new("archive", [Post, ArchiveConversation], [$"{nameof(ChannelArchive)}.{nameof(ChannelArchive.Messages)}"],
            async (rig, incident) =>
            {
                await CloseAsync(rig, incident);
                var closed = await rig.IncidentAsync(incident.Id);
                await rig.Service.SendAsync(ChannelArchive.Messages(closed), ChannelArchive.InboundIdOf(closed.Id), CancellationToken.None);
            }),
    ];

    /// <summary>The builders the tracker operations test covers: tracker messages, which no chat platform may take.</summary>
    public static IReadOnlyList<string> TrackerBuilders { get; } =
        [$"{nameof(FollowUpTracker)}.{nameof(FollowUpTracker.Open)}", $"{nameof(FollowUpTracker)}.{nameof(FollowUpTracker.Close)}"];

    /// <summary>A follow-up for Grace, due tomorrow (when the clock still says the day it was declared).</summary>
    public static async Task AddFollowUpAsync(ContractRig rig, Incident incident) =>
        await rig.RunAsync(new AddFollowUpCommand("Alert on checkout latency", rig.Grace, new DueSpec(null, 1)), incident);

    /// <summary>Grace's follow-up, due the next day, nudged as the scheduler does three days on.</summary>
    private static async Task NudgeAsync(ContractRig rig, Incident incident, bool ownerHas1On1)
    {
        await AddFollowUpAsync(rig, incident);
        if (ownerHas1On1)
        {
            await rig.Target.OpenDirectConversationAsync(rig.Grace);
        }

        rig.Clock.Advance(TimeSpan.FromDays(3));
        var due = new Core.Ports.DueFollowUpNudge(incident.Id, 1, rig.Clock.GetUtcNow().AddMinutes(5));
        Assert.That(await rig.Service.SendFollowUpNudgesAsync([due], CancellationToken.None), Is.EqualTo(1));
    }

    private static async Task RemindAsync(ContractRig rig, Incident incident)
    {
        rig.Clock.Advance(ReminderPolicy.DefaultSev2 + TimeSpan.FromMinutes(1));
        Assert.That(await rig.Service.SendReminderAsync(incident.Id, null, CancellationToken.None), Is.True);
    }

    private static async Task CloseAsync(ContractRig rig, Incident incident)
    {
        await rig.RunAsync(new TransitionCommand(LifecycleAction.Resolve), incident);
        await rig.RunAsync(new TransitionCommand(LifecycleAction.Review), incident);
        await rig.RunAsync(new TransitionCommand(LifecycleAction.Close), incident);
    }

    /// <summary>Alertmanager opens an incident for a group, then a second alert of the group fires.</summary>
    private static async Task AlertAsync(ContractRig rig, Incident _)
    {
        static Alert Firing(string fingerprint, string instance, DateTimeOffset at) => new(
            fingerprint, AlertStatus.Firing,
            new Dictionary<string, string> { ["alertname"] = "CheckoutLatencyHigh", ["instance"] = instance },
            new Dictionary<string, string> { ["summary"] = "p99 above 2s" }, at, null, "http://prometheus.local/graph");

        var now = rig.Clock.GetUtcNow();
        var first = Firing("f1", "web-1", now);
        var target = new AlertTarget(rig.Platform, rig.Target.Workspace);
        var opened = await rig.Service.ReceiveAlertsAsync(new AlertNotification("Alertmanager", "group-1", AlertStatus.Firing, "Checkout latency high", Severity.Sev2, [first]), target, CancellationToken.None);
        Assert.That(opened.Result, Is.EqualTo(AlertResult.Opened));
        await rig.SettleAsync();
        var more = new AlertNotification("Alertmanager", "group-1", AlertStatus.Firing, "Checkout latency high", Severity.Sev2, [first, Firing("f2", "web-2", now)]);
        Assert.That((await rig.Service.ReceiveAlertsAsync(more, target, CancellationToken.None)).Result, Is.EqualTo(AlertResult.Updated));
    }
}
