using IncidentBot.Core.Incidents;
using IncidentBot.Core.Timeline;
using IncidentBot.Storage.LiteDb;
using Microsoft.Extensions.Time.Testing;
using IncidentBot.Testing;

namespace IncidentBot.Storage.Tests.LiteDb;

/// <summary>What the LiteDB store's own tests share: a LiteDB file in a temp folder of each test's own, a manual clock, drafts.</summary>
public abstract class LiteDbFileTests
{
    protected static readonly Person Ada = new("U1", "Ada");

    private string _folder = "";

    protected FakeTimeProvider Clock { get; } = TestClock.Create();

    protected string Folder => _folder;

    protected string Filename => Path.Combine(_folder, "bot.litedb");

    [SetUp]
    public void CreateFolder() => _folder = Path.Combine(Path.GetTempPath(), "incidentbot-tests", Guid.NewGuid().ToString("N"));

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    /// <summary>A store on this test's file, opened (migrated).</summary>
    protected async Task<LiteDbIncidentStore> OpenAsync()
    {
        var store = new LiteDbIncidentStore($"Filename={Filename}", Clock);
        await store.MigrateAsync(CancellationToken.None);
        return store;
    }

    protected Incident Draft() => Contract.IncidentStoreContract.NewDraft(Clock.GetUtcNow());

    protected TimelineEntry Entry(string text) => new() { At = Clock.GetUtcNow(), Kind = TimelineKind.Note, Actor = Ada, Text = text };
}
