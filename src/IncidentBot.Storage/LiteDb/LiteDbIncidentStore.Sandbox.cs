using IncidentBot.Core.Messaging;
using IncidentBot.Core.Ports;
using IncidentBot.Storage.Shared;
using LiteDB;

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

            conversations.Insert(new BsonDocument
            {
                ["_id"] = conversation.Id,
                ["name"] = conversation.Name,
                ["topic"] = conversation.Topic,
                ["created_at"] = conversation.CreatedAt.UtcTicks,
            });
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
            db.GetCollection(SandboxMessages).Insert(new BsonDocument
            {
                ["_id"] = posted.MessageRef,
                ["conversation_id"] = conversationId,
                ["seq"] = sequence,
                ["recipient_id"] = recipientId is null ? BsonValue.Null : recipientId,
                ["message"] = StoreJson.ChatMessage(message),
                ["file"] = StoreJson.File(file) is { } json ? json : BsonValue.Null,
                ["posted_at"] = at.UtcTicks,
                ["edited_at"] = BsonValue.Null,
            });
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
            .Select(d => new SandboxConversation(d["_id"].AsString, d["name"].AsString, d["topic"].AsString, new DateTimeOffset(d["created_at"].AsInt64, TimeSpan.Zero)))
            .OrderBy(c => c.CreatedAt).ThenBy(c => c.Id, StringComparer.Ordinal)
            .ToList(), cancellationToken);

    public Task<IReadOnlyList<SandboxMessage>> ListSandboxMessagesAsync(string conversationId, long afterSequence, string? viewerId, int max, CancellationToken cancellationToken) =>
        _engine.ReadAsync<IReadOnlyList<SandboxMessage>>(db => db.GetCollection(SandboxMessages).Find(Where.Eq("conversation_id", conversationId))
            .Where(d => d["seq"].AsInt64 > afterSequence && (d["recipient_id"].IsNull || (viewerId is not null && d["recipient_id"].AsString == viewerId)))
            .OrderBy(d => d["seq"].AsInt64)
            .Take(Math.Max(0, max))
            .Select(ReadSandboxMessage)
            .ToList(), cancellationToken);

    private static SandboxMessage ReadSandboxMessage(BsonDocument d) => new(
        d["seq"].AsInt64,
        d["conversation_id"].AsString,
        d["_id"].AsString,
        d["recipient_id"].IsNull ? null : d["recipient_id"].AsString,
        StoreJson.ChatMessage(d["message"].AsString),
        StoreJson.File(d["file"].IsNull ? null : d["file"].AsString),
        new DateTimeOffset(d["posted_at"].AsInt64, TimeSpan.Zero),
        d["edited_at"].IsNull ? null : new DateTimeOffset(d["edited_at"].AsInt64, TimeSpan.Zero));
}
