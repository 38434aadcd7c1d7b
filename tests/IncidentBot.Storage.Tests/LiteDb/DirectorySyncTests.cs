using IncidentBot.Storage.LiteDb;

namespace IncidentBot.Storage.Tests.LiteDb;

/// <summary>The folder fsync after the collation copy's moves: it really opens the folder, and says so when it cannot.</summary>
public sealed class DirectorySyncTests
{
    [Test]
    public void Flush_AFolderWithAFileJustMovedIn_Succeeds()
    {
        var folder = Directory.CreateTempSubdirectory("incidentbot-dirsync").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "a"), "x");
            File.Move(Path.Combine(folder, "a"), Path.Combine(folder, "b"));
            Assert.DoesNotThrow(() => DirectorySync.Flush(folder));
            Assert.That(File.Exists(Path.Combine(folder, "b")), Is.True);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public void Flush_AFolderThatIsNotThere_FailsNamingIt()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Ignore("Windows has no folder fsync; the store skips it there.");
        }

        var missing = Path.Combine(Path.GetTempPath(), "incidentbot-dirsync-missing-" + Guid.NewGuid().ToString("N"));
        var failure = Assert.Throws<IOException>(() => DirectorySync.Flush(missing));
        Assert.That(failure!.Message, Does.Contain(missing));
    }
}
