using IncidentBot.Core.Commands;

namespace IncidentBot.Core.Alerts;

/// <summary>A notification for a group whose incident is open: add what is new in it to that incident. Not typed by people.</summary>
public sealed record AlertUpdateCommand(AlertNotification Notification) : Command;
