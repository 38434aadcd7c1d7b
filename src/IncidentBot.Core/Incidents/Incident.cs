using System.Collections.Immutable;
using IncidentBot.Core.FollowUps;

namespace IncidentBot.Core.Incidents;

/// <summary>An incident: its identity, lifecycle milestones, people and where it lives in chat.</summary>
public sealed record Incident
{
    /// <summary>Store identity; 0 until the store assigns one.</summary>
    public long Id { get; init; }

    /// <summary>Chat platform this incident runs on ("slack" or "teams").</summary>
    public required string Platform { get; init; }

    /// <summary>Workspace (Slack team id, Teams tenant id) in which numbers are counted.</summary>
    public required string WorkspaceId { get; init; }

    /// <summary>Number within the workspace: INC-1, INC-2, ...</summary>
    public int Number { get; init; }

    public required string Title { get; init; }

    public string Description { get; init; } = "";

    public Severity Severity { get; init; } = Severity.Sev3;

    public IncidentType Type { get; init; } = IncidentType.Livesite;

    public IncidentState State { get; init; } = IncidentState.Declared;

    public required Person Commander { get; init; }

    public required Person DeclaredBy { get; init; }

    /// <summary>Named roles (scribe, liaison, ...) keyed by lower-case role name.</summary>
    public ImmutableSortedDictionary<string, Person> Roles { get; init; } = ImmutableSortedDictionary<string, Person>.Empty;

    public DateTimeOffset DeclaredAt { get; init; }

    public DateTimeOffset? AcknowledgedAt { get; init; }

    public DateTimeOffset? MitigatedAt { get; init; }

    public DateTimeOffset? ResolvedAt { get; init; }

    /// <summary>When the postmortem was reviewed (the incident moved to Reviewed).</summary>
    public DateTimeOffset? ReviewedAt { get; init; }

    /// <summary>Who reviewed the postmortem.</summary>
    public Person? ReviewedBy { get; init; }

    public DateTimeOffset? ClosedAt { get; init; }

    /// <summary>Follow-ups (action items), in the order they were added; part of the incident, so they save with it.</summary>
    public ImmutableList<FollowUp> FollowUps { get; init; } = [];

    /// <summary>When the last status update was posted (the declaration counts as the first).</summary>
    public DateTimeOffset LastStatusUpdateAt { get; init; }

    /// <summary>Conversation the incident lives in (incident channel or thread), once created.</summary>
    public string? ConversationId { get; init; }

    /// <summary>Where that conversation's platform API answers (Teams service URL); null for Slack.</summary>
    public string? ServiceUrl { get; init; }

    /// <summary>Conversation the incident was declared from.</summary>
    public string? OriginConversationId { get; init; }

    /// <summary>Optimistic concurrency version: every saved change increments it.</summary>
    public int Version { get; init; }

    /// <summary>A rehearsal on a fake incident: marked "Drill" in its messages and postmortem, left out of insights by default.</summary>
    public bool IsDrill { get; init; }

    public string Key => $"INC-{Number}";

    /// <summary>Still live: declared, acknowledged or mitigated (resolved, reviewed and closed are past).</summary>
    public bool IsOpen => State < IncidentState.Resolved;

    public TimeSpan? TimeToAcknowledge => AcknowledgedAt - DeclaredAt;

    public TimeSpan? TimeToMitigate => MitigatedAt - DeclaredAt;

    public TimeSpan? TimeToResolve => ResolvedAt - DeclaredAt;

    public TimeSpan? TimeToReview => ReviewedAt - DeclaredAt;

    public TimeSpan? TimeToClose => ClosedAt - DeclaredAt;

    /// <summary>
    /// Everyone the incident names, whom its messages may mention: follow-up owners, role holders, who declared it and
    /// its commander (a platform that shows a mention by name finds it here).
    /// </summary>
    public IEnumerable<Person> People() =>
        FollowUps.Select(f => f.Owner).OfType<Person>().Concat(Roles.Values).Append(DeclaredBy).Append(Commander);

    /// <summary>This incident's follow-up numbered <paramref name="number"/>, or null.</summary>
    public FollowUp? FollowUp(int number) => FollowUps.Find(f => f.Number == number);

    /// <summary>The incident as a change saves it: one version on (the store checks the one before).</summary>
    public Incident NextVersion() => this with { Version = Version + 1 };
}
