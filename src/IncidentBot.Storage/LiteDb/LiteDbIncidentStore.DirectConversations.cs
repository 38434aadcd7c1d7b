using IncidentBot.Core.Ports;
using LiteDB;
using static IncidentBot.Storage.LiteDb.LiteDbDocuments;

namespace IncidentBot.Storage.LiteDb;

/// <summary>People's 1:1 conversations with the bot, one document per platform, workspace and user (its key is the id).</summary>
public sealed partial class LiteDbIncidentStore
{
    public Task<bool> RecordDirectConversationAsync(DirectConversation conversation, CancellationToken cancellationToken) =>
        _engine.WriteAsync(db =>
        {
            var conversations = db.GetCollection(DirectConversations);
            var stored = conversations.FindById(DirectConversationKey(conversation.Platform, conversation.WorkspaceId, conversation.UserId));
            if (stored is not null && stored["seen_at"].AsInt64 > conversation.SeenAt.UtcTicks)
            {
                return false;
            }

            conversations.Upsert(DirectConversationDocument(conversation));
            return true;
        }, cancellationToken);

    public Task<DirectConversation?> GetDirectConversationAsync(string platform, string workspaceId, string userId, CancellationToken cancellationToken) =>
        _engine.ReadAsync<DirectConversation?>(db => db.GetCollection(DirectConversations).FindById(DirectConversationKey(platform, workspaceId, userId)) is { } doc
            ? ReadDirectConversation(doc)
            : null, cancellationToken);

    public Task<bool> ForgetDirectConversationAsync(string platform, string workspaceId, string userId, string conversationId, DateTimeOffset recordedNoLaterThan, CancellationToken cancellationToken) =>
        _engine.WriteAsync(db =>
        {
            var conversations = db.GetCollection(DirectConversations);
            var key = DirectConversationKey(platform, workspaceId, userId);
            return conversations.FindById(key) is { } stored && stored["conversation_id"].AsString == conversationId
                && stored["seen_at"].AsInt64 <= recordedNoLaterThan.UtcTicks && conversations.Delete(key);
        }, cancellationToken);

    private static string DirectConversationKey(string platform, string workspaceId, string userId) => Key(platform, workspaceId, userId);

    private static BsonDocument DirectConversationDocument(DirectConversation conversation) => new()
    {
        ["_id"] = DirectConversationKey(conversation.Platform, conversation.WorkspaceId, conversation.UserId),
        ["platform"] = conversation.Platform,
        ["workspace_id"] = conversation.WorkspaceId,
        ["user_id"] = conversation.UserId,
        ["conversation_id"] = conversation.ConversationId,
        ["service_url"] = Text(conversation.ServiceUrl),
        ["seen_at"] = conversation.SeenAt.UtcTicks,
    };

    private static DirectConversation ReadDirectConversation(BsonDocument d) => new(
        d["platform"].AsString, d["workspace_id"].AsString, d["user_id"].AsString, d["conversation_id"].AsString, NullableString(d["service_url"]), Instant(d["seen_at"]));
}
