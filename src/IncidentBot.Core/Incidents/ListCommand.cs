using IncidentBot.Core.Commands;

namespace IncidentBot.Core.Incidents;

/// <summary>`list`: open incidents.</summary>
public sealed record ListCommand : Command;
