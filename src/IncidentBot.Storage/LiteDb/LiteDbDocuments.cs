using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Timeline;
using IncidentBot.Storage.Shared;
using LiteDB;

namespace IncidentBot.Storage.LiteDb;

/// <summary>
/// Maps records to LiteDB documents and back by hand: instants as UTC ticks (Int64, never BsonDateTime, which
/// keeps milliseconds only and reads an unspecified kind as local time), documents inside as the SQL stores'
/// JSON, and a missing required value refused instead of stored as null.
/// </summary>
internal static class LiteDbDocuments
{
    public const string Incidents = "incidents";
    public const string Timeline = "timeline";
    public const string Outbox = "outbox";
    public const string Inbound = "inbound_events";
    public const string Reminders = "reminders";
    public const string Anchors = "anchors";
    public const string Counters = "workspace_counters";
    public const string Sequences = "sequences";
    public const string DirectConversations = "direct_conversations";
    public const string TimelineSources = "timeline_sources";

    // LiteDB refuses index keys of 1,023 bytes or more; ids from outside (event ids, conversation ids) have no such bound.
    private const int MaxKeyBytes = 256;

    /// <summary>
    /// An index key or string id from one or more parts, joined by the unit separator (which appears in no id); a key
    /// too long for LiteDB's index becomes the SHA-256 of itself, so any id from outside can be looked up.
    /// </summary>
    public static string Key(params object[] parts)
    {
        var key = string.Join('\u001f', parts.Select(p => Convert.ToString(p, CultureInfo.InvariantCulture)));
        return Encoding.UTF8.GetByteCount(key) <= MaxKeyBytes
            ? key
            : "sha256:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
    }

    /// <summary>The timeline's order within one incident as one sortable string: incident, instant, id.</summary>
    public static string TimelineOrder(long incidentId, long atTicks, long id) =>
        string.Create(CultureInfo.InvariantCulture, $"{incidentId:D19}{atTicks:D19}{id:D19}");

    /// <summary>One incident's entries on the order index: every key from its prefix up to the next incident's (shorter, so excluded).</summary>
    public static BsonExpression TimelineOf(long incidentId) => Where.Between("order", Prefix(incidentId), Prefix(incidentId + 1));

    private static string Prefix(long incidentId) => string.Create(CultureInfo.InvariantCulture, $"{incidentId:D19}");

    public static BsonValue Ticks(DateTimeOffset? instant) => instant is { } i ? new BsonValue(i.UtcTicks) : BsonValue.Null;

    public static DateTimeOffset Instant(BsonValue ticks) => new(ticks.AsInt64, TimeSpan.Zero);

    public static DateTimeOffset? NullableInstant(BsonValue ticks) => ticks.IsNull ? null : Instant(ticks);

    public static string? NullableString(BsonValue value) => value.IsNull ? null : value.AsString;

    public static BsonValue Text(string? value) => value is null ? BsonValue.Null : new BsonValue(value);

    private static BsonValue Required(string? value, string name) =>
        new(value ?? throw new ArgumentException($"{name} must not be null.", name));

    public static BsonDocument Incident(Incident incident)
    {
        var doc = new BsonDocument
        {
            ["_id"] = incident.Id,
            ["platform"] = Required(incident.Platform, nameof(incident.Platform)),
            ["workspace_id"] = Required(incident.WorkspaceId, nameof(incident.WorkspaceId)),
            ["number"] = incident.Number,
            ["number_key"] = Key(incident.Platform, incident.WorkspaceId, incident.Number),
            ["workspace_key"] = Key(incident.Platform, incident.WorkspaceId),
            ["declared_by_id"] = Required(incident.DeclaredBy.Id, "DeclaredBy.Id"),
            ["declared_by_name"] = Required(incident.DeclaredBy.Name, "DeclaredBy.Name"),
            ["declared_at"] = incident.DeclaredAt.UtcTicks,
            ["origin_conversation_id"] = Text(incident.OriginConversationId),
            ["is_drill"] = incident.IsDrill,
        };
        SetConversation(doc, incident.Platform, incident.ConversationId, incident.ServiceUrl);
        ApplyChange(doc, incident);
        return doc;
    }

    /// <summary>Writes what a change may touch: the same columns the SQL stores' UPDATE sets.</summary>
    public static void ApplyChange(BsonDocument doc, Incident incident)
    {
        doc["title"] = Required(incident.Title, nameof(incident.Title));
        doc["description"] = Required(incident.Description, nameof(incident.Description));
        doc["severity"] = (int)incident.Severity;
        doc["type"] = (int)incident.Type;
        doc["state"] = (int)incident.State;
        doc["commander_id"] = Required(incident.Commander.Id, "Commander.Id");
        doc["commander_name"] = Required(incident.Commander.Name, "Commander.Name");
        doc["roles"] = StoreJson.Roles(incident.Roles);
        doc["acknowledged_at"] = Ticks(incident.AcknowledgedAt);
        doc["mitigated_at"] = Ticks(incident.MitigatedAt);
        doc["resolved_at"] = Ticks(incident.ResolvedAt);
        doc["last_status_update_at"] = incident.LastStatusUpdateAt.UtcTicks;
        doc["version"] = incident.Version;
        doc["reviewed_at"] = Ticks(incident.ReviewedAt);
        doc["reviewed_by_id"] = Text(incident.ReviewedBy?.Id);
        doc["reviewed_by_name"] = Text(incident.ReviewedBy?.Name);
        doc["closed_at"] = Ticks(incident.ClosedAt);
        doc["follow_ups"] = FollowUpJson.Write(incident.FollowUps);
    }

    public static void SetConversation(BsonDocument doc, string platform, string? conversationId, string? serviceUrl)
    {
        doc["conversation_id"] = Text(conversationId);
        doc["conversation_key"] = conversationId is null ? BsonValue.Null : Key(platform, conversationId);
        if (serviceUrl is not null || !doc.ContainsKey("service_url"))
        {
            doc["service_url"] = Text(serviceUrl);
        }
    }

    public static Incident ReadIncident(BsonDocument d) => new()
    {
        Id = d["_id"].AsInt64,
        Platform = d["platform"].AsString,
        WorkspaceId = d["workspace_id"].AsString,
        Number = d["number"].AsInt32,
        Title = d["title"].AsString,
        Description = d["description"].AsString,
        Severity = (Severity)d["severity"].AsInt32,
        Type = (IncidentType)d["type"].AsInt32,
        State = (IncidentState)d["state"].AsInt32,
        Commander = new Person(d["commander_id"].AsString, d["commander_name"].AsString),
        DeclaredBy = new Person(d["declared_by_id"].AsString, d["declared_by_name"].AsString),
        Roles = StoreJson.Roles(d["roles"].AsString),
        DeclaredAt = Instant(d["declared_at"]),
        AcknowledgedAt = NullableInstant(d["acknowledged_at"]),
        MitigatedAt = NullableInstant(d["mitigated_at"]),
        ResolvedAt = NullableInstant(d["resolved_at"]),
        LastStatusUpdateAt = Instant(d["last_status_update_at"]),
        ConversationId = NullableString(d["conversation_id"]),
        ServiceUrl = NullableString(d["service_url"]),
        OriginConversationId = NullableString(d["origin_conversation_id"]),
        Version = d["version"].AsInt32,

        // Documents written before follow-ups existed have none of these fields: each reads as absent.
        ReviewedAt = NullableInstant(d["reviewed_at"]),
        ReviewedBy = d["reviewed_by_id"].IsNull ? null : new Person(d["reviewed_by_id"].AsString, d["reviewed_by_name"].AsString),
        ClosedAt = NullableInstant(d["closed_at"]),
        IsDrill = d["is_drill"].IsBoolean && d["is_drill"].AsBoolean,
        FollowUps = FollowUpJson.Read(NullableString(d["follow_ups"])),
    };

    public static BsonDocument Entry(TimelineEntry entry, long id, long incidentId) => new()
    {
        ["_id"] = id,
        ["incident_id"] = incidentId,
        ["at"] = entry.At.UtcTicks,
        ["kind"] = (int)entry.Kind,
        ["actor_id"] = Required(entry.Actor.Id, "Actor.Id"),
        ["actor_name"] = Required(entry.Actor.Name, "Actor.Name"),
        ["text"] = Required(entry.Text, nameof(entry.Text)),
        ["source_ref"] = Text(entry.SourceRef),
        ["redacted"] = false,
        ["order"] = TimelineOrder(incidentId, entry.At.UtcTicks, id),
    };

    /// <summary>
    /// The key of an entry's source in <see cref="TimelineSources"/>: the reference, then the incident. Every incident with
    /// one reference lies in one range of keys (<see cref="SourcesOf"/>), and an incident's own is found by its key.
    /// </summary>
    public static string SourceKey(string sourceRef, long incidentId) => string.Create(CultureInfo.InvariantCulture, $"{SourcePrefix(sourceRef)}{incidentId:D19}");

    /// <summary>
    /// The sources whose key starts with the reference: those of <paramref name="sourceRef"/>, and possibly another one
    /// that begins with it and the separator, so a reader compares the stored reference too.
    /// </summary>
    public static BsonExpression SourcesOf(string sourceRef)
    {
        var prefix = SourcePrefix(sourceRef);
        return Where.Between("_id", prefix, prefix[..^1] + "\u0020");
    }

    /// <summary>What every key of one reference's sources begins with: the reference's key and the separator.</summary>
    private static string SourcePrefix(string sourceRef) => Key(sourceRef) + "\u001f";

    /// <summary>Where an entry with a source reference records it: one document, read by key.</summary>
    public static BsonDocument Source(string sourceRef, long incidentId, long entryId) => new()
    {
        ["_id"] = SourceKey(sourceRef, incidentId),
        ["source_ref"] = sourceRef,
        ["incident_id"] = incidentId,
        ["entry_id"] = entryId,
    };

    public static TimelineEntry ReadEntry(BsonDocument d) => new()
    {
        Id = d["_id"].AsInt64,
        IncidentId = d["incident_id"].AsInt64,
        At = Instant(d["at"]),
        Kind = (TimelineKind)d["kind"].AsInt32,
        Actor = new Person(d["actor_id"].AsString, d["actor_name"].AsString),
        Text = d["text"].AsString,
        SourceRef = NullableString(d["source_ref"]),
        Redacted = d["redacted"].AsBoolean,
    };

    /// <summary>
    /// An outbox row; <c>pending</c> holds the row's id while it is neither sent nor given up, so the index
    /// on it lists the queue in order and nothing else.
    /// </summary>
    public static BsonDocument OutboxRow(OutgoingMessage message, long id, DateTimeOffset now) => new()
    {
        ["_id"] = id,
        ["incident_id"] = message.IncidentId is { } incident ? new BsonValue(incident) : BsonValue.Null,
        ["platform"] = Required(message.Platform, nameof(message.Platform)),
        ["order_key"] = Required(message.OrderKey, nameof(message.OrderKey)),
        ["payload"] = StoreJson.Message(message),
        ["created_at"] = now.UtcTicks,
        ["attempts"] = 0,
        ["next_attempt_at"] = 0L,
        ["lease_until"] = BsonValue.Null,
        ["sent_at"] = BsonValue.Null,
        ["failed_at"] = BsonValue.Null,
        ["last_error"] = BsonValue.Null,
        ["pending"] = id,
    };
}
