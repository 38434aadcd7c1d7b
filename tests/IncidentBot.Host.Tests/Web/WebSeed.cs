using IncidentBot.Core.Incidents;
using IncidentBot.Core.Ports;
using IncidentBot.Core.Timeline;

namespace IncidentBot.Host.Tests.Web;

/// <summary>Incidents written straight to the store, with the milestones and timeline a test needs.</summary>
internal static class WebSeed
{
    public static readonly Person Ada = new("U1", "Ada");
    public static readonly Person Grace = new("U2", "Grace");

    public static async Task<Incident> DeclareAsync(IIncidentStore store, DateTimeOffset at, string title, Severity severity = Severity.Sev2,
        string workspace = "T1", IncidentType type = IncidentType.Livesite, string platform = "slack", string? conversation = "C0INC")
    {
        var draft = new Incident
        {
            Platform = platform,
            WorkspaceId = workspace,
            Title = title,
            Severity = severity,
            Type = type,
            Commander = Ada,
            DeclaredBy = Ada,
            DeclaredAt = at,
            LastStatusUpdateAt = at,
            ConversationId = conversation,
            Version = 1,
        };
        var (_, incident) = await store.CreateAsync(draft, i => new IncidentChange
        {
            Incident = i,
            Entries = [TimelineEntry.For(i, at, TimelineKind.Declared, Ada, $"Declared: {title}")],
        }, null, CancellationToken.None);
        return incident!;
    }

    /// <summary>Moves the incident through acknowledged, mitigated and (optionally) resolved, minutes after it was declared.</summary>
    public static async Task<Incident> ProgressAsync(IIncidentStore store, Incident incident, double ackMinutes, double? mitigateMinutes, double? resolveMinutes)
    {
        var at = incident.DeclaredAt;
        var next = incident with
        {
            State = resolveMinutes is not null ? IncidentState.Resolved : mitigateMinutes is not null ? IncidentState.Mitigated : IncidentState.Acknowledged,
            AcknowledgedAt = at.AddMinutes(ackMinutes),
            MitigatedAt = mitigateMinutes is { } m ? at.AddMinutes(m) : null,
            ResolvedAt = resolveMinutes is { } r ? at.AddMinutes(r) : null,
            Version = incident.Version + 1,
        };
        await store.SaveAsync(IncidentChange.KeepingReminder(next) with
        {
            Entries = [TimelineEntry.For(next, at.AddMinutes(ackMinutes), TimelineKind.StateChanged, Grace, "Acknowledged")],
        }, CancellationToken.None);
        return next;
    }

    public static async Task<Incident> NoteAsync(IIncidentStore store, Incident incident, DateTimeOffset at, string text, bool redact = false)
    {
        var next = incident with { Version = incident.Version + 1 };
        await store.SaveAsync(IncidentChange.KeepingReminder(next) with { Entries = [TimelineEntry.For(next, at, TimelineKind.Note, Grace, text)] }, CancellationToken.None);
        if (redact)
        {
            var entry = (await store.GetTimelineAsync(incident.Id, CancellationToken.None)).Single(e => e.Text == text);
            next = next with { Version = next.Version + 1 };
            await store.SaveAsync(IncidentChange.KeepingReminder(next) with { RedactEntryIds = [entry.Id] }, CancellationToken.None);
        }

        return next;
    }
}
