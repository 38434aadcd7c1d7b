using IncidentBot.Core.FollowUps;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Timeline;

namespace IncidentBot.Core.Tests.Timeline;

/// <summary>The stores keep these enums as numbers: renumbering one would silently change what stored rows mean.</summary>
public sealed class StoredEnumValuesTests
{
    [Test]
    public void TimelineKind_EveryStoredValue_IsPinned()
    {
        var expected = new Dictionary<TimelineKind, int>
        {
            [TimelineKind.Declared] = 0,
            [TimelineKind.StateChanged] = 1,
            [TimelineKind.SeverityChanged] = 2,
            [TimelineKind.RoleAssigned] = 3,
            [TimelineKind.StatusUpdate] = 4,
            [TimelineKind.Note] = 5,
            [TimelineKind.ReminderSent] = 6,
            [TimelineKind.Snoozed] = 7,
            [TimelineKind.ParticipantJoined] = 8,
            [TimelineKind.MessagePinned] = 9,
            [TimelineKind.MessageReacted] = 10,
            [TimelineKind.FollowUpAdded] = 11,
            [TimelineKind.FollowUpChanged] = 12,
            [TimelineKind.FollowUpNudged] = 13,
            [TimelineKind.Alert] = 20,
        };

        AssertPinned(expected);
    }

    [Test]
    public void IncidentEnums_EveryStoredValue_IsPinned()
    {
        AssertPinned(new Dictionary<IncidentState, int> { [IncidentState.Declared] = 0, [IncidentState.Acknowledged] = 1, [IncidentState.Mitigated] = 2, [IncidentState.Resolved] = 3, [IncidentState.Reviewed] = 4, [IncidentState.Closed] = 5 });
        AssertPinned(new Dictionary<FollowUpState, int> { [FollowUpState.Open] = 0, [FollowUpState.Done] = 1, [FollowUpState.Dropped] = 2 });
        AssertPinned(new Dictionary<IncidentType, int> { [IncidentType.Livesite] = 0, [IncidentType.Deployment] = 1, [IncidentType.CustomerReported] = 2 });
        AssertPinned(new Dictionary<Severity, int> { [Severity.Sev1] = 1, [Severity.Sev2] = 2, [Severity.Sev3] = 3, [Severity.Sev4] = 4 });
        AssertPinned(new Dictionary<ChatOperation, int>
        {
            [ChatOperation.OpenIncidentConversation] = 0, [ChatOperation.Post] = 1, [ChatOperation.Update] = 2,
            [ChatOperation.SetTopic] = 3, [ChatOperation.UploadFile] = 4, [ChatOperation.PostPrivate] = 5,
            [ChatOperation.OpenTrackerIssue] = 6, [ChatOperation.CompleteTrackerIssue] = 7, [ChatOperation.DropTrackerIssue] = 8,
            [ChatOperation.ArchiveConversation] = 9, [ChatOperation.PostDirect] = 10,
        });
    }

    private static void AssertPinned<T>(Dictionary<T, int> expected)
        where T : struct, Enum
    {
        // A new member must be added here with its number; a changed number fails.
        Assert.That(Enum.GetValues<T>(), Is.EquivalentTo(expected.Keys), $"{typeof(T).Name} members");
        foreach (var (member, number) in expected)
        {
            Assert.That(Convert.ToInt32(member, System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(number), $"{typeof(T).Name}.{member}");
        }
    }
}
