using BenchmarkDotNet.Attributes;
using IncidentBot.Core.Commands;

namespace IncidentBot.Benchmarks;

/// <summary>Command parsing: the target is at least 1,000,000 parses per second on one thread.</summary>
[MemoryDiagnoser]
public class ParserBenchmarks
{
    [Benchmark]
    public Command Declare() => CommandParser.Parse("declare Checkout errors in EU sev2 type:deployment");

    [Benchmark]
    public Command Note() => CommandParser.Parse("note Rolled back the 14:02 deploy, error rate falling");

    [Benchmark]
    public Command LeadWithSlackMention() => CommandParser.Parse("lead <@U024BE7LH|ada>");

    [Benchmark]
    public Command Status() => CommandParser.Parse("status");
}
