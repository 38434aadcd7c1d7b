namespace IncidentBot.Testing;

/// <summary>Finds the repository root and the committed test fixtures inside it.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The tests/fixtures folder: platform samples and schemas, with their sources in its README.</summary>
    public static string Fixtures { get; } = Path.Combine(Root, "tests", "fixtures");

    /// <summary>A file or folder under tests/fixtures; a path that would leave it is refused.</summary>
    public static string Fixture(params string[] parts)
    {
        var path = Path.GetFullPath(Path.Combine([Fixtures, .. parts]));
        return path.StartsWith(Fixtures + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? path
            : throw new ArgumentException($"'{Path.Combine(parts)}' is not under tests/fixtures.", nameof(parts));
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "IncidentBot.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new DirectoryNotFoundException("IncidentBot.sln not found above the test binaries.");
    }
}
