using IncidentBot.Core.Capture;
using IncidentBot.Core.Commands;
using IncidentBot.Core.Timeline;

namespace IncidentBot.Core.Incidents;

/// <summary>`declare [title] [sev1..sev4] [type:...] [--drill]`; a null title means "open the form".</summary>
public sealed record DeclareCommand(string? Title, Severity? Severity, IncidentType? Type, bool Drill = false) : Command;

/// <summary>What a declaration needs; <see cref="SourceMessage"/> is set when declared from a chat message.</summary>
public sealed record DeclareRequest(string Title, Severity Severity, IncidentType Type, string Description = "", CapturedChatEvent? SourceMessage = null)
{
    /// <summary>
    /// The commander when it is not the declarer: a route's on-call person, or <see cref="Person.Unassigned"/> until
    /// someone acknowledges (an incident an alert opened). Null: the declarer.
    /// </summary>
    public Person? Commander { get; init; }

    /// <summary>Where the declaration is announced instead of the platform's announcement channel; null: that channel.</summary>
    public string? AnnouncementConversationId { get; init; }

    /// <summary>A drill (<c>--drill</c>): a rehearsal, marked as one. Every incident of a drills-only platform is one anyway.</summary>
    public bool Drill { get; init; }

    /// <summary>Entries that open the timeline before the declaration (the alerts that opened it), given the numbered incident.</summary>
    public Func<Incident, IReadOnlyList<TimelineEntry>>? OpeningEntries { get; init; }
}
