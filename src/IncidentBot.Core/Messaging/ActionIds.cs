using IncidentBot.Core.Commands;
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
}
