using IncidentBot.Core.Incidents;

namespace IncidentBot.Core.Ports;

/// <summary>
/// A filtered, paged read of incidents (the web view's list): every filter is optional, and the order is open
/// incidents first, then newest declared first.
/// </summary>
public sealed record IncidentSearch
{
    /// <summary>The largest page a store hands out, whatever is asked.</summary>
    public const int MaxTake = 200;

    public string? Platform { get; init; }

    public string? WorkspaceId { get; init; }

    public IncidentState? State { get; init; }

    public Severity? Severity { get; init; }

    /// <summary>Matched case-insensitively anywhere in the title; null or empty matches every title.</summary>
    public string? Text { get; init; }

    public int Skip { get; init; }

    public int Take { get; init; } = 25;
}

/// <summary>One page of a <see cref="IncidentSearch"/>, with how many incidents match in all.</summary>
public sealed record IncidentPage(IReadOnlyList<Incident> Incidents, int Total);
