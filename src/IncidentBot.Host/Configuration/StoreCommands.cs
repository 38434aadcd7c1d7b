using IncidentBot.Storage;
using IncidentBot.Storage.LiteDb;
using IncidentBot.Storage.Transfer;

namespace IncidentBot.Host.Configuration;

/// <summary>The host's store commands, run instead of the web host: <c>migrate-store</c> and <c>backup</c>.</summary>
internal static class StoreCommands
{
    private const int Usage = 64;

    /// <summary><c>migrate-store --from P --from-connection CS --to P --to-connection CS</c>, while the bot is stopped.</summary>
    public static async Task<int> MigrateAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Count; i += 2)
        {
            options[args[i]] = args[i + 1];
        }

        if (args.Count != 8 || !options.TryGetValue("--from", out var from) || !options.TryGetValue("--from-connection", out var fromConnection)
            || !options.TryGetValue("--to", out var to) || !options.TryGetValue("--to-connection", out var toConnection)
            || !StoreProviders.Names.Contains(from) || !StoreProviders.Names.Contains(to))
        {
            await error.WriteLineAsync($"usage: migrate-store --from <{string.Join('|', StoreProviders.Names)}> --from-connection <cs> --to <provider> --to-connection <cs>");
            return Usage;
        }

        try
        {
            return await StoreMigration.RunAsync(from, fromConnection, to, toConnection, TimeProvider.System, output, CancellationToken.None);
        }
        catch (LiteDbFileInUseException e)
        {
            await error.WriteLineAsync($"Storage error: {e.Message} Stop the bot before migrating.");
            return 3;
        }
    }

    /// <summary><c>backup &lt;path&gt;</c>: a consistent copy of the configured embedded store.</summary>
    public static async Task<int> BackupAsync(string path, IConfiguration configuration, TextWriter output, TextWriter error)
    {
        var options = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        if (options.EffectiveProvider == StorageOptions.Postgres)
        {
            await error.WriteLineAsync("backup copies the embedded stores; back PostgreSQL up with pg_dump.");
            return Usage;
        }

        // The bot's own start-up checks first: a backup must not create an empty store beside the one holding the data.
        if (new StorageOptionsValidator().Validate(null, options) is { Failed: true } invalid)
        {
            await error.WriteLineAsync($"Configuration error: {invalid.FailureMessage}");
            return 2;
        }

        try
        {
            var store = StoreProviders.Create(options.EffectiveProvider, options.EffectiveConnectionString, TimeProvider.System);
            try
            {
                await StoreProviders.MigrateAsync(store, CancellationToken.None);
                await ((IStoreTransfer)store).BackupAsync(path, CancellationToken.None);
                await output.WriteLineAsync($"Backed up {StoreProviders.Location(store, options.EffectiveConnectionString)} to {Path.GetFullPath(path)}");
                return 0;
            }
            finally
            {
                await StoreProviders.DisposeAsync(store);
            }
        }
        catch (LiteDbFileInUseException e)
        {
            // The running bot holds a LiteDB file: only it can take the copy (see POST /api/store/backup).
            await error.WriteLineAsync($"Storage error: {e.Message} While the bot runs, ask it: POST /api/store/backup.");
            return 3;
        }
        catch (IOException e)
        {
            await error.WriteLineAsync($"Backup failed: {e.Message}");
            return 1;
        }
    }
}
