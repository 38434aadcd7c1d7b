namespace IncidentBot.Storage.LiteDb;

/// <summary>
/// A file LiteDB reads and writes through: its <see cref="Flush()"/> is an fsync (LiteDB flushes a stream
/// that is not a FileStream with plain <c>Flush()</c>, which would otherwise only empty a buffer), and it counts
/// writes, so a commit that wrote nothing costs no fsync. <see cref="SyncIfWritten"/> may run on another thread
/// than the writes: it fsyncs the OS handle, which covers every write that had returned before it began.
/// </summary>
internal class SyncedFileStream : Stream
{
    // No FileStream buffer: LiteDB writes whole 8 KiB pages, and an unbuffered stream leaves nothing
    // between a write and the OS. FileShare.None also holds the file against other processes.
    private readonly FileStream _file;

    // Taken once: FileStream's getter seeks the OS handle on every call.
    private readonly Microsoft.Win32.SafeHandles.SafeFileHandle _handle;
    private readonly Lock _sync = new();
    private long _fsyncs;
    private long _writes;
    private long _synced;
    private Exception? _syncFailure;

    public SyncedFileStream(string path)
    {
        _file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 0, FileOptions.RandomAccess);
        _handle = _file.SafeFileHandle;
    }

    /// <summary>The file underneath, for a layout of its own (see <see cref="JournalFileStream"/>).</summary>
    protected FileStream File => _file;

    /// <summary>The file's OS handle, for positional reads and writes.</summary>
    protected Microsoft.Win32.SafeHandles.SafeFileHandle Handle => _handle;

    public string Path => _file.Name;

    /// <summary>
    /// Runs before every write to this file. The data file's is the write-ahead rule: LiteDB's checkpoint copies
    /// pages of commits into the data file, so the journal holding those commits is fsynced first (else a power cut
    /// in the copy could leave the data file with half a commit the journal on disk does not have to mend it).
    /// </summary>
    public Action? BeforeWrite { get; init; }

    /// <summary>Tests only: runs before each write with the file's path.</summary>
    internal static Action<string>? BeforeAnyWrite { get; set; }

    /// <summary>fsyncs done on this file.</summary>
    public long Fsyncs => Interlocked.Read(ref _fsyncs);

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => true;

    public override long Length => _file.Length;

    public override long Position { get => _file.Position; set => _file.Position = value; }

    public override void Flush() => Sync(always: true);

    /// <summary>
    /// The first fsync of this file that failed, or null. It sticks: Linux may drop the pages a failed fsync could not
    /// write and report the next fsync as fine, so once one failed no later fsync can vouch for what was written before
    /// it. Every later sync throws, until the engine closes the file and opens it again. A subclass records a failed
    /// write here too (<see cref="WriteFailed"/>) when the file cannot be trusted after it.
    /// </summary>
    public Exception? SyncFailure => Volatile.Read(ref _syncFailure);

    /// <summary>Records a failed write as a failed fsync is recorded: it sticks, and every later sync throws.</summary>
    protected void WriteFailed(Exception failure) => Interlocked.CompareExchange(ref _syncFailure, failure, null);

    /// <summary>Tests only: runs before each fsync with the file's path, and may throw as a failing disk would.</summary>
    internal static Action<string>? BeforeFsync { get; set; }

    /// <summary>Something was written since the last fsync began.</summary>
    public bool HasUnsyncedWrites => Interlocked.Read(ref _writes) != Interlocked.Read(ref _synced);

    /// <summary>fsyncs when something was written (or the length changed) since the last fsync.</summary>
    public void SyncIfWritten() => Sync(always: false);

    private void Sync(bool always)
    {
        lock (_sync)
        {
            if (SyncFailure is { } failed)
            {
                throw new IOException($"An earlier fsync or write of {_file.Name} failed: what was written to it may not be on disk.", failed);
            }

            var written = Interlocked.Read(ref _writes);
            if (!always && written == Interlocked.Read(ref _synced))
            {
                return;
            }

            // The handle, not the FileStream: no FileStream state is touched, so writes on the engine thread may go on.
            try
            {
                BeforeFsync?.Invoke(_file.Name);
                RandomAccess.FlushToDisk(_handle);
            }
            catch (IOException e)
            {
                Volatile.Write(ref _syncFailure, e);
                throw;
            }

            Interlocked.Exchange(ref _synced, written);
            Interlocked.Increment(ref _fsyncs);
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => _file.Read(buffer, offset, count);

    public override long Seek(long offset, SeekOrigin origin) => _file.Seek(offset, origin);

    public override void SetLength(long value)
    {
        WillWrite();
        _file.SetLength(value);
        Written();
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        WillWrite();
        _file.Write(buffer, offset, count);
        Written();
    }

    /// <summary>Call before writing: runs <see cref="BeforeWrite"/> (and the tests' hook).</summary>
    protected void WillWrite()
    {
        BeforeWrite?.Invoke();
        BeforeAnyWrite?.Invoke(_file.Name);
    }

    /// <summary>Counts a write, so the next <see cref="SyncIfWritten"/> fsyncs.</summary>
    protected void Written() => Interlocked.Increment(ref _writes);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _file.Dispose();
        }

        base.Dispose(disposing);
    }
}
