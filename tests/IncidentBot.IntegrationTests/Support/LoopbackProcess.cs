using System.Diagnostics;
using IncidentBot.Testing;

namespace IncidentBot.IntegrationTests.Support;

/// <summary>
/// A program of the machine's (Prometheus, Alertmanager) run for one test on a free loopback port with a temporary
/// folder: started, waited for until <c>/-/ready</c> answers, killed and its folder removed at the end.
/// </summary>
internal abstract class LoopbackProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _folder;

    protected LoopbackProcess(Process process, string folder, int port)
    {
        _process = process;
        _folder = folder;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(5) };
    }

    protected HttpClient Client { get; }

    /// <summary>A temporary folder of its own for <paramref name="program"/>.</summary>
    protected static string NewFolder(string program)
    {
        var folder = Path.Combine(Path.GetTempPath(), program, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>Starts <paramref name="binary"/> with its output read (and dropped).</summary>
    protected static Process Start(string binary, IEnumerable<string> args)
    {
        var process = Process.Start(new ProcessStartInfo(binary, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Waits until the program answers <c>/-/ready</c>.</summary>
    protected async Task WaitReadyAsync(string what) =>
        Assert.That(await Poll.UntilAsync(ReadyAsync, TimeSpan.FromSeconds(20)), Is.True, $"{what} became ready");

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Client.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task<bool> ReadyAsync()
    {
        try
        {
            using var response = await Client.GetAsync("-/ready");
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
