using System.Reflection;
using IncidentBot.Core.Ports;
using IncidentBot.Testing;
using Microsoft.Data.Sqlite;

namespace IncidentBot.Host.Tests.Sandbox;

/// <summary>
/// The store as the sandbox adapter sees it, failing on demand as a busy SQLite file does (SQLITE_BUSY after its
/// timeout): the sandbox's one transient failure, since its "platform" is the store. The calls are counted across
/// every method, like the fakes of Slack and Teams count theirs.
/// </summary>
#pragma warning disable CA1852 // DispatchProxy derives its proxy type from this class: it cannot be sealed.
internal class FlakyStore : DispatchProxy
#pragma warning restore CA1852
{
    private const int SqliteBusy = 5;
    private static readonly MethodInfo FromException = typeof(Task).GetMethod(nameof(Task.FromException), 1, [typeof(Exception)])!;

    private IIncidentStore _inner = null!;

    public CallFaults<Exception> Faults { get; } = new();

    public static (IIncidentStore Store, FlakyStore Faults) Over(IIncidentStore inner)
    {
        var store = Create<IIncidentStore, FlakyStore>();
        var flaky = (FlakyStore)(object)store;
        flaky._inner = inner;
        return (store, flaky);
    }

    public void Arm(int after, int count) => Faults.Arm(after, count, new SqliteException("database is locked", SqliteBusy));

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        var method = targetMethod!;
        if (typeof(Task).IsAssignableFrom(method.ReturnType) && Faults.Next() is { } fault)
        {
            return method.ReturnType == typeof(Task)
                ? Task.FromException(fault)
                : FromException.MakeGenericMethod(method.ReturnType.GetGenericArguments()[0]).Invoke(null, [fault]);
        }

        try
        {
            return method.Invoke(_inner, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }
}
