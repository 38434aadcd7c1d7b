using System.Data.Common;
using System.Globalization;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Ports;
using IncidentBot.Core.Timeline;

namespace IncidentBot.Storage.Shared;

public abstract partial class SqlIncidentStore
{
    public Task<Incident?> GetAsync(long id, CancellationToken cancellationToken) =>
        SingleIncidentAsync($"SELECT {Rows.IncidentColumns} FROM incidents WHERE id = @id", cancellationToken, ("id", id));

    public Task<Incident?> GetByNumberAsync(string platform, string workspaceId, int number, CancellationToken cancellationToken) =>
        SingleIncidentAsync($"SELECT {Rows.IncidentColumns} FROM incidents WHERE platform = @platform AND workspace_id = @workspace_id AND number = @number",
            cancellationToken, ("platform", platform), ("workspace_id", workspaceId), ("number", number));

    public Task<Incident?> FindByConversationAsync(string platform, string conversationId, CancellationToken cancellationToken) =>
        SingleIncidentAsync($"SELECT {Rows.IncidentColumns} FROM incidents WHERE platform = @platform AND conversation_id = @conversation_id ORDER BY id DESC LIMIT 1",
            cancellationToken, ("platform", platform), ("conversation_id", conversationId));

    public async Task<IReadOnlyList<Incident>> FindByNumberAsync(int number, string? platform, string? workspaceId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {Rows.IncidentColumns} FROM incidents
            WHERE number = @number AND (CAST(@platform AS TEXT) IS NULL OR platform = @platform) AND (CAST(@workspace_id AS TEXT) IS NULL OR workspace_id = @workspace_id)
            ORDER BY id LIMIT 2
            """;
        Rows.Add(command, "number", number);
        Rows.Add(command, "platform", Rows.Nullable(platform));
        Rows.Add(command, "workspace_id", Rows.Nullable(workspaceId));
        return await ReadIncidentsAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<OpenIncidentCount>> CountOpenIncidentsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT severity, state, COUNT(*) FROM incidents WHERE state < {(int)IncidentState.Resolved} GROUP BY severity, state ORDER BY severity, state";
        var counts = new List<OpenIncidentCount>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts.Add(new OpenIncidentCount((Severity)reader.GetInt32(0), (IncidentState)reader.GetInt32(1), Convert.ToInt32(reader.GetValue(2), CultureInfo.InvariantCulture)));
        }

        return counts;
    }

    public async Task<IReadOnlyList<Incident>> ListAsync(string? platform, string? workspaceId, bool openOnly, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {Rows.IncidentColumns} FROM incidents
            WHERE (CAST(@platform AS TEXT) IS NULL OR platform = @platform) AND (CAST(@workspace_id AS TEXT) IS NULL OR workspace_id = @workspace_id)
              AND (@open_only = 0 OR state < {(int)IncidentState.Resolved})
            ORDER BY declared_at DESC, id DESC
            """;
        Rows.Add(command, "platform", Rows.Nullable(platform));
        Rows.Add(command, "workspace_id", Rows.Nullable(workspaceId));
        Rows.Add(command, "open_only", openOnly ? 1 : 0);
        return await ReadIncidentsAsync(command, cancellationToken);
    }

    private static async Task<IReadOnlyList<Incident>> ReadIncidentsAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var list = new List<Incident>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(Rows.ReadIncident(reader));
        }

        return list;
    }

    public Task<IReadOnlyList<TimelineEntry>> GetTimelineAsync(long incidentId, CancellationToken cancellationToken) =>
        EntriesAsync($"SELECT {Rows.TimelineColumns} FROM timeline WHERE incident_id = @incident_id ORDER BY at, id", incidentId, count: null, cancellationToken);

    public async Task<IReadOnlyList<TimelineEntry>> GetRecentTimelineAsync(long incidentId, int count, CancellationToken cancellationToken)
    {
        var newestFirst = await EntriesAsync(
            $"SELECT {Rows.TimelineColumns} FROM timeline WHERE incident_id = @incident_id AND redacted = 0 ORDER BY at DESC, id DESC LIMIT @count",
            incidentId, count, cancellationToken);
        return newestFirst.Reverse().ToList();
    }

    private async Task<IReadOnlyList<TimelineEntry>> EntriesAsync(string sql, long incidentId, int? count, CancellationToken cancellationToken)
    {
        await using var scope = await BeginReadAsync(cancellationToken);
        await using var command = scope.Command(sql);
        Rows.Add(command, "incident_id", incidentId);
        if (count is { } limit)
        {
            Rows.Add(command, "count", limit);
        }

        var list = new List<TimelineEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(Rows.ReadEntry(reader));
        }

        return list;
    }

    public async Task<TimelineEntry?> GetTimelineEntryAsync(long incidentId, long entryId, CancellationToken cancellationToken)
    {
        await using var scope = await BeginReadAsync(cancellationToken);
        await using var command = scope.Command($"SELECT {Rows.TimelineColumns} FROM timeline WHERE id = @id AND incident_id = @incident_id");
        Rows.Add(command, "id", entryId);
        Rows.Add(command, "incident_id", incidentId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Rows.ReadEntry(reader) : null;
    }

    public async Task SetConversationAsync(long incidentId, string conversationId, string? serviceUrl, CancellationToken cancellationToken)
    {
        await using var scope = await BeginWriteAsync(cancellationToken);
        await ExecuteAsync(scope, "UPDATE incidents SET conversation_id = @conversation_id, service_url = COALESCE(CAST(@service_url AS TEXT), service_url) WHERE id = @id",
            cancellationToken, ("conversation_id", conversationId), ("service_url", Rows.Nullable(serviceUrl)), ("id", incidentId));
        await scope.CommitAsync(cancellationToken);
    }

    public async Task SetAnchorAsync(long incidentId, string anchor, string messageRef, CancellationToken cancellationToken)
    {
        await using var scope = await BeginWriteAsync(cancellationToken);
        await ExecuteAsync(scope, """
            INSERT INTO anchors (incident_id, anchor, message_ref) VALUES (@incident_id, @anchor, @message_ref)
            ON CONFLICT (incident_id, anchor) DO UPDATE SET message_ref = excluded.message_ref
            """, cancellationToken, ("incident_id", incidentId), ("anchor", anchor), ("message_ref", messageRef));
        await scope.CommitAsync(cancellationToken);
    }

    public async Task<string?> GetAnchorAsync(long incidentId, string anchor, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT message_ref FROM anchors WHERE incident_id = @incident_id AND anchor = @anchor";
        Rows.Add(command, "incident_id", incidentId);
        Rows.Add(command, "anchor", anchor);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    public async Task<bool> WasInboundProcessedAsync(string eventId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM inbound_events WHERE event_id = @event_id";
        Rows.Add(command, "event_id", eventId);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) > 0;
    }

    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) == 1;
        }
        catch (DbException)
        {
            return false;
        }
    }

    private async Task<Incident?> SingleIncidentAsync(string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var scope = await BeginReadAsync(cancellationToken);
        await using var command = scope.Command(sql);
        foreach (var (name, value) in parameters)
        {
            Rows.Add(command, name, value);
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Rows.ReadIncident(reader) : null;
    }

    /// <summary>A connection for reads; stores that can keep prepared statements hand out reused ones.</summary>
    protected virtual async Task<ReadScope> BeginReadAsync(CancellationToken cancellationToken) =>
        new(await OpenAsync(cancellationToken), release: null, commands: null);

    /// <summary>A read connection, and what to do with it afterwards (close it, or give it back).</summary>
    protected sealed class ReadScope(DbConnection connection, Action<DbConnection>? release, Func<DbConnection, string, DbCommand>? commands) : IAsyncDisposable
    {
        public DbCommand Command(string sql)
        {
            var command = commands?.Invoke(connection, sql) ?? connection.CreateCommand();
            command.CommandText = sql;
            return command;
        }

        public async ValueTask DisposeAsync()
        {
            if (release is null)
            {
                await connection.DisposeAsync();
            }
            else
            {
                release(connection);
            }
        }
    }

    protected static async Task<int> ExecuteAsync(WriteScope scope, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = scope.Command(sql);
        foreach (var (name, value) in parameters)
        {
            Rows.Add(command, name, value);
        }

        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>One statement in a write transaction of its own, committed; the rows it changed.</summary>
    protected async Task<int> ExecuteAloneAsync(string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var scope = await BeginWriteAsync(cancellationToken);
        var rows = await ExecuteAsync(scope, sql, cancellationToken, parameters);
        await scope.CommitAsync(cancellationToken);
        return rows;
    }

    protected static async Task<object?> ScalarAsync(WriteScope scope, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = scope.Command(sql);
        foreach (var (name, value) in parameters)
        {
            Rows.Add(command, name, value);
        }

        return await command.ExecuteScalarAsync(cancellationToken);
    }
}
