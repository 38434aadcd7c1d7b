using System.Diagnostics;
using IncidentBot.Host.Tests.Support;

namespace IncidentBot.Host.Tests.Configuration;

public sealed class StartupTests
{
    [Test]
    public void Start_ZeroOrEmptyReminder_MeansNone()
    {
        using var host = new TestHost(new() { ["IncidentBot:Reminders:Sev1"] = "0", ["IncidentBot:Reminders:Sev2"] = "" });

        Assert.DoesNotThrow(() => host.CreateClient().Dispose());
    }

    [TestCase("IncidentBot__Reminders__Sev2", "half an hour", "IncidentBot:Reminders:Sev2")]
    [TestCase("IncidentBot__Reminders__Sev4", "-00:05:00", "IncidentBot:Reminders:Sev4")]
    [TestCase("IncidentBot__Storage__Provider", "Oracle", "IncidentBot:Storage:Provider")]
    [TestCase("IncidentBot__Api__Keys__0", "short", "IncidentBot:Api:Keys")]
    [TestCase("IncidentBot__Postmortem__TimeZone", "Mars/Olympus", "IncidentBot:Postmortem:TimeZone")]
    [TestCase("IncidentBot__Slack__ApiBaseUrl", "not a url", "IncidentBot:Slack:ApiBaseUrl")]
    [TestCase("IncidentBot__Teams__AllowUnauthenticatedLoopback", "true", "IncidentBot:Teams:AllowUnauthenticatedLoopback")]
    [TestCase("IncidentBot__Teams__AppId", "5e1f0c2a-7d3b-4c4e-9a51-00000000b07a", "IncidentBot:Teams:AppPassword")]
    [TestCase("IncidentBot__Teams__GraphBaseUrl", "graph", "IncidentBot:Teams:GraphBaseUrl")]
    public async Task Process_BadValue_ExitsWithOneClearLineNamingTheKey(string variable, string value, string key)
    {
        var hostDll = Path.Combine(AppContext.BaseDirectory, "IncidentBot.Host.dll");
        var folder = Path.Combine(Path.GetTempPath(), "incidentbot-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var start = new ProcessStartInfo("dotnet", [hostDll])
        {
            WorkingDirectory = folder,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            Environment =
            {
                ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
                [variable] = value,
                ["IncidentBot__Slack__SigningSecret"] = "super-secret-signing-value",
                ["IncidentBot__Slack__BotToken"] = "xoxb-super-secret-token",
            },
        };

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        var lines = (await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(process.ExitCode, Is.EqualTo(2));
        Assert.That(lines, Has.Length.EqualTo(1));
        Assert.That(lines[0], Does.StartWith("Configuration error: ").And.Contain(key));
        Assert.That(await stdout + lines[0], Does.Not.Contain("super-secret-signing-value").And.Not.Contain("xoxb-super-secret-token"));
        Directory.Delete(folder, recursive: true);
    }
}
