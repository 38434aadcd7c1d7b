using IncidentBot.Core.Commands;

namespace IncidentBot.Core.Postmortems;

/// <summary>`postmortem [tz:Area/City]`: export the draft.</summary>
public sealed record PostmortemCommand(string? TimeZone) : Command;
