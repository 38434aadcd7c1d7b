using System.Diagnostics;
using System.Globalization;

namespace IncidentBot.Benchmarks;

/// <summary>
/// The use case beside its store's floor, measured in pairs: one floor commit and one status update, alternately (the
/// order switching each pair), thousands of times, in one process. BenchmarkDotNet measures the floor for a while and
/// then the use case; on a machine whose disk latency drifts over minutes (a VM's fsync), the two then see different
/// disks and their ratio moves by a third from run to run. In pairs both see the same moment, so the drift cancels.
/// Run: <c>dotnet run -c Release -- paired [pairs] [store]</c> (PostgreSQL when INCIDENTBOT_TEST_POSTGRES is set).
/// </summary>
public static class PairedFloorRun
{
    private sealed record Subject(string Store, Action Setup, Action Floor, Action UseCase, Action Cleanup);

    public static void Run(string[] args)
    {
        var pairs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3000;
        var sqlite = new StoreBenchmarks();
        var lite = new LiteDbStoreBenchmarks();
        var subjects = new List<Subject>
        {
            new("SQLite", sqlite.Setup, sqlite.RawInsertTransaction, () => sqlite.StatusUpdateUseCase().GetAwaiter().GetResult(), sqlite.Cleanup),
            new("LiteDB", lite.Setup, lite.RawInsertTransaction, () => lite.StatusUpdateUseCase().GetAwaiter().GetResult(), lite.Cleanup),
        };
        if (Environment.GetEnvironmentVariable("INCIDENTBOT_TEST_POSTGRES") is not null)
        {
            var postgres = new PostgresStoreBenchmarks();
            subjects.Add(new("PostgreSQL", postgres.Setup, postgres.RawInsertTransaction, () => postgres.StatusUpdateUseCase().GetAwaiter().GetResult(), postgres.Cleanup));
        }

        Console.WriteLine($"| store | pairs | floor median | use case median | use case / floor (medians) | floor mean | use case mean | use case / floor (means) | target use case at >= 50% of floor |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        var only = args.Length > 2 ? args[2] : null;
        foreach (var subject in subjects.Where(s => only is null || s.Store.Equals(only, StringComparison.OrdinalIgnoreCase)))
        {
            subject.Setup();
            try
            {
                // As many pairs again to warm up: the runtime's tiered compiler with profile-guided optimisation reaches
                // its final code for the use case only after thousands of calls, and a shorter warm-up (a fifth of
                // the pairs, as this run had before) measured the use case still part-way there, at 2.0-2.1 times
                // the floor where a fully warmed process measures 1.6-1.7 on the same disk.
                Measure(subject, pairs);
                var (floor, useCase) = Measure(subject, pairs);
                double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
                var medianRatio = Median(useCase) / Median(floor);
                var meanRatio = useCase.Average() / floor.Average();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {subject.Store} | {pairs} | {Median(floor):F1} us | {Median(useCase):F1} us | {medianRatio:F2} ({100 / medianRatio:F0}%) | {floor.Average():F1} us | {useCase.Average():F1} us | {meanRatio:F2} ({100 / meanRatio:F0}%) | {(medianRatio <= 2 ? "met" : "not met")} |"));
            }
            finally
            {
                subject.Cleanup();
            }
        }
    }

    private static (List<double> Floor, List<double> UseCase) Measure(Subject subject, int pairs)
    {
        var floor = new List<double>(pairs);
        var useCase = new List<double>(pairs);
        for (var i = 0; i < pairs; i++)
        {
            if (i % 2 == 0)
            {
                floor.Add(Time(subject.Floor));
                useCase.Add(Time(subject.UseCase));
            }
            else
            {
                useCase.Add(Time(subject.UseCase));
                floor.Add(Time(subject.Floor));
            }
        }

        return (floor, useCase);
    }

    private static double Time(Action action)
    {
        var started = Stopwatch.GetTimestamp();
        action();
        return Stopwatch.GetElapsedTime(started).TotalMicroseconds;
    }
}
