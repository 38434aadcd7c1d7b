using System.Diagnostics;
using System.Threading.Channels;

namespace IncidentBot.Storage.Tests.LiteDb;

/// <summary>The LiteDB store in a second process (IncidentBot.Storage.Child), its output read line by line, killable with SIGKILL.</summary>
internal sealed class ChildStore : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly List<string> _errors = [];

    private ChildStore(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                _lines.Writer.TryComplete();
            }
            else
            {
                _lines.Writer.TryWrite(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_errors)
                {
                    _errors.Add(e.Data);
                }
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Errors
    {
        get
        {
            lock (_errors)
            {
                return string.Join('\n', _errors);
            }
        }
    }

    /// <summary>Starts <c>IncidentBot.Storage.Child</c> with <paramref name="args"/>, optionally under <paramref name="wrapper"/> (e.g. strace and its options).</summary>
    public static ChildStore Start(IEnumerable<string> args, IEnumerable<string>? wrapper = null)
    {
        var child = Path.Combine(AppContext.BaseDirectory, "IncidentBot.Storage.Child.dll");
        var command = (wrapper ?? []).Concat(["dotnet", child]).Concat(args).ToList();
        var start = new ProcessStartInfo(command[0], command.Skip(1))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        return new ChildStore(Process.Start(start)!);
    }

    /// <summary>The next line the child printed, or null when it ended or <paramref name="timeout"/> passed first.</summary>
    public async Task<string?> ReadLineAsync(TimeSpan timeout)
    {
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            return await _lines.Reader.ReadAsync(limit.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
        {
            return null;
        }
    }

    /// <summary>Every line the child printed so far, without waiting.</summary>
    public List<string> Drain()
    {
        var lines = new List<string>();
        while (_lines.Reader.TryRead(out var line))
        {
            lines.Add(line);
        }

        return lines;
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var limit = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(limit.Token);
        return _process.ExitCode;
    }

    /// <summary>Closes the child's stdin: a holding child then closes its store and exits.</summary>
    public void CloseInput() => _process.StandardInput.Close();

    /// <summary>SIGKILL: no shutdown, no flush, no checkpoint.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }
}
