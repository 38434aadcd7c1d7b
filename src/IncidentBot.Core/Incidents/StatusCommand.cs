using IncidentBot.Core.Commands;

namespace IncidentBot.Core.Incidents;

/// <summary>`status`: a summary of this incident.</summary>
public sealed record StatusCommand : Command;
