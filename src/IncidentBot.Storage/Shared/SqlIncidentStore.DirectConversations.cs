using System.Data.Common;
using IncidentBot.Core.Ports;

namespace IncidentBot.Storage.Shared;

/// <summary>People's 1:1 conversations with the bot (schema version 8), one row per platform, workspace and user.</summary>
public abstract partial class SqlIncidentStore
{
    private const string DirectConversationColumns = "platform, workspace_id, user_id, conversation_id, service_url, seen_at";

    private const string InsertDirectConversation = $"""
        INSERT INTO direct_conversations ({DirectConversationColumns})
        VALUES (@platform, @workspace_id, @user_id, @conversation_id, @service_url, @seen_at)
        """;

    public async Task<bool> RecordDirectConversationAsync(DirectConversation conversation, CancellationToken cancellationToken) =>
        await ExecuteAloneAsync($"""
            {InsertDirectConversation}
            ON CONFLICT (platform, workspace_id, user_id) DO UPDATE
            SET conversation_id = excluded.conversation_id, service_url = excluded.service_url, seen_at = excluded.seen_at
            WHERE excluded.seen_at >= direct_conversations.seen_at
            """, cancellationToken, DirectConversationValues(conversation)) == 1;

    public async Task<DirectConversation?> GetDirectConversationAsync(string platform, string workspaceId, string userId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {DirectConversationColumns} FROM direct_conversations
            WHERE platform = @platform AND workspace_id = @workspace_id AND user_id = @user_id
            """;
        Rows.Add(command, "platform", platform);
        Rows.Add(command, "workspace_id", workspaceId);
        Rows.Add(command, "user_id", userId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadDirectConversation(reader) : null;
    }

    public async Task<bool> ForgetDirectConversationAsync(string platform, string workspaceId, string userId, string conversationId, DateTimeOffset recordedNoLaterThan, CancellationToken cancellationToken) =>
        await ExecuteAloneAsync("""
            DELETE FROM direct_conversations
            WHERE platform = @platform AND workspace_id = @workspace_id AND user_id = @user_id AND conversation_id = @conversation_id
              AND seen_at <= @seen_at
            """, cancellationToken, ("platform", platform), ("workspace_id", workspaceId), ("user_id", userId), ("conversation_id", conversationId),
            ("seen_at", Rows.Ticks(recordedNoLaterThan))) == 1;

    private static (string Name, object Value)[] DirectConversationValues(DirectConversation conversation) =>
    [
        ("platform", conversation.Platform), ("workspace_id", conversation.WorkspaceId), ("user_id", conversation.UserId),
        ("conversation_id", conversation.ConversationId), ("service_url", Rows.Nullable(conversation.ServiceUrl)), ("seen_at", Rows.Ticks(conversation.SeenAt)),
    ];

    private static DirectConversation ReadDirectConversation(DbDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4), Rows.Instant(r.GetInt64(5)));
}
