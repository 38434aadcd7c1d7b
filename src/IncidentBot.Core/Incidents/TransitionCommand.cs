using IncidentBot.Core.Commands;

namespace IncidentBot.Core.Incidents;

/// <summary>`ack`, `mitigate`, `resolve`, `reopen`.</summary>
public sealed record TransitionCommand(LifecycleAction Action) : Command;
