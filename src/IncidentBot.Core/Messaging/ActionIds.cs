using System.Globalization;
using IncidentBot.Core.Commands;
using IncidentBot.Core.FollowUps;
using IncidentBot.Core.Postmortems;
using IncidentBot.Core.Reminders;
using IncidentBot.Core.Incidents;

namespace IncidentBot.Core.Messaging;

/// <summary>Stable button action ids: both platforms route clicks by them, so they never change.</summary>
public static class ActionIds
{
    public const string Acknowledge = "incident.acknowledge";
    public const string Mitigate = "incident.mitigate";
    public const string Resolve = "incident.resolve";
    public const string PostUpdate = "incident.post_update";
    public const string ExportPostmortem = "incident.export_postmortem";
    public const string Snooze15 = "reminder.snooze_15";
    public const string Snooze30 = "reminder.snooze_30";
    public const string Snooze60 = "reminder.snooze_60";

    /// <summary>Prefix of a follow-up's Done button; the follow-up's number follows it (<c>followup.done:3</c>).</summary>
    public const string FollowUpDone = "followup.done:";

    /// <summary>Prefix of a follow-up's Assign to me button; the follow-up's number follows it.</summary>
    public const string FollowUpAssignMe = "followup.assign_me:";

    public static string FollowUpDoneOf(int number) => FollowUpDone + number.ToString(CultureInfo.InvariantCulture);

    public static string FollowUpAssignMeOf(int number) => FollowUpAssignMe + number.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// The command a click on <paramref name="actionId"/> runs, or null for Post update (each platform asks for
    /// the text first) and for ids this version does not know.
    /// </summary>
    public static Command? CommandFor(string actionId) => actionId switch
    {
        Acknowledge => new TransitionCommand(LifecycleAction.Acknowledge),
        Mitigate => new TransitionCommand(LifecycleAction.Mitigate),
        Resolve => new TransitionCommand(LifecycleAction.Resolve),
        ExportPostmortem => new PostmortemCommand(null),
        _ when SnoozeFor(actionId) is { } snooze => new SnoozeCommand(snooze),
        _ when FollowUpNumber(actionId, FollowUpDone) is { } number => new FollowUpDoneCommand(number),
        _ when FollowUpNumber(actionId, FollowUpAssignMe) is { } number => new AssignFollowUpCommand(number, null),
        _ => null,
    };

    /// <summary>Snooze length for a snooze action id, or null when the id is no snooze.</summary>
    public static TimeSpan? SnoozeFor(string actionId) => actionId switch
    {
        Snooze15 => TimeSpan.FromMinutes(15),
        Snooze30 => TimeSpan.FromMinutes(30),
        Snooze60 => TimeSpan.FromMinutes(60),
        _ => null,
    };

    private static int? FollowUpNumber(string actionId, string prefix) =>
        actionId.StartsWith(prefix, StringComparison.Ordinal)
        && int.TryParse(actionId.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0
            ? number
            : null;
}
