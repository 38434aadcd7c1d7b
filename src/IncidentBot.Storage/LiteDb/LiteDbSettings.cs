using System.Globalization;

namespace IncidentBot.Storage.LiteDb;

/// <summary>What a LiteDB connection string says: <c>Filename=data/incidentbot.litedb;Checkpoint=1000</c>.</summary>
public sealed record LiteDbSettings(string Filename, int CheckpointPages)
{
    /// <summary>LiteDB's own bound: the log is copied into the data file once it holds this many 8 KiB pages.</summary>
    public const int DefaultCheckpointPages = 1000;

    /// <summary>
    /// Reads <c>Filename=</c> (LiteDB's own key; a bare path also does) and optionally <c>Checkpoint=</c> pages. SQLite's
    /// <c>Data Source=</c> is refused, so a store switched to LiteDB never opens a SQLite file as its own.
    /// </summary>
    public static LiteDbSettings Parse(string connectionString)
    {
        string? filename = null;
        var checkpoint = DefaultCheckpointPages;
        var parts = connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var part in parts)
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            var key = equals > 0 ? part[..equals].Trim() : "";
            var value = equals > 0 ? part[(equals + 1)..].Trim() : part;
            if (equals < 0 && parts.Length == 1)
            {
                filename = value;
            }
            else if (key.Equals("Filename", StringComparison.OrdinalIgnoreCase))
            {
                filename = value;
            }
            else if (key.Equals("Checkpoint", StringComparison.OrdinalIgnoreCase) && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var pages) && pages > 0)
            {
                checkpoint = pages;
            }
            else
            {
                throw new ArgumentException($"'{key}' is not a key of a LiteDB connection string here: Filename=data/incidentbot.litedb[;Checkpoint=pages].", nameof(connectionString));
            }
        }

        return string.IsNullOrWhiteSpace(filename)
            ? throw new ArgumentException("A LiteDB connection string names its file: Filename=data/incidentbot.litedb", nameof(connectionString))
            : new LiteDbSettings(filename, checkpoint);
    }
}
