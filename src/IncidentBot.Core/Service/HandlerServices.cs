using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Pipeline;
using IncidentBot.Core.Ports;
using IncidentBot.Core.Reminders;

namespace IncidentBot.Core.Service;

/// <summary>What every handler may use: the store, the clock, the reminder policy and the platforms' settings.</summary>
public sealed class HandlerServices(IIncidentStore store, TimeProvider clock, ReminderPolicy reminders, IEnumerable<PlatformSettings> platforms)
{
    private readonly Dictionary<string, PlatformSettings> _platforms = platforms.ToDictionary(p => p.Platform, StringComparer.Ordinal);

    public IIncidentStore Store => store;

    /// <summary>Turns per incident in this process: one read-decide-save at a time for each incident.</summary>
    public IncidentGate Gate { get; } = new();

    /// <summary>The jittered wait before deciding again after another replica changed the incident first.</summary>
    public ConflictBackoff Backoff { get; } = new(clock);

    public TimeProvider Clock => clock;

    public ReminderPolicy Reminders => reminders;

    /// <summary>Time zone of postmortem timelines when the asker names none (configured; UTC by default).</summary>
    public TimeZoneInfo DefaultTimeZone { get; set; } = TimeZoneInfo.Utc;

    public DateTimeOffset Now => clock.GetUtcNow();

    /// <summary>Whether follow-ups are mirrored to an issue tracker (a tracker is configured).</summary>
    public bool MirrorsFollowUps { get; set; }

    /// <summary>
    /// Decides and saves a change to one incident in its turn, deciding again on a version conflict (another replica):
    /// what the scheduler's nudges share. False when <paramref name="decide"/> wants no change or the save did not land.
    /// </summary>
    public async Task<bool> SaveInTurnAsync(long incidentId, Func<Incident?, IncidentChange?> decide, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            if (attempt > 0)
            {
                await Backoff.WaitAsync(attempt - 1, cancellationToken);
            }

            using var turn = await Gate.EnterAsync(incidentId, cancellationToken);
            if (decide(turn.HandedOn() ?? await store.GetAsync(incidentId, cancellationToken)) is not { } change)
            {
                return false;
            }

            switch (await turn.SaveAsync(store, change, cancellationToken))
            {
                case SaveResult.Saved:
                    return true;
                case SaveResult.Conflict when ConflictBackoff.CanRetry(attempt):
                    continue;
                default:
                    return false;
            }
        }
    }

    public PlatformSettings SettingsFor(string platform) =>
        _platforms.TryGetValue(platform, out var settings) ? settings : new PlatformSettings(platform, null, []);

    /// <summary>The message to <paramref name="channel"/> or else the platform's announcement channel; null when there is none.</summary>
    public OutgoingMessage? ToAnnouncements(Incident incident, ChatMessage message, string? channel = null) =>
        (string.IsNullOrWhiteSpace(channel) ? SettingsFor(incident.Platform).AnnouncementConversationId : channel) is { Length: > 0 } target
            ? new OutgoingMessage { Platform = incident.Platform, IncidentId = incident.Id, Operation = ChatOperation.Post, ConversationId = target, Message = message }
            : null;
}
