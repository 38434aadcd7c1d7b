using IncidentBot.Core.Commands;

namespace IncidentBot.Core.Incidents;

/// <summary>`ack`, `mitigate`, `resolve`, `reopen`, `review`, `close [--with-open-followups]`.</summary>
public sealed record TransitionCommand(LifecycleAction Action, bool WithOpenFollowUps = false) : Command;
