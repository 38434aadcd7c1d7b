using IncidentBot.Core.Ports;
using IncidentBot.Storage.LiteDb;
using IncidentBot.Storage.Tests.Contract;

namespace IncidentBot.Storage.Tests.LiteDb;

/// <summary>The store contract on a real LiteDB file.</summary>
public sealed class LiteDbIncidentStoreTests : IncidentStoreContract
{
    private string _folder = "";

    private LiteDbIncidentStore Live => (LiteDbIncidentStore)Store;

    private string Filename => Path.Combine(_folder, "nested", "bot.litedb");

    protected override async Task<IIncidentStore> CreateStoreAsync()
    {
        _folder = Path.Combine(Path.GetTempPath(), "incidentbot-tests", Guid.NewGuid().ToString("N"));
        var store = new LiteDbIncidentStore($"Filename={Filename}", Clock);
        await store.MigrateAsync(CancellationToken.None);
        return store;
    }

    /// <summary>A second store in this process shares the file's one engine (another process could not open it).</summary>
    protected override IIncidentStore CreateSecondStore() => new LiteDbIncidentStore($"Filename={Filename}", Clock);

    protected override Task DisposeStoreAsync()
    {
        (Store as IDisposable)?.Dispose();
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }
}
