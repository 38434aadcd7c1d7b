using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Ports;
using IncidentBot.Core.Timeline;
using LiteDB;
using static IncidentBot.Storage.LiteDb.LiteDbDocuments;

namespace IncidentBot.Storage.LiteDb;

/// <summary>
/// The embedded store on LiteDB 5.0.21, made to keep the SQLite store's promises: every engine call on one
/// dedicated thread (see <see cref="LiteDbEngine"/>), each commit fsynced before its caller hears "saved", the
/// file locked against a second process, instants as UTC ticks, and ids from sequences of their own that never
/// hand out an id twice (LiteDB's own auto-ids are max+1 and come back after the newest rows are deleted).
/// Checks run before writes inside the single writer, so a claim or a duplicate needs no lock of its own.
/// </summary>
public sealed partial class LiteDbIncidentStore : IIncidentStore, IOrderedSaves, IDisposable
{
    private static readonly Dictionary<string, (LiteDbEngine Engine, int Users)> OpenEngines = new(StringComparer.Ordinal);
    private readonly TimeProvider _clock;
    private readonly LiteDbEngine _engine;
    private int _disposed;

    /// <summary>
    /// Opens the file a connection string like <c>Filename=data/incidentbot.litedb</c> names (relative to the
    /// working directory; its folder is created). Stores on one file in one process share its engine; another
    /// process on the file fails here with <see cref="LiteDbFileInUseException"/>.
    /// </summary>
    public LiteDbIncidentStore(string connectionString, TimeProvider clock)
        : this(connectionString, clock, Collation.Binary)
    {
    }

    /// <summary>As above, a new file getting <paramref name="newFileCollation"/>: tests make files as the store made them before it set the collation.</summary>
    internal LiteDbIncidentStore(string connectionString, TimeProvider clock, Collation newFileCollation)
    {
        _clock = clock;
        var settings = LiteDbSettings.Parse(connectionString);
        var filename = Path.GetFullPath(settings.Filename);
        lock (OpenEngines)
        {
            var (engine, users) = OpenEngines.TryGetValue(filename, out var open) ? open : (new LiteDbEngine(filename, db => Prepare(db, settings), newFileCollation, SplitCaseMergedCounters), 0);
            OpenEngines[filename] = (engine, users + 1);
            _engine = engine;
        }
    }

    /// <summary>The data file (full path).</summary>
    public string Filename => _engine.Filename;

    /// <summary>fsyncs of the data and log files so far (the durability tests count them).</summary>
    public long Fsyncs => _engine.Fsyncs;

    /// <summary>How often the engine was reopened after an internal LiteDB failure.</summary>
    public long Reopens => _engine.Reopens;

    /// <summary>The file a LiteDB connection string names (see <see cref="LiteDbSettings.Parse"/>).</summary>
    public static string FilenameOf(string connectionString) => LiteDbSettings.Parse(connectionString).Filename;

    /// <summary>
    /// Opens the file (indexes are set up at every open) and releases outbox leases left by a previous run of
    /// the process: the embedded store serves one process, so a lease standing at start is a dead one.
    /// </summary>
    public Task MigrateAsync(CancellationToken cancellationToken) =>
        _engine.WriteAsync(db =>
        {
            var outbox = db.GetCollection(Outbox);
            foreach (var row in outbox.Find(Where.Gt("pending", 0L)).Where(r => !r["lease_until"].IsNull).ToList())
            {
                row["lease_until"] = BsonValue.Null;
                outbox.Update(row);
            }

            return true;
        }, cancellationToken);

    /// <summary>
    /// Entries' sources moved out of the timeline into <c>timeline_sources</c>: two indexes on every entry (most have no
    /// source) cost four pages of each write. A file made before still has them: its sources are copied, then they go.
    /// </summary>
    private static void MoveTimelineSources(LiteDatabase db)
    {
        var timeline = db.GetCollection(Timeline);
        if (!db.GetCollection("$indexes").FindAll().Any(i => i["collection"].AsString == Timeline && i["name"].AsString == "source_key"))
        {
            return;
        }

        db.BeginTrans();
        var sources = db.GetCollection(TimelineSources);
        foreach (var entry in timeline.Find(Where.Gt("source_key", BsonValue.Null)).ToList())
        {
            sources.Upsert(Source(entry["source_ref"].AsString, entry["incident_id"].AsInt64, entry["_id"].AsInt64));
        }

        timeline.DropIndex("source_key");
        timeline.DropIndex("source_ref_key");
        if (!db.Commit())
        {
            throw new InvalidOperationException("LiteDB did not commit moving the timeline's sources.");
        }
    }

    /// <summary>
    /// In a file that ignored case, workspaces whose ids differ only in case (a Teams tenant id written both ways) shared
    /// one counter. In the copy that counts case, only the id that made it finds it: the other would number incidents from
    /// 1 into numbers it already has (the declare fails on the unique number, every time) and could add no follow-up.
    /// Each workspace with incidents and no counter of its own gets one, at the highest number any of them handed out.
    /// </summary>
    private static void SplitCaseMergedCounters(LiteDatabase copy)
    {
        var counters = copy.GetCollection(Counters);
        var all = counters.FindAll().ToList();
        var own = all.Select(c => c["_id"].AsString).ToHashSet(StringComparer.Ordinal);
        var workspaces = copy.GetCollection(Incidents).FindAll()
            .GroupBy(d => (Platform: d["platform"].AsString, Workspace: d["workspace_id"].AsString));
        foreach (var workspace in workspaces)
        {
            var key = Key(workspace.Key.Platform, workspace.Key.Workspace);
            if (own.Contains(key))
            {
                continue;
            }

            var shared = all.Where(c => string.Equals(c["_id"].AsString, key, StringComparison.OrdinalIgnoreCase)).ToList();
            var incidents = workspace.Select(ReadIncident).ToList();
            counters.Insert(new BsonDocument
            {
                ["_id"] = key,
                ["platform"] = workspace.Key.Platform,
                ["workspace_id"] = workspace.Key.Workspace,
                ["last_number"] = shared.Select(c => c["last_number"].AsInt32).Append(incidents.Max(i => i.Number)).Max(),
                ["last_follow_up"] = shared.Select(LastFollowUp).Concat(incidents.SelectMany(i => i.FollowUps).Select(f => f.Number)).DefaultIfEmpty(0).Max(),
            });
        }
    }

    private static void Prepare(LiteDatabase db, LiteDbSettings settings)
    {
        // A pragma kept in the file's header: set at every open, so the configured bound is the one in force.
        db.CheckpointSize = settings.CheckpointPages;
        db.GetCollection(Incidents).EnsureIndex("number_key", "$.number_key", unique: true);
        db.GetCollection(Incidents).EnsureIndex("workspace_key", "$.workspace_key");
        db.GetCollection(Incidents).EnsureIndex("conversation_key", "$.conversation_key");
        db.GetCollection(Incidents).EnsureIndex("number", "$.number");
        db.GetCollection(Timeline).EnsureIndex("order", "$.order", unique: true);
        MoveTimelineSources(db);
        db.GetCollection(Outbox).EnsureIndex("pending", "$.pending");
        db.GetCollection(Reminders).EnsureIndex("due_at", "$.due_at");
        PrepareWeb(db);
        PrepareFollowUpNudges(db);
        PrepareChannelArchives(db);
        PrepareSandbox(db);
    }

    public Task<(SaveResult Result, Incident? Incident)> CreateAsync(Incident draft, Func<Incident, IncidentChange> build, string? inboundEventId, CancellationToken cancellationToken) =>
        _engine.WriteAsync<(SaveResult, Incident?)>(db =>
        {
            if (inboundEventId is not null && InboundSeen(db, inboundEventId))
            {
                return (SaveResult.Duplicate, null);
            }

            var counters = db.GetCollection(Counters);
            var counterKey = Key(draft.Platform, draft.WorkspaceId);
            // Updated in place: the counter also holds the workspace's last follow-up number.
            var counter = counters.FindById(counterKey) ?? new BsonDocument { ["_id"] = counterKey, ["platform"] = draft.Platform, ["workspace_id"] = draft.WorkspaceId, ["last_number"] = 0 };
            var number = counter["last_number"].AsInt32 + 1;
            counter["last_number"] = number;
            counters.Upsert(counter);

            var numbered = draft with { Number = number, Id = NextIds(db, Incidents, 1) };
            db.GetCollection(Incidents).Insert(Incident(numbered));
            RecordInbound(db, inboundEventId);
            WriteRest(db, build(numbered) with { Incident = numbered });
            return (SaveResult.Saved, numbered);
        }, cancellationToken);

    public Task<SaveResult> SaveAsync(IncidentChange change, CancellationToken cancellationToken) =>
        _engine.WriteAsync(db => SaveIn(db, change), cancellationToken);

    /// <summary>
    /// The engine runs its queue in order, so a change queued after this one commits after it: the caller may hand its
    /// incident's turn on at <paramref name="queued"/>, and changes to one incident in a burst share the engine's rounds.
    /// </summary>
    public Task<SaveResult> SaveAsync(IncidentChange change, Action queued, CancellationToken cancellationToken) =>
        _engine.WriteAsync(db => SaveIn(db, change), queued, cancellationToken);

    public Task<IReadOnlyList<SaveResult>> SaveBatchAsync(IReadOnlyList<IncidentChange> changes, CancellationToken cancellationToken) =>
        changes.Count == 0
            ? Task.FromResult<IReadOnlyList<SaveResult>>([])
            : _engine.WriteAsync<IReadOnlyList<SaveResult>>(db => changes.Select(change => SaveIn(db, change)).ToList(), cancellationToken);

    /// <summary>Every check before any write, so a refused change leaves nothing of itself in the transaction.</summary>
    private SaveResult SaveIn(LiteDatabase db, IncidentChange change)
    {
        var incident = change.Incident;
        if (change.ReminderClaim is { } claim && db.GetCollection(Reminders).FindById(incident.Id)?["due_at"].AsInt64 != claim.UtcTicks)
        {
            return SaveResult.Superseded;
        }

        if (change.InboundEventId is not null && InboundSeen(db, change.InboundEventId))
        {
            return SaveResult.Duplicate;
        }

        var incidents = db.GetCollection(Incidents);
        var stored = incidents.FindById(incident.Id);
        if (stored is null || stored["version"].AsInt32 != incident.Version - 1)
        {
            return SaveResult.Conflict;
        }

        ApplyChange(stored, incident);
        incidents.Update(stored);
        RecordInbound(db, change.InboundEventId);
        WriteRest(db, change);
        return SaveResult.Saved;
    }

    private void WriteRest(LiteDatabase db, IncidentChange change)
    {
        var incidentId = change.Incident.Id;
        foreach (var entry in change.Entries)
        {
            InsertEntry(db, entry, incidentId);
        }

        var timeline = db.GetCollection(Timeline);
        foreach (var entryId in change.RedactEntryIds)
        {
            if (timeline.FindById(entryId) is { } entry && entry["incident_id"].AsInt64 == incidentId)
            {
                entry["redacted"] = true;
                timeline.Update(entry);
            }
        }

        InsertMessages(db, change.Messages, incidentId);
        ScheduleFollowUpNudges(db, change.Incident);
        ScheduleChannelArchive(db, change.Incident);
        if (change.KeepsReminder)
        {
            return;
        }

        var reminders = db.GetCollection(Reminders);
        if (change.NextReminderAt is { } due)
        {
            reminders.Upsert(new BsonDocument { ["_id"] = incidentId, ["due_at"] = due.UtcTicks });
        }
        else
        {
            reminders.Delete(incidentId);
        }
    }

    private bool InsertEntry(LiteDatabase db, TimelineEntry entry, long incidentId)
    {
        var id = NextIds(db, Timeline, 1);
        if (entry.SourceRef is { } sourceRef)
        {
            // Only entries with a source have a document here, so the others touch no index for it.
            var sources = db.GetCollection(TimelineSources);
            if (sources.FindById(SourceKey(sourceRef, incidentId)) is not null)
            {
                return false;
            }

            sources.Insert(Source(sourceRef, incidentId, id));
        }

        db.GetCollection(Timeline).Insert(Entry(entry, id, incidentId));
        return true;
    }

    private void InsertMessages(LiteDatabase db, IReadOnlyList<OutgoingMessage> messages, long? incidentId)
    {
        if (messages.Count == 0)
        {
            return;
        }

        var now = _clock.GetUtcNow();
        var first = NextIds(db, Outbox, messages.Count);
        db.GetCollection(Outbox).InsertBulk(messages.Select((m, i) => OutboxRow(incidentId is null ? m : m with { IncidentId = incidentId }, first + i, now)));
    }

    /// <summary>
    /// Hands out <paramref name="count"/> ids of a sequence; returns the first. The file keeps the highest id reserved,
    /// a block ahead of the ids handed out, so most calls write nothing (a write would dirty another page of every
    /// change). After a restart the sequence goes on past the block: ids are skipped, never handed out twice. The
    /// engine forgets its blocks whenever a transaction does not commit, since a block reserved in it is not in the file.
    /// </summary>
    private long NextIds(LiteDatabase db, string name, int count)
    {
        var blocks = _engine.ReservedIds;
        if (blocks.TryGetValue(name, out var block) && block.Next + count - 1 <= block.Limit)
        {
            blocks[name] = (block.Next + count, block.Limit);
            return block.Next;
        }

        var first = LastId(db, name) + 1;
        var limit = first + count - 1 + IdsReservedAhead;
        db.GetCollection(Sequences).Upsert(new BsonDocument { ["_id"] = name, ["last"] = limit });
        blocks[name] = (first + count, limit);
        return first;
    }

    /// <summary>How many ids past those asked for a sequence reserves in the file when it writes.</summary>
    private const int IdsReservedAhead = 64;

    /// <summary>The highest id a sequence kept in the file reserved (none handed out is higher); 0 before the first.</summary>
    private static long LastId(LiteDatabase db, string name) => db.GetCollection(Sequences).FindById(name)?["last"].AsInt64 ?? 0;

    private static bool InboundSeen(LiteDatabase db, string eventId) => db.GetCollection(Inbound).Exists(Where.Eq("_id", Key(eventId)));

    private void RecordInbound(LiteDatabase db, string? eventId)
    {
        if (eventId is not null)
        {
            db.GetCollection(Inbound).Insert(new BsonDocument { ["_id"] = Key(eventId), ["event_id"] = eventId, ["received_at"] = _clock.GetUtcNow().UtcTicks });
        }
    }

    public Task<SaveResult> EnqueueAsync(IReadOnlyList<OutgoingMessage> messages, string? inboundEventId, CancellationToken cancellationToken) =>
        _engine.WriteAsync(db =>
        {
            if (inboundEventId is not null && InboundSeen(db, inboundEventId))
            {
                return SaveResult.Duplicate;
            }

            RecordInbound(db, inboundEventId);

            // Messages not about one incident (a welcome, a private answer) carry no incident id of their own.
            InsertMessages(db, messages, messages.Select(m => m.IncidentId).Distinct().ToList() is [{ } single] ? single : null);
            return SaveResult.Saved;
        }, cancellationToken);

    public Task<bool> AppendEntryAsync(TimelineEntry entry, CancellationToken cancellationToken) =>
        _engine.WriteAsync(db => InsertEntry(db, entry, entry.IncidentId), cancellationToken);

    public Task<bool> TryRecordInboundAsync(string eventId, CancellationToken cancellationToken) =>
        _engine.WriteAsync(db =>
        {
            if (InboundSeen(db, eventId))
            {
                return false;
            }

            RecordInbound(db, eventId);
            return true;
        }, cancellationToken);

    public Task SetConversationAsync(long incidentId, string conversationId, string? serviceUrl, CancellationToken cancellationToken) =>
        _engine.WriteAsync(db =>
        {
            var incidents = db.GetCollection(Incidents);
            if (incidents.FindById(incidentId) is { } doc)
            {
                SetConversation(doc, doc["platform"].AsString, conversationId, serviceUrl);
                incidents.Update(doc);
            }

            return true;
        }, cancellationToken);

    public Task SetAnchorAsync(long incidentId, string anchor, string messageRef, CancellationToken cancellationToken) =>
        _engine.WriteAsync(db => db.GetCollection(Anchors).Upsert(new BsonDocument
        {
            ["_id"] = Key(incidentId, anchor),
            ["incident_id"] = incidentId,
            ["anchor"] = anchor,
            ["message_ref"] = messageRef,
        }), cancellationToken);

    /// <summary>Closes this store; the engine stops (after a checkpoint) when the last store on its file closes.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        lock (OpenEngines)
        {
            var (engine, users) = OpenEngines[_engine.Filename];
            if (users > 1)
            {
                OpenEngines[_engine.Filename] = (engine, users - 1);
                return;
            }

            OpenEngines.Remove(_engine.Filename);
        }

        _engine.Dispose();
    }
}
