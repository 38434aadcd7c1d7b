using IncidentBot.Core.Commands;

namespace IncidentBot.Core.StatusUpdates;

/// <summary>`update &lt;text&gt;`: a status update, posted and broadcast.</summary>
public sealed record StatusUpdateCommand(string Text) : Command;
