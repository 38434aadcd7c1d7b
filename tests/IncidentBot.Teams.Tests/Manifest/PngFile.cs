using System.Buffers.Binary;
using System.IO.Compression;

namespace IncidentBot.Teams.Tests.Manifest;

/// <summary>Just enough PNG reading to check the icons: the IHDR header and, for 8-bit RGBA, the pixels.</summary>
internal sealed record PngFile(int Width, int Height, int BitDepth, int ColourType, byte[] Idat)
{
    public static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    public static PngFile Read(byte[] bytes)
    {
        if (!bytes.AsSpan(0, 8).SequenceEqual(Signature))
        {
            throw new InvalidDataException("not a PNG: bad signature");
        }

        int width = 0, height = 0, depth = 0, colour = -1;
        using var idat = new MemoryStream();
        for (var at = 8; at + 8 <= bytes.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(at));
            var kind = System.Text.Encoding.ASCII.GetString(bytes, at + 4, 4);
            var data = bytes.AsSpan(at + 8, length);
            if (kind == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                depth = data[8];
                colour = data[9];
            }
            else if (kind == "IDAT")
            {
                idat.Write(data);
            }

            at += 12 + length;
        }

        return new PngFile(width, height, depth, colour, idat.ToArray());
    }

    /// <summary>The RGBA pixels, row by row, for 8-bit colour type 6 (non-interlaced); undoes the five PNG filters.</summary>
    public byte[][] RgbaRows()
    {
        if (BitDepth != 8 || ColourType != 6)
        {
            throw new NotSupportedException($"only 8-bit RGBA, not depth {BitDepth} colour type {ColourType}");
        }

        using var inflated = new MemoryStream();
        using (var z = new ZLibStream(new MemoryStream(Idat), CompressionMode.Decompress))
        {
            z.CopyTo(inflated);
        }

        var raw = inflated.ToArray();
        var stride = Width * 4;
        var rows = new byte[Height][];
        var previous = new byte[stride];
        for (var y = 0; y < Height; y++)
        {
            var filter = raw[y * (stride + 1)];
            var row = raw.AsSpan(y * (stride + 1) + 1, stride).ToArray();
            for (var i = 0; i < stride; i++)
            {
                int left = i >= 4 ? row[i - 4] : 0, up = previous[i], upLeft = i >= 4 ? previous[i - 4] : 0;
                row[i] = (byte)(row[i] + filter switch
                {
                    0 => 0,
                    1 => left,
                    2 => up,
                    3 => (left + up) / 2,
                    4 => Paeth(left, up, upLeft),
                    _ => throw new InvalidDataException($"bad filter {filter}"),
                });
            }

            rows[y] = row;
            previous = row;
        }

        return rows;
    }

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
