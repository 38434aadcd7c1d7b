using System.Data.Common;
using System.Globalization;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Ports;
using IncidentBot.Storage.Transfer;

namespace IncidentBot.Storage.Shared;

/// <summary>The sandbox platform's conversations and messages (schema version 5).</summary>
public abstract partial class SqlIncidentStore
{
    private const string SandboxMessageColumns = "seq, conversation_id, message_ref, recipient_id, message, file, posted_at, edited_at";

    private const string SandboxConversationColumns = "id, name, topic, created_at";

    private const string InsertSandboxConversation = $"INSERT INTO sandbox_conversations ({SandboxConversationColumns}) VALUES (@id, @name, @topic, @created_at)";

    private const string InsertSandboxMessage = $"""
        INSERT INTO sandbox_messages ({SandboxMessageColumns})
        VALUES (@seq, @conversation_id, @message_ref, @recipient_id, @message, @file, @posted_at, @edited_at)
        """;

    public async Task<bool> CreateSandboxConversationAsync(SandboxConversation conversation, CancellationToken cancellationToken) =>
        await ExecuteAloneAsync($"{InsertSandboxConversation} ON CONFLICT (id) DO NOTHING", cancellationToken, SandboxConversationValues(conversation)) == 1;

    public async Task<bool> SetSandboxTopicAsync(string conversationId, string topic, CancellationToken cancellationToken) =>
        await ExecuteAloneAsync("UPDATE sandbox_conversations SET topic = @topic WHERE id = @id", cancellationToken, ("id", conversationId), ("topic", topic)) == 1;

    public async Task<SandboxMessage> PostSandboxMessageAsync(string conversationId, string? recipientId, ChatMessage message, ChatFile? file, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var scope = await BeginWriteAsync(cancellationToken);

        // The one counter row is locked until commit, so sequences become visible in the order they were taken.
        var sequence = await NextSandboxSequenceAsync(scope, cancellationToken);
        var posted = new SandboxMessage(sequence, conversationId, $"m{sequence.ToString(CultureInfo.InvariantCulture)}", recipientId, message, file, at, null);
        await ExecuteAsync(scope, InsertSandboxMessage, cancellationToken, SandboxMessageValues(StoreJson.SandboxMessageRow(posted)));
        await scope.CommitAsync(cancellationToken);
        return posted;
    }

    public async Task<SandboxMessage?> UpdateSandboxMessageAsync(string messageRef, ChatMessage message, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var scope = await BeginWriteAsync(cancellationToken);
        var sequence = await NextSandboxSequenceAsync(scope, cancellationToken);
        SandboxMessage? updated = null;
        await using (var update = scope.Command($"""
            UPDATE sandbox_messages SET seq = @seq, message = @message, edited_at = @edited_at WHERE message_ref = @message_ref
            RETURNING {SandboxMessageColumns}
            """))
        {
            Rows.Add(update, "seq", sequence);
            Rows.Add(update, "message", StoreJson.ChatMessage(message));
            Rows.Add(update, "edited_at", Rows.Ticks(at));
            Rows.Add(update, "message_ref", messageRef);
            await using var reader = await update.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                updated = ReadSandboxMessage(reader);
            }
        }

        if (updated is not null)
        {
            await scope.CommitAsync(cancellationToken);
        }

        return updated;
    }

    public async Task<IReadOnlyList<SandboxConversation>> ListSandboxConversationsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {SandboxConversationColumns} FROM sandbox_conversations ORDER BY created_at, id";
        var conversations = new List<SandboxConversation>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            conversations.Add(ReadSandboxConversation(reader));
        }

        return conversations;
    }

    public async Task<IReadOnlyList<SandboxMessage>> ListSandboxMessagesAsync(string conversationId, long afterSequence, string? viewerId, int max, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {SandboxMessageColumns} FROM sandbox_messages
            WHERE conversation_id = @conversation_id AND seq > @after
              AND (recipient_id IS NULL OR recipient_id = CAST(@viewer AS TEXT))
            ORDER BY seq LIMIT @max
            """;
        Rows.Add(command, "conversation_id", conversationId);
        Rows.Add(command, "after", afterSequence);
        Rows.Add(command, "viewer", Rows.Nullable(viewerId));
        Rows.Add(command, "max", Math.Max(0, max));
        var messages = new List<SandboxMessage>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            messages.Add(ReadSandboxMessage(reader));
        }

        return messages;
    }

    private static async Task<long> NextSandboxSequenceAsync(WriteScope scope, CancellationToken cancellationToken) =>
        Convert.ToInt64(await ScalarAsync(scope, "UPDATE sandbox_sequence SET last_seq = last_seq + 1 WHERE id = 1 RETURNING last_seq", cancellationToken), CultureInfo.InvariantCulture);

    private static (string Name, object Value)[] SandboxConversationValues(SandboxConversation conversation) =>
        [("id", conversation.Id), ("name", conversation.Name), ("topic", conversation.Topic), ("created_at", Rows.Ticks(conversation.CreatedAt))];

    private static SandboxConversation ReadSandboxConversation(DbDataReader r) => new(r.GetString(0), r.GetString(1), r.GetString(2), Rows.Instant(r.GetInt64(3)));

    private static (string Name, object Value)[] SandboxMessageValues(SandboxMessageRow row) =>
    [
        ("seq", row.Sequence), ("conversation_id", row.ConversationId), ("message_ref", row.MessageRef), ("recipient_id", Rows.Nullable(row.RecipientId)),
        ("message", row.Message), ("file", Rows.Nullable(row.File)), ("posted_at", row.PostedAt), ("edited_at", Nullable(row.EditedAt)),
    ];

    /// <summary>A message as stored, its JSON unread: what migrate-store carries.</summary>
    private static SandboxMessageRow ReadSandboxMessageRow(DbDataReader r) => new(
        r.GetInt64(0), r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3), r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5),
        r.GetInt64(6), r.IsDBNull(7) ? null : r.GetInt64(7));

    private static SandboxMessage ReadSandboxMessage(DbDataReader r) => StoreJson.SandboxMessage(ReadSandboxMessageRow(r));
}
