using IncidentBot.Core.Commands;

namespace IncidentBot.Core.Incidents;

/// <summary>`sev 1..4`.</summary>
public sealed record SeverityCommand(Severity Severity) : Command;
