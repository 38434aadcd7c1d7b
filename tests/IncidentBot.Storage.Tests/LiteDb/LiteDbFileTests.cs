using IncidentBot.Core.Incidents;
using IncidentBot.Core.Timeline;
using IncidentBot.Storage.LiteDb;
using LiteDB;
using LiteDB.Engine;
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

    /// <summary>
    /// Opens a closed store's file with LiteDB itself (its log beside it, named as LiteDB names it), as a file made by an
    /// older store or read behind the store's back; checkpointed afterwards.
    /// </summary>
    protected static T WithRawFile<T>(string file, Func<LiteDatabase, T> use)
    {
        var log = Path.Combine(Path.GetDirectoryName(file)!, Path.GetFileNameWithoutExtension(file) + "-log" + Path.GetExtension(file));
        using var data = new FileStream(file, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        using var logStream = new FileStream(log, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        using var db = new LiteDatabase(new LiteEngine(new EngineSettings { DataStream = data, LogStream = logStream }));
        var result = use(db);
        db.Checkpoint();
        return result;
    }

    protected static void WithRawFile(string file, Action<LiteDatabase> change) => WithRawFile(file, db =>
    {
        change(db);
        return true;
    });

    /// <summary>Turns a closed store's file into the layout the store wrote before: keys on each entry, two indexes on them, no sources.</summary>
    protected static void ToLayoutBeforeSources(string file) => WithRawFile(file, db =>
    {
        var timeline = db.GetCollection("timeline");
        foreach (var entry in timeline.FindAll().ToList())
        {
            var source = entry["source_ref"];
            entry["source_key"] = source.IsNull ? BsonValue.Null : $"{entry["incident_id"].AsInt64}\u001f{source.AsString}";
            entry["source_ref_key"] = source;
            timeline.Update(entry);
        }

        timeline.EnsureIndex("source_key", "$.source_key");
        timeline.EnsureIndex("source_ref_key", "$.source_ref_key");
        db.DropCollection("timeline_sources");
    });
}
