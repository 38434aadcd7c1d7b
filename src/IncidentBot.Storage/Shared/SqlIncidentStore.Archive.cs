using IncidentBot.Core.Incidents;
using IncidentBot.Core.Ports;

namespace IncidentBot.Storage.Shared;

public abstract partial class SqlIncidentStore
{
    public async Task<IReadOnlyList<DueChannelArchive>> ClaimDueChannelArchivesAsync(string platform, DateTimeOffset closedBefore, DateTimeOffset now, int max, TimeSpan lease, CancellationToken cancellationToken)
    {
        await using var scope = await BeginWriteAsync(cancellationToken);
        var due = new List<DueChannelArchive>();
        await using (var select = scope.Command($"""
            SELECT incident_id FROM channel_archives
            WHERE platform = @platform AND done = 0 AND closed_at <= @closed_before AND claimed_until <= @now
            ORDER BY closed_at LIMIT @max {ClaimLockClause}
            """))
        {
            Rows.Add(select, "platform", platform);
            Rows.Add(select, "closed_before", Rows.Ticks(closedBefore));
            Rows.Add(select, "now", Rows.Ticks(now));
            Rows.Add(select, "max", max);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                due.Add(new DueChannelArchive(reader.GetInt64(0), now + lease));
            }
        }

        foreach (var archive in due)
        {
            await ExecuteAsync(scope, "UPDATE channel_archives SET claimed_until = @claimed_until WHERE incident_id = @incident_id", cancellationToken,
                ("claimed_until", Rows.Ticks(now + lease)), ("incident_id", archive.IncidentId));
        }

        await scope.CommitAsync(cancellationToken);
        return due;
    }

    public Task CompleteChannelArchiveAsync(long incidentId, CancellationToken cancellationToken) =>
        ExecuteAloneAsync("UPDATE channel_archives SET done = 1 WHERE incident_id = @incident_id", cancellationToken, ("incident_id", incidentId));

    /// <summary>Records a closed incident for the archive schedule, in the change's transaction; once (a closed incident never reopens).</summary>
    private static async Task ScheduleChannelArchiveAsync(WriteScope scope, Incident incident, CancellationToken cancellationToken)
    {
        if (incident.State != IncidentState.Closed || incident.ClosedAt is not { } closedAt)
        {
            return;
        }

        await ExecuteAsync(scope, """
            INSERT INTO channel_archives (incident_id, platform, closed_at, claimed_until, done) VALUES (@incident_id, @platform, @closed_at, 0, 0)
            ON CONFLICT (incident_id) DO NOTHING
            """, cancellationToken, ("incident_id", incident.Id), ("platform", incident.Platform), ("closed_at", Rows.Ticks(closedAt)));
    }
}
