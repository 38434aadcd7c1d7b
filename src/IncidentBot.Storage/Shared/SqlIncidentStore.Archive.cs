using System.Data.Common;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Ports;
using IncidentBot.Storage.Transfer;

namespace IncidentBot.Storage.Shared;

public abstract partial class SqlIncidentStore
{
    private const string ChannelArchiveColumns = "incident_id, platform, closed_at, claimed_until, done";

    private const string InsertChannelArchive = $"""
        INSERT INTO channel_archives ({ChannelArchiveColumns}) VALUES (@incident_id, @platform, @closed_at, @claimed_until, @done)
        """;

    public Task<IReadOnlyList<DueChannelArchive>> ClaimDueChannelArchivesAsync(string platform, DateTimeOffset closedBefore, DateTimeOffset now, int max, TimeSpan lease, CancellationToken cancellationToken) =>
        ClaimAsync("""
            SELECT incident_id FROM channel_archives
            WHERE platform = @platform AND done = 0 AND closed_at <= @closed_before AND claimed_until <= @now
            ORDER BY closed_at LIMIT @max
            """,
            reader => new DueChannelArchive(reader.GetInt64(0), now + lease),
            archive => ("UPDATE channel_archives SET claimed_until = @claimed_until WHERE incident_id = @incident_id",
                [("claimed_until", Rows.Ticks(now + lease)), ("incident_id", archive.IncidentId)]),
            cancellationToken, ("platform", platform), ("closed_before", Rows.Ticks(closedBefore)), ("now", Rows.Ticks(now)), ("max", max));

    public Task CompleteChannelArchiveAsync(long incidentId, CancellationToken cancellationToken) =>
        ExecuteAloneAsync("UPDATE channel_archives SET done = 1 WHERE incident_id = @incident_id", cancellationToken, ("incident_id", incidentId));

    /// <summary>Records a closed incident for the archive schedule, in the change's transaction; once (a closed incident never reopens).</summary>
    private static async Task ScheduleChannelArchiveAsync(WriteScope scope, Incident incident, CancellationToken cancellationToken)
    {
        if (incident.State != IncidentState.Closed || incident.ClosedAt is not { } closedAt)
        {
            return;
        }

        await ExecuteAsync(scope, $"{InsertChannelArchive} ON CONFLICT (incident_id) DO NOTHING", cancellationToken,
            ChannelArchiveValues(new ChannelArchiveRow(incident.Id, incident.Platform, Rows.Ticks(closedAt), ClaimedUntil: 0, Done: false)));
    }

    private static (string Name, object Value)[] ChannelArchiveValues(ChannelArchiveRow row) =>
    [
        ("incident_id", row.IncidentId), ("platform", row.Platform), ("closed_at", row.ClosedAt), ("claimed_until", row.ClaimedUntil), ("done", row.Done ? 1 : 0),
    ];

    private static ChannelArchiveRow ReadChannelArchive(DbDataReader r) => new(r.GetInt64(0), r.GetString(1), r.GetInt64(2), r.GetInt64(3), r.GetInt32(4) != 0);
}
