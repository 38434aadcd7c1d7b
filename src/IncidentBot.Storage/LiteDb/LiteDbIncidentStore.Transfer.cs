using IncidentBot.Storage.Transfer;
using LiteDB;
using static IncidentBot.Storage.LiteDb.LiteDbDocuments;

namespace IncidentBot.Storage.LiteDb;

public sealed partial class LiteDbIncidentStore : IStoreTransfer
{
    private static readonly string[] DataCollections = [Counters, Incidents, Timeline, Outbox, Inbound, Reminders, Anchors, DirectConversations, ChannelArchives, SandboxConversations, SandboxMessages];

    /// <summary>One work item on the engine thread: the tables agree with one another.</summary>
    public Task<StoreSnapshot> ExportAsync(CancellationToken cancellationToken) =>
        _engine.ReadAsync(db => new StoreSnapshot
        {
            Counters = All(db, Counters, d => new WorkspaceCounter(d["platform"].AsString, d["workspace_id"].AsString, d["last_number"].AsInt32, LastFollowUp(d)))
                .OrderBy(c => c.Platform, StringComparer.Ordinal).ThenBy(c => c.WorkspaceId, StringComparer.Ordinal).ToList(),
            Incidents = All(db, Incidents, ReadIncident).OrderBy(i => i.Id).ToList(),
            Timeline = All(db, Timeline, ReadEntry).OrderBy(e => e.Id).ToList(),
            Outbox = All(db, Outbox, d => new OutboxRow(
                d["_id"].AsInt64, d["incident_id"].IsNull ? null : d["incident_id"].AsInt64, d["platform"].AsString, d["order_key"].AsString, d["payload"].AsString,
                d["created_at"].AsInt64, d["attempts"].AsInt32, d["next_attempt_at"].AsInt64, NullableTicks(d["lease_until"]), NullableTicks(d["sent_at"]),
                NullableTicks(d["failed_at"]), NullableString(d["last_error"]))).OrderBy(o => o.Id).ToList(),
            Inbound = All(db, Inbound, d => new InboundEvent(d["event_id"].AsString, d["received_at"].AsInt64))
                .OrderBy(e => e.ReceivedAt).ThenBy(e => e.EventId, StringComparer.Ordinal).ToList(),
            Reminders = All(db, Reminders, d => new ReminderRow(d["_id"].AsInt64, d["due_at"].AsInt64)).OrderBy(r => r.IncidentId).ToList(),
            Anchors = All(db, Anchors, d => new AnchorRow(d["incident_id"].AsInt64, d["anchor"].AsString, d["message_ref"].AsString))
                .OrderBy(a => a.IncidentId).ThenBy(a => a.Anchor, StringComparer.Ordinal).ToList(),
            DirectConversations = StoreSnapshot.InKeyOrder(All(db, DirectConversations, ReadDirectConversation)),
            ChannelArchives = All(db, ChannelArchives, ReadChannelArchive).OrderBy(a => a.IncidentId).ToList(),
            SandboxConversations = StoreSnapshot.InIdOrder(All(db, SandboxConversations, ReadSandboxConversation)),
            SandboxMessages = All(db, SandboxMessages, ReadSandboxMessageRow).OrderBy(m => m.Sequence).ToList(),
            SandboxSequence = LastId(db, SandboxMessages),
        }, cancellationToken);

    /// <summary>Everything with its ids in one transaction, and the id sequences set past the imported ids.</summary>
    public Task ImportAsync(StoreSnapshot snapshot, CancellationToken cancellationToken) =>
        _engine.WriteAsync(db =>
        {
            var rows = DataCollections.Sum(name => (long)db.GetCollection(name).Count());
            if (rows > 0)
            {
                throw new StoreNotEmptyException($"The target store holds {rows} rows already: migrate-store copies into an empty store only.");
            }

            db.GetCollection(Counters).InsertBulk(snapshot.Counters.Select(c => new BsonDocument
            {
                ["_id"] = Key(c.Platform, c.WorkspaceId),
                ["platform"] = c.Platform,
                ["workspace_id"] = c.WorkspaceId,
                ["last_number"] = c.LastNumber,
                ["last_follow_up"] = c.LastFollowUp,
            }));
            db.GetCollection(Incidents).InsertBulk(snapshot.Incidents.Select(Incident));
            foreach (var incident in snapshot.Incidents)
            {
                // The nudge schedule is kept from the follow-ups, so the copy rebuilds it rather than carrying it.
                ScheduleFollowUpNudges(db, incident);
            }

            db.GetCollection(Timeline).InsertBulk(snapshot.Timeline.Select(e =>
            {
                var doc = Entry(e, e.Id, e.IncidentId);
                doc["redacted"] = e.Redacted;
                return doc;
            }));
            db.GetCollection(TimelineSources).InsertBulk(snapshot.Timeline.Where(e => e.SourceRef is not null).Select(e => Source(e.SourceRef!, e.IncidentId, e.Id)));
            db.GetCollection(Outbox).InsertBulk(snapshot.Outbox.Select(o => new BsonDocument
            {
                ["_id"] = o.Id,
                ["incident_id"] = o.IncidentId is { } incident ? new BsonValue(incident) : BsonValue.Null,
                ["platform"] = o.Platform,
                ["order_key"] = o.OrderKey,
                ["payload"] = o.Payload,
                ["created_at"] = o.CreatedAt,
                ["attempts"] = o.Attempts,
                ["next_attempt_at"] = o.NextAttemptAt,
                ["lease_until"] = Int64(o.LeaseUntil),
                ["sent_at"] = Int64(o.SentAt),
                ["failed_at"] = Int64(o.FailedAt),
                ["last_error"] = Text(o.LastError),
                ["pending"] = o.SentAt is null && o.FailedAt is null ? new BsonValue(o.Id) : BsonValue.Null,
            }));
            db.GetCollection(Inbound).InsertBulk(snapshot.Inbound.Select(e => new BsonDocument { ["_id"] = Key(e.EventId), ["event_id"] = e.EventId, ["received_at"] = e.ReceivedAt }));
            db.GetCollection(Reminders).InsertBulk(snapshot.Reminders.Select(r => new BsonDocument { ["_id"] = r.IncidentId, ["due_at"] = r.DueAt }));
            db.GetCollection(Anchors).InsertBulk(snapshot.Anchors.Select(a => new BsonDocument
            {
                ["_id"] = Key(a.IncidentId, a.Anchor),
                ["incident_id"] = a.IncidentId,
                ["anchor"] = a.Anchor,
                ["message_ref"] = a.MessageRef,
            }));

            db.GetCollection(DirectConversations).InsertBulk(snapshot.DirectConversations.Select(DirectConversationDocument));

            // Carried with their claims and done marks: rebuilt from the incidents, a channel archived already would be archived again.
            db.GetCollection(ChannelArchives).InsertBulk(snapshot.ChannelArchives.Select(ChannelArchiveDocument));
            db.GetCollection(SandboxConversations).InsertBulk(snapshot.SandboxConversations.Select(SandboxConversationDocument));
            db.GetCollection(SandboxMessages).InsertBulk(snapshot.SandboxMessages.Select(SandboxMessageDocument));

            // The sequences are set here, past the copied ids: any block reserved before is forgotten.
            _engine.ReservedIds.Clear();
            var sequences = db.GetCollection(Sequences);
            sequences.Upsert(new BsonDocument { ["_id"] = Incidents, ["last"] = snapshot.Incidents.Select(i => i.Id).DefaultIfEmpty().Max() });
            sequences.Upsert(new BsonDocument { ["_id"] = Timeline, ["last"] = snapshot.Timeline.Select(e => e.Id).DefaultIfEmpty().Max() });
            sequences.Upsert(new BsonDocument { ["_id"] = Outbox, ["last"] = snapshot.Outbox.Select(o => o.Id).DefaultIfEmpty().Max() });
            sequences.Upsert(new BsonDocument { ["_id"] = SandboxMessages, ["last"] = snapshot.LastSandboxSequence() });
            return true;
        }, cancellationToken);

    /// <summary>
    /// A checkpoint (the log copied into the data file) and then a copy of the data file, both on the engine thread, so
    /// no commit lands between them: the copy is the whole database in one file. Restore by putting it in place of the
    /// data file while the bot is stopped.
    /// </summary>
    public Task BackupAsync(string path, CancellationToken cancellationToken)
    {
        var target = Path.GetFullPath(path);
        return _engine.WithCheckpointedFileAsync(data =>
        {
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            using var copy = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            data.Position = 0;
            data.CopyTo(copy);
            copy.Flush(flushToDisk: true);
            return true;
        }, cancellationToken);
    }

    private static long? NullableTicks(BsonValue value) => value.IsNull ? null : value.AsInt64;

    private static BsonValue Int64(long? value) => value is { } v ? new BsonValue(v) : BsonValue.Null;

    private static IEnumerable<T> All<T>(LiteDatabase db, string collection, Func<BsonDocument, T> read) => db.GetCollection(collection).FindAll().Select(read);
}
