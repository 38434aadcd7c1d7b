using BenchmarkDotNet.Attributes;
using IncidentBot.Core.Commands;
using IncidentBot.Core.Incidents;

namespace IncidentBot.Benchmarks;

/// <summary>Command parsing: the target is at least 1,000,000 parses per second on one thread.</summary>
[MemoryDiagnoser]
public class ParserBenchmarks
{
    [Benchmark]
    public Command Declare() => CommandParser.Parse("declare Checkout errors in EU sev2 type:deployment");

    [Benchmark]
    public Command Note() => CommandParser.Parse("note Rolled back the 14:02 deploy, error rate falling");

    /// <summary>The mention as the Slack adapter resolved it (Core knows no platform's mention syntax).</summary>
    private static readonly Mention[] Ada = [new("<@U024BE7LH|ada>", new Person("U024BE7LH", "ada"))];

    [Benchmark]
    public Command LeadWithSlackMention() => CommandParser.Parse("lead <@U024BE7LH|ada>", Ada);

    [Benchmark]
    public Command Status() => CommandParser.Parse("status");
}
