using System.Data.Common;
using System.Globalization;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Ports;

namespace IncidentBot.Storage.Shared;

/// <summary>The web view's reads: a filtered, paged list and the incidents an insights range covers.</summary>
public abstract partial class SqlIncidentStore
{
    private const string SearchFilter = $"""
        WHERE (CAST(@platform AS TEXT) IS NULL OR platform = @platform) AND (CAST(@workspace_id AS TEXT) IS NULL OR workspace_id = @workspace_id)
          AND (@state < 0 OR state = @state) AND (@severity < 0 OR severity = @severity)
          AND (CAST(@pattern AS TEXT) IS NULL OR LOWER(title) LIKE @pattern ESCAPE '\')
        """;

    public async Task<IncidentPage> SearchIncidentsAsync(IncidentSearch search, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        int total;
        await using (var count = connection.CreateCommand())
        {
            count.CommandText = $"SELECT COUNT(*) FROM incidents {SearchFilter}";
            BindSearch(count, search);
            total = Convert.ToInt32(await count.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        }

        await using var page = connection.CreateCommand();
        page.CommandText = $"""
            SELECT {Rows.IncidentColumns} FROM incidents {SearchFilter}
            ORDER BY CASE WHEN state = {(int)IncidentState.Resolved} THEN 1 ELSE 0 END, declared_at DESC, id DESC
            LIMIT @take OFFSET @skip
            """;
        BindSearch(page, search);
        Rows.Add(page, "take", Math.Clamp(search.Take, 0, IncidentSearch.MaxTake));
        Rows.Add(page, "skip", Math.Max(0, search.Skip));
        return new IncidentPage(await ReadIncidentsAsync(page, cancellationToken), total);
    }

    public async Task<IReadOnlyList<Incident>> ListDeclaredSinceAsync(DateTimeOffset since, string? platform, string? workspaceId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {Rows.IncidentColumns} FROM incidents
            WHERE declared_at >= @since AND (CAST(@platform AS TEXT) IS NULL OR platform = @platform) AND (CAST(@workspace_id AS TEXT) IS NULL OR workspace_id = @workspace_id)
            ORDER BY declared_at, id
            """;
        Rows.Add(command, "since", Rows.Ticks(since));
        Rows.Add(command, "platform", Rows.Nullable(platform));
        Rows.Add(command, "workspace_id", Rows.Nullable(workspaceId));
        return await ReadIncidentsAsync(command, cancellationToken);
    }

    private static void BindSearch(DbCommand command, IncidentSearch search)
    {
        Rows.Add(command, "platform", Rows.Nullable(search.Platform));
        Rows.Add(command, "workspace_id", Rows.Nullable(search.WorkspaceId));
        Rows.Add(command, "state", search.State is { } state ? (int)state : -1);
        Rows.Add(command, "severity", search.Severity is { } severity ? (int)severity : -1);
        Rows.Add(command, "pattern", Rows.Nullable(LikePattern(search.Text)));
    }

    /// <summary>A LIKE pattern matching the text anywhere, its own % and _ taken literally; null for no text.</summary>
    private static string? LikePattern(string? text) =>
        string.IsNullOrWhiteSpace(text)
            ? null
            : "%" + text.Trim().ToLowerInvariant().Replace(@"\", @"\\", StringComparison.Ordinal)
                .Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal) + "%";
}
