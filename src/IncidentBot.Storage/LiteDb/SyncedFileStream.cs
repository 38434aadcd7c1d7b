namespace IncidentBot.Storage.LiteDb;

/// <summary>
/// A file LiteDB reads and writes through: its <see cref="Flush()"/> is an fsync (LiteDB flushes a stream
/// that is not a FileStream with plain <c>Flush()</c>, which would otherwise only empty a buffer), and it counts
/// writes, so a commit that wrote nothing costs no fsync. <see cref="SyncIfWritten"/> may run on another thread
/// than the writes: it fsyncs the OS handle, which covers every write that had returned before it began.
/// </summary>
internal class SyncedFileStream(string path) : Stream
{
    // No FileStream buffer: LiteDB writes whole 8 KiB pages, and an unbuffered stream leaves nothing
    // between a write and the OS. FileShare.None also holds the file against other processes.
    private readonly FileStream _file = new(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 0, FileOptions.RandomAccess);

    /// <summary>The file underneath, for a layout of its own (see <see cref="JournalFileStream"/>).</summary>
    protected FileStream File => _file;
    private readonly Lock _sync = new();
    private long _fsyncs;
    private long _writes;
    private long _synced;
    private Exception? _syncFailure;

    public string Path => _file.Name;

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
    /// it. Every later sync throws, until the engine closes the file and opens it again.
    /// </summary>
    public Exception? SyncFailure => Volatile.Read(ref _syncFailure);

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
                throw new IOException($"An earlier fsync of {_file.Name} failed: what was written to it may not be on disk.", failed);
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
                RandomAccess.FlushToDisk(_file.SafeFileHandle);
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
        _file.SetLength(value);
        Written();
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        _file.Write(buffer, offset, count);
        Written();
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
