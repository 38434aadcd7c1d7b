using System.Reflection;
using IncidentBot.Testing;

namespace IncidentBot.Host.Tests.Repository;

/// <summary>A plain clone runs every test: nothing under src/ or tests/ reaches outside the repository root.</summary>
public sealed class RepositoryStandsAloneTests
{
    // Built from parts so that this file does not match itself.
    private const string Up = "..";
    private const string Sibling = "shared";

    private static readonly string[] OutsidePatterns =
    [
        $"\"{Up}\", \"{Sibling}\"",
        $"{Up}/{Sibling}",
        $"{Up}\\\\{Sibling}",
        $"{Up}\\{Sibling}",
        $"Root, \"{Up}\"",
    ];

    private static IEnumerable<string> SourceFiles() =>
        new[] { "src", "tests" }
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, folder), "*.*", SearchOption.AllDirectories))
            .Where(path => path.EndsWith(".cs", StringComparison.Ordinal) || path.EndsWith(".csproj", StringComparison.Ordinal))
            .Where(path => !Path.GetRelativePath(RepoPaths.Root, path).Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"));

    [Test]
    public void SourceFiles_NoneNamesAPathBesideTheRepository()
    {
        var offenders = SourceFiles()
            .SelectMany(path => File.ReadLines(path).Select((line, index) => (path, line, index)))
            .Where(hit => OutsidePatterns.Any(pattern => hit.line.Contains(pattern, StringComparison.Ordinal)))
            .Select(hit => $"{Path.GetRelativePath(RepoPaths.Root, hit.path)}:{hit.index + 1}: {hit.line.Trim()}")
            .ToList();

        Assert.That(SourceFiles().Count(), Is.GreaterThan(100), "the scan sees the source tree");
        Assert.That(offenders, Is.Empty);
    }

    [Test]
    public void RepoPaths_EveryPathItOffers_IsUnderTheRoot()
    {
        var paths = typeof(RepoPaths).GetProperties(BindingFlags.Public | BindingFlags.Static)
            .Where(p => p.PropertyType == typeof(string))
            .Select(p => (p.Name, Path: Path.GetFullPath((string)p.GetValue(null)!)))
            .ToList();

        Assert.That(paths, Is.Not.Empty);
        Assert.That(paths.Where(p => p.Path != RepoPaths.Root && !p.Path.StartsWith(RepoPaths.Root + Path.DirectorySeparatorChar, StringComparison.Ordinal)), Is.Empty);
        Assert.That(RepoPaths.Fixture("teams", "MicrosoftTeams.schema.v1.29.json"), Does.StartWith(Path.Combine(RepoPaths.Root, "tests", "fixtures")).And.Matches<string>(File.Exists));
    }

    [TestCase("..", "..", "..", "elsewhere")]
    [TestCase("..")]
    [TestCase("/etc/passwd")]
    public void Fixture_PathLeavingTheFixtures_Throws(params string[] parts) =>
        Assert.That(() => RepoPaths.Fixture(parts), Throws.ArgumentException);
}
