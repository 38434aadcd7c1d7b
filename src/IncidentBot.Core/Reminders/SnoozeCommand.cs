using IncidentBot.Core.Commands;

namespace IncidentBot.Core.Reminders;

/// <summary>Snooze reminders for a while (a reminder's button, not typed).</summary>
public sealed record SnoozeCommand(TimeSpan Duration) : Command;
