using System.Text.RegularExpressions;

namespace IncidentBot.Core.Tests.Messaging;

/// <summary>
/// Core's text belongs to no platform: no Slack mrkdwn (<c>*bold*</c>, <c>&lt;@U..&gt;</c>, <c>:emoji:</c> codes),
/// no Teams <c>&lt;at&gt;</c>, no platform's links or names. Each renderer owns its markup.
/// </summary>
public sealed partial class CoreTextIsNeutralTests
{
    [Test]
    public void CoreSources_StringLiterals_HoldNoPlatformMarkup()
    {
        var core = Path.Combine(Root(), "src", "IncidentBot.Core");
        var offenders = new List<string>();
        // The postmortem is a Markdown document by design (downloaded, rendered on every platform alike): its writer escapes for Markdown.
        var markdownDocument = Path.Combine(core, "Postmortems", "PostmortemWriter.cs");
        foreach (var file in Directory.EnumerateFiles(core, "*.cs", SearchOption.AllDirectories)
                     .Where(f => f != markdownDocument && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                var code = lines[i].TrimStart();
                if (code.StartsWith("//", StringComparison.Ordinal))
                {
                    continue;
                }

                foreach (Match literal in StringLiteral().Matches(code))
                {
                    if (PlatformMarkup().IsMatch(literal.Value))
                    {
                        offenders.Add($"{Path.GetRelativePath(core, file)}:{i + 1}: {literal.Value}");
                    }
                }
            }
        }

        Assert.That(offenders, Is.Empty);
    }

    [TestCase("\"INC-1 is now *Resolved*\"")]
    [TestCase("\":rotating_light: declared\"")]
    [TestCase("\"use `list` to find it\"")]
    [TestCase("\"<at>Ada</at>\"")]
    [TestCase("\"<@U123>\"")]
    [TestCase("\"https://slack.com/app_redirect\"")]
    public void PlatformMarkup_KnownForms_AreCaught(string literal) => Assert.That(PlatformMarkup().IsMatch(literal), Is.True);

    private static string Root()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "IncidentBot.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new DirectoryNotFoundException("IncidentBot.sln not found above the test binaries.");
    }

    [GeneratedRegex("\\$?@?\"(?:[^\"\\\\]|\\\\.)*\"")]
    private static partial Regex StringLiteral();

    // Bold between stars around a word, an emoji code, a backtick, Teams' or Slack's mention syntax, a platform's host.
    [GeneratedRegex(@"(?<![*\w])\*[^*\s][^*]*\*(?![*\w])|(?<![\w}:]):[a-z][a-z0-9_+\-]*:(?![\w{])|`|<at>|<@|<#|slack\.com|teams\.microsoft\.com", RegexOptions.IgnoreCase)]
    private static partial Regex PlatformMarkup();
}
