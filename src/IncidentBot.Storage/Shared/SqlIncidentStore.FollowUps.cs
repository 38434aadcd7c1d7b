using System.Globalization;

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
}
