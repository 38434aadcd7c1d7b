using System.Globalization;
using IncidentBot.Core.Ports;

namespace IncidentBot.Storage.Transfer;

/// <summary>
/// <c>migrate-store</c>: copies everything from one store into an empty one while the bot is stopped, prints rows per
/// table on both sides, and fails when they differ.
/// </summary>
public static class StoreMigration
{
    public const int Copied = 0;
    public const int CountsDiffer = 1;
    public const int TargetNotEmpty = 4;

    public static async Task<int> RunAsync(string fromProvider, string fromConnection, string toProvider, string toConnection, TimeProvider clock, TextWriter output, CancellationToken cancellationToken)
    {
        var source = StoreProviders.Create(fromProvider, fromConnection, clock);
        try
        {
            var target = StoreProviders.Create(toProvider, toConnection, clock);
            try
            {
                return await CopyAsync(source, target, output, cancellationToken);
            }
            finally
            {
                await StoreProviders.DisposeAsync(target);
            }
        }
        finally
        {
            await StoreProviders.DisposeAsync(source);
        }
    }

    public static async Task<int> CopyAsync(IIncidentStore source, IIncidentStore target, TextWriter output, CancellationToken cancellationToken)
    {
        await StoreProviders.MigrateAsync(source, cancellationToken);
        await StoreProviders.MigrateAsync(target, cancellationToken);
        var snapshot = await Transfer(source).ExportAsync(cancellationToken);
        try
        {
            await Transfer(target).ImportAsync(snapshot, cancellationToken);
        }
        catch (StoreNotEmptyException e)
        {
            await output.WriteLineAsync(e.Message);
            return TargetNotEmpty;
        }

        var copied = (await Transfer(target).ExportAsync(cancellationToken)).Counts();
        var counts = snapshot.Counts();
        var width = counts.Max(c => c.Table.Length);
        var differ = false;
        await output.WriteLineAsync($"{"table".PadRight(width)} {"source",10} {"target",10}");
        foreach (var ((table, from), (_, to)) in counts.Zip(copied))
        {
            differ |= from != to;
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{table.PadRight(width)} {from,10} {to,10}{(from == to ? "" : "  DIFFERS")}"));
        }

        return differ ? CountsDiffer : Copied;
    }

    private static IStoreTransfer Transfer(IIncidentStore store) =>
        store as IStoreTransfer ?? throw new NotSupportedException($"{store.GetType().Name} cannot export or import.");
}
