using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace IncidentBot.Storage.LiteDb;

/// <summary>
/// The log LiteDB appends its commits to, kept in a file that is written over instead of cut and grown again.
/// LiteDB empties its log at every checkpoint (every 1,000 pages), so each commit's pages land past the end of the
/// file: every fsync then also commits the file's new size and blocks to the filesystem's journal, which on this
/// kind of disk more than doubled it (measured here: one page appended and fsynced 510-580 µs, written over 190-270 µs).
/// <para>
/// Written over, a file would hand back pages of an earlier round as if they were new, and LiteDB's log has no
/// checksums to tell a page torn by a power cut. So each page is kept as a record of its own: a header naming the
/// round (<c>cycle</c>, random, new at every emptying), the page's place in it and a CRC-32C of both and of the page,
/// then the page. LiteDB sees the pages of the current round only: at open the records are read from the start while
/// each is whole and of the same round in its place, and the log ends at the first that is not. What lies after it
/// was never acknowledged (a commit is acknowledged only once its round is fsynced, and a torn record can only be
/// in a round that was not) or belongs to a round already copied into the data file (LiteDB fsyncs the data file
/// before it empties the log). Emptying the log starts a new cycle and blanks the first record's header; the data
/// file is written only after the journal is fsynced (see <see cref="SyncedFileStream.BeforeWrite"/>), so a round is
/// never in the data file while its journal on disk still holds the round before it. A round that goes on after an
/// unclean stop first cuts off whatever follows its last whole record.
/// </para>
/// <para>
/// LiteDB writes its log one page per call, about fifteen for a status update, and on this kind of disk the calls
/// cost more than the bytes (measured here: 13 writes of 1 KiB and an fsync took 168 µs, the same bytes in one write
/// 92 µs). So records are gathered in memory as LiteDB writes them and go to the file in one call
/// (<see cref="WritePending"/>), which the engine makes once a transaction has committed, and this stream makes itself
/// before anything that needs them in the file: an fsync, emptying, a write of the data file (whose write-ahead rule
/// fsyncs the journal first), or more than <see cref="MaxGatheredBytes"/> gathered (a large transaction's pages, which
/// LiteDB writes before its commit). Reads of gathered pages are served from memory.
/// </para>
/// </summary>
internal sealed class JournalFileStream : SyncedFileStream
{
    /// <summary>LiteDB's page (its <c>PAGE_SIZE</c>): the log is written and read in whole pages.</summary>
    public const int PageSize = 8192;

    private const int HeaderSize = 32;
    internal const int RecordSize = HeaderSize + PageSize;

    // "IBJ1": the record layout's first version.
    private const uint Magic = 0x314A4249;

    /// <summary>Gathered records are written once they reach this size, so a large transaction holds no more in memory.</summary>
    internal const int MaxGatheredBytes = 128 * RecordSize;

    private static readonly byte[] BlankHeader = new byte[HeaderSize];

    private readonly byte[] _record = new byte[RecordSize];

    // Records written by LiteDB and not yet to the file: pages [_pages - _gathered, _pages) of the round.
    private byte[] _gather = new byte[RecordSize * 16];
    private int _gathered;
    private long _pages;
    private ulong _cycle;
    private long _position;

    public JournalFileStream(string path)
        : base(path)
    {
        try
        {
            (_pages, _cycle) = Scan();
            if (_pages == 0)
            {
                _cycle = NewCycle(0);
            }
            else if (File.Length > _pages * RecordSize)
            {
                // The round goes on in its cycle, so records of it past its end (written, never fsynced, by a commit
                // that was never acknowledged: a torn record ended the scan before them) must never follow on again.
                File.SetLength(_pages * RecordSize);
                Flush();
            }
            else
            {
                // The round's records may be in the OS's cache only: the engine reopens the file in the middle of a
                // round after a failure, before that round's fsync. So the first fsync covers them, and a read that
                // finds them waits for it.
                Written();
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The bytes the file holds (records of earlier rounds too); LiteDB sees <see cref="Length"/>.</summary>
    public long PhysicalLength => File.Length;

    public override long Length => _pages * PageSize;

    public override long Position
    {
        get => _position;
        set => _position = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => _position + offset,
        SeekOrigin.End => Length + offset,
        _ => throw new ArgumentOutOfRangeException(nameof(origin)),
    };

    public override int Read(byte[] buffer, int offset, int count)
    {
        ThrowIfFailed();
        var read = 0;
        while (read < count && _position < Length)
        {
            var page = _position / PageSize;
            var within = (int)(_position % PageSize);
            var length = Math.Min(count - read, PageSize - within);
            var gatheredFrom = _pages - _gathered;
            var got = page >= gatheredFrom
                ? Copy(_gather.AsSpan((int)((page - gatheredFrom) * RecordSize) + HeaderSize + within, length), buffer.AsSpan(offset + read, length))
                : RandomAccess.Read(Handle, buffer.AsSpan(offset + read, length), (page * RecordSize) + HeaderSize + within);
            if (got <= 0)
            {
                break;
            }

            read += got;
            _position += got;
        }

        return read;
    }

    private static int Copy(ReadOnlySpan<byte> from, Span<byte> to)
    {
        from.CopyTo(to);
        return from.Length;
    }

    /// <summary>Appends whole pages (LiteDB only ever appends to its log), each as one record, gathered until <see cref="WritePending"/>; anything else is refused as a failing file would be.</summary>
    public override void Write(byte[] buffer, int offset, int count)
    {
        ThrowIfFailed();
        if (_position != Length || count % PageSize != 0)
        {
            throw new IOException($"The journal takes whole {PageSize}-byte pages appended at its end (asked: {count} bytes at {_position} of {Length}).");
        }

        for (var at = 0; at < count; at += PageSize)
        {
            if ((_gathered + 1) * RecordSize > _gather.Length)
            {
                Array.Resize(ref _gather, _gather.Length * 2);
            }

            var record = _gather.AsSpan(_gathered * RecordSize, RecordSize);
            BinaryPrimitives.WriteUInt32LittleEndian(record, Magic);
            BinaryPrimitives.WriteUInt32LittleEndian(record[4..], checked((uint)_pages));
            BinaryPrimitives.WriteUInt64LittleEndian(record[8..], _cycle);
            buffer.AsSpan(offset + at, PageSize).CopyTo(record[HeaderSize..]);
            BinaryPrimitives.WriteUInt32LittleEndian(record[16..], Checksum(record));
            _gathered++;
            _pages++;
            _position += PageSize;
            if (_gathered * RecordSize >= MaxGatheredBytes)
            {
                WritePending();
            }
        }
    }

    /// <summary>Whether records are gathered that are not in the file yet.</summary>
    public bool HasPending => _gathered > 0;

    /// <summary>Writes the gathered records to the file in one call (on the thread that writes, never beside it).</summary>
    public void WritePending()
    {
        if (_gathered == 0)
        {
            return;
        }

        ThrowIfFailed();
        try
        {
            WillWrite();
            RandomAccess.Write(Handle, _gather.AsSpan(0, _gathered * RecordSize), (_pages - _gathered) * RecordSize);
        }
        catch (Exception e)
        {
            // LiteDB already counts these pages as its log (its commit returned): their slots in the file may hold an
            // earlier round's records, which a checkpoint would copy into the data file as this round's. So the
            // journal serves nothing more, and the data file's write-ahead rule (an fsync of the journal) fails too,
            // until the engine opens the file again and reads back what is on disk.
            WriteFailed(e);
            throw;
        }
        finally
        {
            _gathered = 0;
        }

        Written();
    }

    private void ThrowIfFailed()
    {
        if (SyncFailure is { } failed)
        {
            throw new IOException($"A write or fsync of {Path} failed: the journal is read from the disk again when the store reopens.", failed);
        }
    }

    /// <summary>An fsync of everything LiteDB wrote, gathered records too.</summary>
    public override void Flush()
    {
        WritePending();
        base.Flush();
    }

    /// <summary>
    /// LiteDB empties its log after a checkpoint: a new cycle begins, and the first record's header is blanked so the
    /// round just copied is not read again at the next open (were the blank lost in a crash, that round would be copied
    /// again, page for page as the data file already holds it). Only emptying is supported: LiteDB asks for nothing else.
    /// </summary>
    public override void SetLength(long value)
    {
        ThrowIfFailed();
        if (value == Length)
        {
            return;
        }

        if (value != 0)
        {
            throw new IOException($"The journal can only be emptied (asked: length {value}).");
        }

        // As before gathering: the round's records are in the file when its first header is blanked.
        WritePending();

        if (File.Length >= HeaderSize)
        {
            WillWrite();
            RandomAccess.Write(Handle, BlankHeader, 0);
            Written();
        }

        _pages = 0;
        _position = 0;
        _cycle = NewCycle(_cycle);
    }

    /// <summary>The records of the round the file ends with: how many, and their cycle.</summary>
    private (long Pages, ulong Cycle) Scan()
    {
        var physical = File.Length;
        ulong cycle = 0;
        long pages = 0;
        while ((pages + 1) * RecordSize <= physical)
        {
            if (RandomAccess.Read(Handle, _record, pages * RecordSize) != RecordSize || !IsRecord(_record, pages, pages == 0 ? null : cycle))
            {
                break;
            }

            cycle = BinaryPrimitives.ReadUInt64LittleEndian(_record.AsSpan(8));
            pages++;
        }

        return (pages, cycle);
    }

    /// <summary>Whether <paramref name="record"/> is whole and is page <paramref name="index"/> of <paramref name="cycle"/> (any, for the first).</summary>
    internal static bool IsRecord(ReadOnlySpan<byte> record, long index, ulong? cycle) =>
        BinaryPrimitives.ReadUInt32LittleEndian(record) == Magic
        && BinaryPrimitives.ReadUInt32LittleEndian(record[4..]) == index
        && (cycle is not { } expected || BinaryPrimitives.ReadUInt64LittleEndian(record[8..]) == expected)
        && BinaryPrimitives.ReadUInt32LittleEndian(record[16..]) == Checksum(record);

    /// <summary>CRC-32C of the record's place (index and cycle) and of its page.</summary>
    private static uint Checksum(ReadOnlySpan<byte> record)
    {
        var crc = BitOperations.Crc32C(uint.MaxValue, BinaryPrimitives.ReadUInt32LittleEndian(record[4..]));
        crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(record[8..]));
        foreach (var word in MemoryMarshal.Cast<byte, ulong>(record.Slice(HeaderSize, PageSize)))
        {
            crc = BitOperations.Crc32C(crc, word);
        }

        return ~crc;
    }

    /// <summary>A random cycle, never 0 and never the one before: records of an earlier round cannot pass for this one's.</summary>
    private static ulong NewCycle(ulong previous)
    {
        Span<byte> bytes = stackalloc byte[8];
        ulong cycle;
        do
        {
            RandomNumberGenerator.Fill(bytes);
            cycle = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        }
        while (cycle == 0 || cycle == previous);

        return cycle;
    }
}
