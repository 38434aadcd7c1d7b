namespace IncidentBot.Storage.LiteDb;

/// <summary>
/// A file LiteDB reads and writes through: its <see cref="Flush()"/> is an fsync (LiteDB flushes a stream
/// that is not a FileStream with plain <c>Flush()</c>, which would otherwise only empty a buffer), and it knows
/// whether anything was written since the last fsync, so a commit that wrote nothing costs none.
/// </summary>
internal sealed class SyncedFileStream(string path) : Stream
{
    // No FileStream buffer: LiteDB writes whole 8 KiB pages, and an unbuffered stream leaves nothing
    // between a write and the OS. FileShare.None also holds the file against other processes.
    private readonly FileStream _file = new(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 0, FileOptions.RandomAccess);
    private long _fsyncs;
    private bool _dirty;

    public string Path => _file.Name;

    /// <summary>fsyncs done on this file.</summary>
    public long Fsyncs => Interlocked.Read(ref _fsyncs);

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => true;

    public override long Length => _file.Length;

    public override long Position { get => _file.Position; set => _file.Position = value; }

    public override void Flush() => Sync();

    /// <summary>Something was written since the last fsync.</summary>
    public bool HasUnsyncedWrites => _dirty;

    /// <summary>fsyncs when something was written (or the length changed) since the last fsync.</summary>
    public void SyncIfWritten()
    {
        if (_dirty)
        {
            Sync();
        }
    }

    private void Sync()
    {
        _file.Flush(flushToDisk: true);
        _dirty = false;
        Interlocked.Increment(ref _fsyncs);
    }

    public override int Read(byte[] buffer, int offset, int count) => _file.Read(buffer, offset, count);

    public override long Seek(long offset, SeekOrigin origin) => _file.Seek(offset, origin);

    public override void SetLength(long value)
    {
        _file.SetLength(value);
        _dirty = true;
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        _file.Write(buffer, offset, count);
        _dirty = true;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _file.Dispose();
        }

        base.Dispose(disposing);
    }
}
