using System.Globalization;
using System.Text;
using IncidentBot.Core.Ports;

namespace IncidentBot.Storage.Shared;

/// <summary>
/// A change written by one statement: the version-checked update and, selecting from its result, the timeline entries,
/// the outbox rows and the reminder. PostgreSQL runs data-modifying common table expressions, so a change costs one
/// round trip (plus the commit) instead of one per table; when the version check fails the update returns no row and
/// nothing else is written. SQLite, in process, has no round trips to save and keeps the statement per table.
/// </summary>
public abstract partial class SqlIncidentStore
{
    /// <summary>Whether this store writes a plain change (see <see cref="IsPlain"/>) in one statement.</summary>
    protected virtual bool WritesChangeInOneStatement => false;

    /// <summary>
    /// A change that writes only the incident, its entries, its messages and its reminder: no redactions, no follow-up
    /// nudge schedule, no channel archive to schedule (those are written table by table in <c>WriteRestAsync</c>).
    /// </summary>
    private static bool IsPlain(IncidentChange change) =>
        change.RedactEntryIds.Count == 0 && change.Incident.FollowUps.IsEmpty && change.Incident.State != Core.Incidents.IncidentState.Closed;

    /// <summary>
    /// A plain change that can also do without a transaction: no inbound id to free and no reminder claim to check first,
    /// so when its version check fails the statement writes nothing at all, and when it passes, everything at once.
    /// </summary>
    private bool WritesAloneInOneStatement(IncidentChange change) =>
        WritesChangeInOneStatement && IsPlain(change) && change.InboundEventId is null && change.ReminderClaim is null;

    /// <summary>Where one statement runs on its own: by default a transaction of its own, which is always correct.</summary>
    protected virtual Task<WriteScope> BeginStatementAsync(CancellationToken cancellationToken) => BeginWriteAsync(cancellationToken);

    private async Task<SaveResult> SaveInOneStatementAsync(WriteScope scope, IncidentChange change, CancellationToken cancellationToken)
    {
        var incident = change.Incident;
        var sql = new StringBuilder("WITH u AS (\n").Append(UpdateIncident).Append("\n    RETURNING id)");
        await using var command = scope.Command("");
        Rows.BindIncidentChange(command, incident);
        Rows.Add(command, "id", incident.Id);
        Rows.Add(command, "expected_version", incident.Version - 1);

        if (change.Entries.Count > 0)
        {
            sql.Append(",\nt AS (INSERT INTO timeline (incident_id, at, kind, actor_id, actor_name, text, source_ref, redacted)\n")
               .Append("    SELECT u.id, v.at, v.kind, v.actor_id, v.actor_name, v.text, v.source_ref, 0 FROM u CROSS JOIN (VALUES ");
            for (var i = 0; i < change.Entries.Count; i++)
            {
                var entry = change.Entries[i];
                sql.Append(i == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture,
                    $"({i}, @at{i}::bigint, @kind{i}::integer, @actor_id{i}::text, @actor_name{i}::text, @text{i}::text, @source_ref{i}::text)");
                Rows.BindEntryFields(command, entry, i.ToString(CultureInfo.InvariantCulture));
            }

            sql.Append(") AS v(ord, at, kind, actor_id, actor_name, text, source_ref) ORDER BY v.ord ON CONFLICT DO NOTHING)");
        }

        if (change.Messages.Count > 0)
        {
            sql.Append(",\no AS (INSERT INTO outbox (incident_id, platform, order_key, payload, created_at, attempts, next_attempt_at)\n")
               .Append("    SELECT u.id, v.platform, v.order_key, v.payload, @created_at, 0, 0 FROM u CROSS JOIN (VALUES ");
            Rows.Add(command, "created_at", Rows.Ticks(Clock.GetUtcNow()));
            for (var i = 0; i < change.Messages.Count; i++)
            {
                sql.Append(i == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"({i}, @platform{i}::text, @order_key{i}::text, @payload{i}::text)");
                Rows.BindMessageFields(command, change.Messages[i] with { IncidentId = incident.Id }, i.ToString(CultureInfo.InvariantCulture));
            }

            sql.Append(") AS v(ord, platform, order_key, payload) ORDER BY v.ord)");
        }

        if (!change.KeepsReminder)
        {
            if (change.NextReminderAt is { } due)
            {
                sql.Append(",\nr AS (INSERT INTO reminders (incident_id, due_at) SELECT u.id, @due_at FROM u ON CONFLICT (incident_id) DO UPDATE SET due_at = excluded.due_at)");
                Rows.Add(command, "due_at", Rows.Ticks(due));
            }
            else
            {
                sql.Append(",\nr AS (DELETE FROM reminders WHERE incident_id IN (SELECT id FROM u))");
            }
        }

        command.CommandText = sql.Append("\nSELECT count(*) FROM u").ToString();
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) == 1
            ? SaveResult.Saved
            : await ConflictAsync(scope, change, cancellationToken);
    }
}
