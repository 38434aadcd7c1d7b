using IncidentBot.Core.Messaging;
using IncidentBot.Core.Ports;
using IncidentBot.Storage.Shared;
using IncidentBot.Storage.Transfer;
using LiteDB;
using static IncidentBot.Storage.LiteDb.LiteDbDocuments;

namespace IncidentBot.Storage.LiteDb;

/// <summary>The sandbox platform's conversations and messages; message sequences come from the file's sequences.</summary>
public sealed partial class LiteDbIncidentStore
{
    private const string SandboxConversations = "sandbox_conversations";
    private const string SandboxMessages = "sandbox_messages";

    private static void PrepareSandbox(LiteDatabase db)
    {
        db.GetCollection(SandboxConversations).EnsureIndex("created_at", "$.created_at");
        db.GetCollection(SandboxMessages).EnsureIndex("conversation_id", "$.conversation_id");
        db.GetCollection(SandboxMessages).EnsureIndex("seq", "$.seq", unique: true);
    }

    public Task<bool> CreateSandboxConversationAsync(SandboxConversation conversation, CancellationToken cancellationToken) =>
        _engine.WriteAsync(db =>
        {
            var conversations = db.GetCollection(SandboxConversations);
            if (conversations.Exists(Where.Eq("_id", conversation.Id)))
            {
                return false;
            }

            conversations.Insert(SandboxConversationDocument(conversation));
            return true;
        }, cancellationToken);

    public Task<bool> SetSandboxTopicAsync(string conversationId, string topic, CancellationToken cancellationToken) =>
        _engine.WriteAsync(db =>
        {
            var conversations = db.GetCollection(SandboxConversations);
            if (conversations.FindById(conversationId) is not { } doc)
            {
                return false;
            }

            doc["topic"] = topic;
            return conversations.Update(doc);
        }, cancellationToken);

    public Task<SandboxMessage> PostSandboxMessageAsync(string conversationId, string? recipientId, ChatMessage message, ChatFile? file, DateTimeOffset at, CancellationToken cancellationToken) =>
        _engine.WriteAsync(db =>
        {
            var sequence = NextIds(db, SandboxMessages, 1);
            var posted = new SandboxMessage(sequence, conversationId, $"m{sequence}", recipientId, message, file, at, null);
            db.GetCollection(SandboxMessages).Insert(SandboxMessageDocument(StoreJson.SandboxMessageRow(posted)));
            return posted;
        }, cancellationToken);

    public Task<SandboxMessage?> UpdateSandboxMessageAsync(string messageRef, ChatMessage message, DateTimeOffset at, CancellationToken cancellationToken) =>
        _engine.WriteAsync(db =>
        {
            var messages = db.GetCollection(SandboxMessages);
            if (messages.FindById(messageRef) is not { } doc)
            {
                return null;
            }

            doc["seq"] = NextIds(db, SandboxMessages, 1);
            doc["message"] = StoreJson.ChatMessage(message);
            doc["edited_at"] = at.UtcTicks;
            messages.Update(doc);
            return (SandboxMessage?)ReadSandboxMessage(doc);
        }, cancellationToken);

    public Task<IReadOnlyList<SandboxConversation>> ListSandboxConversationsAsync(CancellationToken cancellationToken) =>
        _engine.ReadAsync<IReadOnlyList<SandboxConversation>>(db => db.GetCollection(SandboxConversations).FindAll()
            .Select(ReadSandboxConversation)
            .OrderBy(c => c.CreatedAt).ThenBy(c => c.Id, StringComparer.Ordinal)
            .ToList(), cancellationToken);

    public Task<IReadOnlyList<SandboxMessage>> ListSandboxMessagesAsync(string conversationId, long afterSequence, string? viewerId, int max, CancellationToken cancellationToken) =>
        _engine.ReadAsync<IReadOnlyList<SandboxMessage>>(db => db.GetCollection(SandboxMessages).Find(Where.Eq("conversation_id", conversationId))
            .Where(d => d["seq"].AsInt64 > afterSequence && (d["recipient_id"].IsNull || (viewerId is not null && d["recipient_id"].AsString == viewerId)))
            .OrderBy(d => d["seq"].AsInt64)
            .Take(Math.Max(0, max))
            .Select(ReadSandboxMessage)
            .ToList(), cancellationToken);

    private static BsonDocument SandboxConversationDocument(SandboxConversation conversation) => new()
    {
        ["_id"] = conversation.Id,
        ["name"] = conversation.Name,
        ["topic"] = conversation.Topic,
        ["created_at"] = conversation.CreatedAt.UtcTicks,
    };

    private static SandboxConversation ReadSandboxConversation(BsonDocument d) =>
        new(d["_id"].AsString, d["name"].AsString, d["topic"].AsString, Instant(d["created_at"]));

    private static BsonDocument SandboxMessageDocument(SandboxMessageRow row) => new()
    {
        ["_id"] = row.MessageRef,
        ["conversation_id"] = row.ConversationId,
        ["seq"] = row.Sequence,
        ["recipient_id"] = Text(row.RecipientId),
        ["message"] = row.Message,
        ["file"] = Text(row.File),
        ["posted_at"] = row.PostedAt,
        ["edited_at"] = Int64(row.EditedAt),
    };

    /// <summary>A message as stored, its JSON unread: what migrate-store carries.</summary>
    private static SandboxMessageRow ReadSandboxMessageRow(BsonDocument d) => new(
        d["seq"].AsInt64, d["conversation_id"].AsString, d["_id"].AsString, NullableString(d["recipient_id"]), d["message"].AsString,
        NullableString(d["file"]), d["posted_at"].AsInt64, NullableTicks(d["edited_at"]));

    private static SandboxMessage ReadSandboxMessage(BsonDocument d) => StoreJson.SandboxMessage(ReadSandboxMessageRow(d));
}
