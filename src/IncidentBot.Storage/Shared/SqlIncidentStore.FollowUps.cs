using System.Globalization;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Ports;

namespace IncidentBot.Storage.Shared;

public abstract partial class SqlIncidentStore
{
    public async Task<int> NextFollowUpNumberAsync(string platform, string workspaceId, CancellationToken cancellationToken)
    {
        await using var scope = await BeginWriteAsync(cancellationToken);
        var number = await ScalarAsync(scope, """
            UPDATE workspace_counters SET last_follow_up = last_follow_up + 1
            WHERE platform = @platform AND workspace_id = @workspace_id
            RETURNING last_follow_up
            """, cancellationToken, ("platform", platform), ("workspace_id", workspaceId))
            ?? throw new InvalidOperationException($"Workspace {platform}/{workspaceId} has no incident, so no follow-up either.");
        await scope.CommitAsync(cancellationToken);
        return Convert.ToInt32(number, CultureInfo.InvariantCulture);
    }

    public Task<IReadOnlyList<DueFollowUpNudge>> ClaimDueFollowUpNudgesAsync(DateTimeOffset now, int max, TimeSpan lease, CancellationToken cancellationToken) =>
        // As with reminders, moving the instant past now is the claim; the nudge's save writes the next one.
        ClaimAsync("SELECT incident_id, number FROM follow_up_nudges WHERE due_at <= @now ORDER BY due_at LIMIT @max",
            reader => new DueFollowUpNudge(reader.GetInt64(0), reader.GetInt32(1), now + lease),
            nudge => ("UPDATE follow_up_nudges SET due_at = @due_at WHERE incident_id = @incident_id AND number = @number",
                [("due_at", Rows.Ticks(now + lease)), ("incident_id", nudge.IncidentId), ("number", nudge.Number)]),
            cancellationToken, ("now", Rows.Ticks(now)), ("max", max));

    /// <summary>
    /// Rewrites the incident's nudge schedule from its follow-ups, in the change's transaction. An incident that never had
    /// a follow-up has no rows to rewrite, so most saves skip this.
    /// </summary>
    private static async Task ScheduleFollowUpNudgesAsync(WriteScope scope, Incident incident, CancellationToken cancellationToken)
    {
        if (incident.FollowUps.IsEmpty)
        {
            return;
        }

        await ExecuteAsync(scope, "DELETE FROM follow_up_nudges WHERE incident_id = @incident_id", cancellationToken, ("incident_id", incident.Id));
        foreach (var followUp in incident.FollowUps)
        {
            if (followUp.NextNudgeAt() is { } at)
            {
                await ExecuteAsync(scope, "INSERT INTO follow_up_nudges (incident_id, number, due_at) VALUES (@incident_id, @number, @due_at)", cancellationToken,
                    ("incident_id", incident.Id), ("number", followUp.Number), ("due_at", Rows.Ticks(at)));
            }
        }
    }

    public async Task<IReadOnlyList<Incident>> ListWithFollowUpsAsync(string? platform, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = platform is null
            ? $"SELECT {Rows.IncidentColumns} FROM incidents WHERE follow_ups <> '[]' ORDER BY id"
            : $"SELECT {Rows.IncidentColumns} FROM incidents WHERE follow_ups <> '[]' AND platform = @platform ORDER BY id";
        if (platform is not null)
        {
            Rows.Add(command, "platform", platform);
        }

        var incidents = new List<Incident>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            incidents.Add(Rows.ReadIncident(reader));
        }

        return incidents;
    }
}
