using BenchmarkDotNet.Running;
using IncidentBot.Benchmarks;

if (args is ["paired", ..])
{
    PairedFloorRun.Run(args);
}
else
{
    BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
