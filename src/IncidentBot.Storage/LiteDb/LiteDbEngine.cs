using System.Collections.Concurrent;
using LiteDB;
using LiteDB.Engine;

namespace IncidentBot.Storage.LiteDb;

/// <summary>
/// One LiteDB database driven by one dedicated thread. LiteDB 5.0.21 binds a transaction to the calling thread
/// and corrupts its shared page cache under concurrent callers (upstream #2817), so every call here is a closure
/// queued to that thread: a whole use case's transaction is one work item and never meets an <c>await</c>.
/// Commits that run back to back share one fsync of the log file, done before any of their callers hears back, on a
/// second thread: the engine goes on with the next work while the disk syncs.
/// </summary>
internal sealed class LiteDbEngine : IDisposable
{
    // Work items run per round before the round's fsync; bounds how long the first caller of a round waits.
    private const int MaxItemsPerRound = 64;

    private readonly BlockingCollection<IWorkItem> _queue = [];
    private readonly BlockingCollection<SyncBatch> _syncs = [];
    private readonly Thread _thread;
    private readonly Thread _syncer;
    private readonly FileStream _lock;
    private readonly Action<LiteDatabase> _prepare;
    private readonly Action<LiteDatabase>? _afterCaseCopy;
    private readonly Collation _newFileCollation;
    private SyncedFileStream? _data;
    private JournalFileStream? _log;
    private LiteDatabase? _db;
    private long _fsyncsOfClosedFiles;
    private bool _folderSyncPending;
    private long _reopens;

    /// <summary>
    /// Takes the lock file beside <paramref name="filename"/> (a second process fails here, at once) and starts
    /// the engine thread; <paramref name="prepare"/> runs on it each time the database is opened.
    /// </summary>
    public LiteDbEngine(string filename, Action<LiteDatabase> prepare)
        : this(filename, prepare, Collation.Binary)
    {
    }

    /// <summary>
    /// As above; <paramref name="newFileCollation"/> is the collation a file created here gets (tests make old files with
    /// it), and <paramref name="afterCaseCopy"/> mends, inside the copy's own transaction, what a file that ignored case
    /// kept under one key for ids that differ only in case (see <see cref="RebuildWithOrdinalCollation"/>).
    /// </summary>
    internal LiteDbEngine(string filename, Action<LiteDatabase> prepare, Collation newFileCollation, Action<LiteDatabase>? afterCaseCopy = null)
    {
        Filename = System.IO.Path.GetFullPath(filename);
        _prepare = prepare;
        _afterCaseCopy = afterCaseCopy;
        _newFileCollation = newFileCollation;
        var folder = System.IO.Path.GetDirectoryName(Filename);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        LockFile = Filename + ".lock";
        try
        {
            _lock = new FileStream(LockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
        }
        catch (IOException e)
        {
            throw new LiteDbFileInUseException(Filename, LockFile, e);
        }

        _thread = new Thread(Run) { IsBackground = true, Name = "LiteDB " + System.IO.Path.GetFileName(Filename) };
        _thread.Start();
        _syncer = new Thread(RunSyncs) { IsBackground = true, Name = "LiteDB fsync " + System.IO.Path.GetFileName(Filename) };
        _syncer.Start();
    }

    /// <summary>The data file (full path).</summary>
    public string Filename { get; }

    /// <summary>The file whose exclusive lock keeps other processes out.</summary>
    public string LockFile { get; }

    /// <summary>LiteDB's own log file, named as LiteDB names it: the store kept its log there before the journal.</summary>
    public string LogFilename => LogFilenameOf(Filename);

    /// <summary>The journal LiteDB appends commits to (see <see cref="JournalFileStream"/>).</summary>
    public string JournalFilename => JournalFilenameOf(Filename);

    private static string LogFilenameOf(string filename) => Beside(filename, "-log");

    private static string JournalFilenameOf(string filename) => Beside(filename, "-journal");

    private static string Beside(string filename, string suffix) =>
        System.IO.Path.Combine(System.IO.Path.GetDirectoryName(filename)!, System.IO.Path.GetFileNameWithoutExtension(filename) + suffix + System.IO.Path.GetExtension(filename));

    /// <summary>fsyncs done on the data and log files since the engine started.</summary>
    public long Fsyncs => Interlocked.Read(ref _fsyncsOfClosedFiles) + (_data?.Fsyncs ?? 0) + (_log?.Fsyncs ?? 0);

    /// <summary>
    /// Per sequence, the next id to hand out and the highest one the file has reserved (see the store's NextIds). Engine
    /// thread only; forgotten whenever a transaction does not commit and whenever the database is opened.
    /// </summary>
    internal Dictionary<string, (long Next, long Limit)> ReservedIds { get; } = new(StringComparer.Ordinal);

    /// <summary>How often the database was closed and opened again after an internal LiteDB failure.</summary>
    public long Reopens => Interlocked.Read(ref _reopens);

    /// <summary>Runs <paramref name="read"/> on the engine thread, outside any explicit transaction.</summary>
    public Task<T> ReadAsync<T>(Func<LiteDatabase, T> read, CancellationToken cancellationToken) =>
        Enqueue(new WorkItem<T>(read, transactional: false, cancellationToken));

    /// <summary>
    /// Runs <paramref name="write"/> in one transaction on the engine thread: committed when it returns (its
    /// <c>Commit()</c> checked), rolled back when it throws. The task completes after the commit is on disk.
    /// </summary>
    public Task<T> WriteAsync<T>(Func<LiteDatabase, T> write, CancellationToken cancellationToken) => WriteAsync(write, queued: null, cancellationToken);

    /// <summary>As above; <paramref name="queued"/> runs once the work is queued: work queued after it runs after it.</summary>
    public async Task<T> WriteAsync<T>(Func<LiteDatabase, T> write, Action? queued, CancellationToken cancellationToken)
    {
        var started = StoreMetrics.Start();
        var work = Enqueue(new WorkItem<T>(write, transactional: true, cancellationToken));
        queued?.Invoke();
        var result = await work;
        StoreMetrics.Committed("litedb", started);
        return result;
    }

    /// <summary>Runs <paramref name="files"/> on the engine thread after a checkpoint, with the data file flushed.</summary>
    public Task<T> WithCheckpointedFileAsync<T>(Func<Stream, T> files, CancellationToken cancellationToken) =>
        ReadAsync(db =>
        {
            db.Checkpoint();
            _data!.Flush();
            return files(_data);
        }, cancellationToken);

    private Task<T> Enqueue<T>(WorkItem<T> item)
    {
        try
        {
            _queue.Add(item);
        }
        catch (InvalidOperationException)
        {
            throw new ObjectDisposedException(nameof(LiteDbEngine), "The LiteDB store is closed.");
        }

        return item.Task;
    }

    private void Run()
    {
        var round = new List<IWorkItem>(MaxItemsPerRound);
        foreach (var first in _queue.GetConsumingEnumerable())
        {
            // A file whose fsync failed vouches for nothing written to it since: it is closed, and the next item opens it again.
            if (_log?.SyncFailure is not null || _data?.SyncFailure is not null)
            {
                Reset();
            }

            round.Add(first);
            while (round.Count < MaxItemsPerRound && _queue.TryTake(out var next))
            {
                round.Add(next);
            }

            var waiting = new List<IWorkItem>(round.Count);

            // Every file the round wrote, also those a reopen closed in the middle of it: each must be on disk first.
            var written = new HashSet<SyncedFileStream>();
            Touch(written);
            foreach (var item in round)
            {
                Execute(item);
                WriteGathered();
                Touch(written);

                // A read that saw nothing unsynced answers at once; after a write of this round, or on a file whose write or
                // fsync failed, it answers after the round's fsync.
                if (!item.Transactional && _log?.HasUnsyncedWrites != true && _data?.HasUnsyncedWrites != true
                    && _log?.SyncFailure is null && _data?.SyncFailure is null)
                {
                    item.Complete(syncFailure: null);
                }
                else
                {
                    waiting.Add(item);
                }
            }

            if (waiting.Count > 0)
            {
                // What this round committed reaches the disk before anyone hears "saved" (or reads it).
                _syncs.Add(new SyncBatch(written, waiting));
            }

            round.Clear();
        }

        Close(checkpoint: true);
        _syncs.CompleteAdding();
    }

    /// <summary>
    /// Whatever LiteDB committed outside a transaction of the store's (the set-up at an open, its own auto-transactions)
    /// goes from the journal's memory to the file, so the round's fsync covers it. A failure sticks to the journal, where
    /// the fsync thread finds it for everyone waiting on the round.
    /// </summary>
    private void WriteGathered()
    {
        try
        {
            _log?.WritePending();
        }
        catch (Exception e) when (e is ObjectDisposedException || _log?.SyncFailure is not null)
        {
            // Kept in the journal's SyncFailure (whatever the write threw).
        }
    }

    private void Touch(HashSet<SyncedFileStream> written)
    {
        if (_log is not null)
        {
            written.Add(_log);
        }

        if (_data is not null)
        {
            written.Add(_data);
        }
    }

    /// <summary>The fsync thread: one fsync of each file for every batch waiting, then their callers hear back.</summary>
    private void RunSyncs()
    {
        foreach (var first in _syncs.GetConsumingEnumerable())
        {
            var batches = new List<SyncBatch> { first };
            while (_syncs.TryTake(out var next))
            {
                batches.Add(next);
            }

            // Each file once; each batch hears of a failure only on a file it wrote.
            var failures = new Dictionary<SyncedFileStream, Exception?>();
            foreach (var file in batches.SelectMany(b => b.Files).Distinct())
            {
                try
                {
                    file.SyncIfWritten();
                    failures[file] = null;
                }
                catch (ObjectDisposedException)
                {
                    // Closed meanwhile by a reopen or the stop, which fsynced it first, unless an fsync of it failed.
                    failures[file] = file.SyncFailure;
                }
                catch (IOException e)
                {
                    failures[file] = e;
                }
            }

            foreach (var batch in batches)
            {
                var failure = batch.Files.Select(f => failures[f]).FirstOrDefault(f => f is not null);
                foreach (var item in batch.Items)
                {
                    item.Complete(failure);
                }
            }
        }
    }

    private void Execute(IWorkItem item)
    {
        if (item.IsCancelled)
        {
            return;
        }

        LiteDatabase db;
        try
        {
            db = _db ?? Open();
        }
        catch (Exception e)
        {
            // Whatever a file LiteDB cannot open throws, the caller hears it and the next item tries again.
            item.Fail(e);
            Reset();
            return;
        }

        if (!item.Transactional)
        {
            if (!item.Run(db) && IsEngineFailure(item.Failure!))
            {
                Reset();
            }

            return;
        }

        // A block of ids reserved in a transaction that did not commit is not in the file: it is forgotten with it.
        if (!RunInTransaction(db, item))
        {
            ReservedIds.Clear();
        }
    }

    /// <summary>Runs a transactional item: committed when it returns, rolled back when it throws. True when it committed.</summary>
    private bool RunInTransaction(LiteDatabase db, IWorkItem item)
    {
        if (!db.BeginTrans())
        {
            item.Fail(new InvalidOperationException("LiteDB refused to begin a transaction on its own thread."));
            return false;
        }

        if (!item.Run(db))
        {
            try
            {
                db.Rollback();
            }
            catch (Exception e) when (e is LiteException or IOException)
            {
                Reset();
                return false;
            }

            if (item.Failure is { } failure && IsEngineFailure(failure))
            {
                Reset();
            }

            return false;
        }

        try
        {
            if (db.Commit())
            {
                // The commit's pages, gathered by the journal, go to the file in one call before the round's fsync.
                _log!.WritePending();
                return true;
            }

            item.Fail(new InvalidOperationException("LiteDB did not commit the transaction: nothing was saved."));
        }
        catch (Exception e) when (e is LiteException or IOException)
        {
            item.Fail(e);
            Reset();
        }

        return false;
    }

    /// <summary>Exceptions the engine threw of itself (not the caller's own checks): the database is closed and opened afresh.</summary>
    private static bool IsEngineFailure(Exception e) =>
        e is IOException || (e is LiteException lite && lite.ErrorCode != LiteException.INDEX_DUPLICATE_KEY);

    /// <summary>
    /// The moves of the collation copy reach the disk before any commit to the copy: else a power cut could keep the new log
    /// but bring back the old names, and the next open would take the copy for an unfinished one and delete it. Until the
    /// folder's fsync succeeds (its callers mark it pending before they move anything), every open tries it again first.
    /// </summary>
    private void FlushFolder()
    {
        DirectorySync.Flush(System.IO.Path.GetDirectoryName(Filename)!);
        _folderSyncPending = false;
    }

    private LiteDatabase Open()
    {
        if (_folderSyncPending)
        {
            FlushFolder();
        }

        ReservedIds.Clear();
        FinishCollationRebuild();
        OpenFiles();
        if (!IsOrdinal(_db.Collation) && IsOrdinal(_newFileCollation))
        {
            RebuildWithOrdinalCollation();
        }

        _prepare(_db);
        return _db;
    }

    private static bool IsOrdinal(Collation collation) => collation.SortOptions == System.Globalization.CompareOptions.Ordinal;

    /// <summary>Where a file's copy with the ordinal collation is written before it takes the file's place.</summary>
    private string RebuildFilename => Filename + ".rebuild";

    /// <summary>Where the file with LiteDB's default collation is kept once its copy took its place.</summary>
    public string CaseInsensitiveBackupFilename => Filename + ".case-insensitive.bak";

    /// <summary>
    /// A file made before the store set the collation has LiteDB's default: the culture of the machine that made it,
    /// ignoring case. Every string key and query then ignores case, where the platforms' ids and the SQL stores do not
    /// (a Teams id or a webhook's dedup key that differs only in case is another one). LiteDB's own rebuild works only
    /// on a file it opens by name, so the store copies every collection's documents as they are (ids, sequences) into
    /// a new file with the ordinal collation, fsyncs it, keeps the old file beside it and moves the copy in its place.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.MemberNotNull(nameof(_db), nameof(_data), nameof(_log))]
    private void RebuildWithOrdinalCollation()
    {
        _db!.Checkpoint();
        var rebuildLog = LogFilenameOf(RebuildFilename);
        File.Delete(RebuildFilename);
        File.Delete(rebuildLog);
        using (var data = new SyncedFileStream(RebuildFilename))
        using (var log = new SyncedFileStream(rebuildLog))
        {
            using (var copy = Database(data, log, _newFileCollation))
            {
                // The file's own indexes first, as they are: what the store's set-up does next may depend on which exist.
                foreach (var index in _db.GetCollection("$indexes").FindAll().Where(i => i["name"].AsString != "_id").ToList())
                {
                    copy.GetCollection(index["collection"].AsString).EnsureIndex(index["name"].AsString, BsonExpression.Create(index["expression"].AsString), index["unique"].AsBoolean);
                }

                copy.BeginTrans();
                foreach (var name in _db.GetCollectionNames().ToList())
                {
                    copy.GetCollection(name).InsertBulk(_db.GetCollection(name).FindAll());
                }

                _afterCaseCopy?.Invoke(copy);

                if (!copy.Commit())
                {
                    throw new InvalidOperationException("LiteDB did not commit the copy of the file with the ordinal collation.");
                }

                copy.Checkpoint();
            }

            data.Flush();
            log.Flush();
        }

        Close(checkpoint: false);
        File.Delete(rebuildLog);

        // The old file's journal was emptied by its checkpoint; anything left in it belongs to the old file, never the copy.
        foreach (var (log, aside) in new[] { (LogFilename, LogFilenameOf(CaseInsensitiveBackupFilename)), (JournalFilename, JournalFilenameOf(CaseInsensitiveBackupFilename)) })
        {
            if (File.Exists(log))
            {
                File.Move(log, aside, overwrite: true);
            }
        }

        // Each move is atomic. A stop between them leaves the copy under its own name, which the next open moves in.
        // An older backup (of a file restored and copied again) is kept: this one gets a name of its own.
        _folderSyncPending = true;
        File.Move(Filename, File.Exists(CaseInsensitiveBackupFilename) ? $"{Filename}.case-insensitive.{Guid.NewGuid():N}.bak" : CaseInsensitiveBackupFilename);
        File.Move(RebuildFilename, Filename);

        FlushFolder();
        OpenFiles();
    }

    /// <summary>Opens the file; one made here gets the ordinal collation, one that exists keeps its own (LiteDB refuses another).</summary>
    [System.Diagnostics.CodeAnalysis.MemberNotNull(nameof(_db), nameof(_data), nameof(_log))]
    private void OpenFiles()
    {
        var isNew = !File.Exists(Filename) || new FileInfo(Filename).Length == 0;

        // Opened once: opening reads the journal's records to find where it ends.
        var journal = new JournalFileStream(JournalFilename);
        try
        {
            CheckJournal(journal, isNew);
            if (!isNew)
            {
                CopyInLiteDbLog();
            }
        }
        catch
        {
            journal.Dispose();
            throw;
        }

        _log = journal;
        _data = new SyncedFileStream(Filename)
        {
            BeforeWrite = () =>
            {
                _log?.WritePending();
                _log?.SyncIfWritten();
            },
        };
        _db = Database(_data, _log, isNew ? _newFileCollation : null);
    }

    /// <summary>
    /// Commits in the journal belong to the data file they were made on. Beside no data file (it was deleted or
    /// replaced by an empty one), or beside LiteDB's own <c>-log</c> (which the store deletes, for good, before it
    /// writes the journal: so an older store wrote the file since), which is newer cannot be told: the file is not opened.
    /// </summary>
    private void CheckJournal(JournalFileStream journal, bool isNew)
    {
        if (journal.Length == 0)
        {
            return;
        }

        if (isNew)
        {
            throw new InvalidOperationException($"{JournalFilename} holds commits but {Filename} is missing or empty: the journal belongs to a data file no longer there. Put that file back, or move the journal away to start afresh.");
        }

        if (File.Exists(LogFilename))
        {
            throw new InvalidOperationException($"Both {LogFilename} and {JournalFilename} are beside {Filename}, the journal holding commits: an older IncidentBot wrote the file after this one stopped without a checkpoint. Keep all three files and restore from a backup.");
        }
    }

    /// <summary>
    /// A file last written by a store that kept LiteDB's own log (<c>-log</c>): LiteDB's checkpoint copies the commits
    /// there into the data file (and fsyncs it) before the journal takes over, then the log goes, for good.
    /// </summary>
    private void CopyInLiteDbLog()
    {
        if (!File.Exists(LogFilename))
        {
            return;
        }

        if (new FileInfo(LogFilename).Length > 0)
        {
            using var log = new SyncedFileStream(LogFilename);
            using var data = new SyncedFileStream(Filename);

            // The process that wrote the log may have stopped before its fsync: the log reaches the disk before the copy.
            log.Flush();
            using var db = Database(data, log, collation: null);
            db.Checkpoint();
        }

        _folderSyncPending = true;
        File.Delete(LogFilename);
        FlushFolder();
    }

    /// <summary>A database over files the store opened itself; <paramref name="collation"/> only for a new file (null keeps the file's own).</summary>
    private static LiteDatabase Database(SyncedFileStream data, SyncedFileStream log, Collation? collation) =>
        new(new LiteEngine(new EngineSettings { DataStream = data, LogStream = log, Collation = collation }), new BsonMapper(), disposeOnClose: true);

    /// <summary>A stop between the two moves of the rebuild left the copy, whole, under its own name: it takes the file's place now.</summary>
    private void FinishCollationRebuild()
    {
        if (!File.Exists(RebuildFilename))
        {
            return;
        }

        // The old file moves aside only once the copy is whole and on disk.
        if (!File.Exists(Filename))
        {
            _folderSyncPending = true;
            File.Move(RebuildFilename, Filename);
            FlushFolder();
        }
        else
        {
            // Stopped while copying: the old file is still in place and the copy is made again.
            File.Delete(RebuildFilename);
            File.Delete(LogFilenameOf(RebuildFilename));
        }
    }

    /// <summary>Drops a database LiteDB may have left wedged; the next work item opens it again.</summary>
    private void Reset()
    {
        Interlocked.Increment(ref _reopens);
        Close(checkpoint: false);
    }

    private void Close(bool checkpoint)
    {
        try
        {
            if (checkpoint)
            {
                _db?.Checkpoint();
            }
        }
        catch (Exception e) when (e is LiteException or IOException)
        {
            // The log stays and is replayed at the next open.
        }
        finally
        {
            try
            {
                _db?.Dispose();
            }
            catch (Exception e) when (e is LiteException or IOException or ObjectDisposedException)
            {
                // Closing what failed; the next open recovers from the log.
            }

            // Each file is fsynced even when LiteDB failed to close: commits of this round still wait on it. A failure
            // (of the journal's last write too) sticks to the file, where the fsync thread finds it for them (they are
            // told their commit may not last).
            WriteGathered();
            foreach (var file in new SyncedFileStream?[] { _log, _data })
            {
                try
                {
                    file?.SyncIfWritten();
                }
                catch (Exception e) when (e is IOException or ObjectDisposedException)
                {
                    // Kept in the file's SyncFailure.
                }
            }

            Interlocked.Add(ref _fsyncsOfClosedFiles, (_data?.Fsyncs ?? 0) + (_log?.Fsyncs ?? 0));
            _log?.Dispose();
            _data?.Dispose();
            _db = null;
            _log = null;
            _data = null;
        }
    }

    public void Dispose()
    {
        _queue.CompleteAdding();
        if (Thread.CurrentThread != _thread)
        {
            _thread.Join();
            _syncer.Join();
        }

        _queue.Dispose();
        _syncs.Dispose();
        _lock.Dispose();
    }

    /// <summary>Work items of one round waiting for the files they wrote to be on disk.</summary>
    private sealed record SyncBatch(IReadOnlyCollection<SyncedFileStream> Files, List<IWorkItem> Items);

    private interface IWorkItem
    {
        bool Transactional { get; }

        bool IsCancelled { get; }

        Exception? Failure { get; }

        /// <summary>Runs the work; false when it threw (kept as <see cref="Failure"/>).</summary>
        bool Run(LiteDatabase db);

        void Fail(Exception failure);

        /// <summary>Hands the outcome to the caller once the round is on disk.</summary>
        void Complete(Exception? syncFailure);
    }

    private sealed class WorkItem<T>(Func<LiteDatabase, T> work, bool transactional, CancellationToken cancellationToken) : IWorkItem
    {
        // Continuations run on the thread pool, never on the engine thread.
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;
        private bool _ran;

        public Task<T> Task => _completion.Task;

        public bool Transactional => transactional;

        public bool IsCancelled => cancellationToken.IsCancellationRequested;

        public Exception? Failure { get; private set; }

        public bool Run(LiteDatabase db)
        {
            _ran = true;
            try
            {
                _result = work(db);
                return true;
            }
            catch (Exception e)
            {
                Failure = e;
                return false;
            }
        }

        public void Fail(Exception failure) => Failure = failure;

        public void Complete(Exception? syncFailure)
        {
            if (Failure is { } failure)
            {
                // Also when the work never ran: the database would not open, or no transaction could begin.
                _completion.TrySetException(failure);
            }
            else if (!_ran)
            {
                _completion.TrySetCanceled(cancellationToken);
            }
            else if (syncFailure is not null && transactional)
            {
                _completion.TrySetException(new IOException("The commit could not be flushed to disk; it may not survive a power cut.", syncFailure));
            }
            else
            {
                _completion.TrySetResult(_result!);
            }
        }
    }
}

/// <summary>The LiteDB file is held by another process: one process per file.</summary>
public sealed class LiteDbFileInUseException(string filename, string lockFile, Exception inner)
    : IOException($"The LiteDB file {filename} is in use by another process (its lock {lockFile} is held): run one bot per file, or use PostgreSQL for several.", inner);
