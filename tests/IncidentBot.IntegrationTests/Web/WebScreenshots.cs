using IncidentBot.Core.Incidents;
using IncidentBot.Core.Ports;
using IncidentBot.Host.Tests.Web;
using IncidentBot.Testing;
using Microsoft.Playwright;

namespace IncidentBot.IntegrationTests.Web;

/// <summary>
/// Screenshots of every page at desktop and phone width into docs/screenshots/. Explicit:
/// <c>dotnet test tests/IncidentBot.IntegrationTests --filter Category=Screenshots</c>.
/// </summary>
[Explicit("Writes docs/screenshots/*.png")]
[Category("Screenshots")]
public sealed class WebScreenshots : BrowserFixture
{
    private static readonly string[] Titles =
    [
        "Checkout errors after deploy", "Search latency over 2s", "Login failures for SSO users", "Payments webhook backlog",
        "CDN 5xx in eu-west", "Mobile app crash on start", "Email delivery delayed", "Inventory sync stalled",
    ];

    protected override async Task SeedAsync(IIncidentStore store, DateTimeOffset now)
    {
        var random = new Random(15);
        for (var i = 0; i < 48; i++)
        {
            var declared = now.AddDays(-random.Next(1, 120)).AddMinutes(-random.Next(0, 600));
            var severity = (Severity)random.Next(1, 5);
            var incident = await WebSeed.DeclareAsync(store, declared, Titles[i % Titles.Length], severity, type: (IncidentType)random.Next(0, 3));
            if (i % 7 != 0)
            {
                var ack = random.Next(1, 15);
                var mitigate = ack + random.Next(5, 180);
                incident = await WebSeed.ProgressAsync(store, incident, ack, mitigate, i % 5 == 0 ? null : mitigate + random.Next(10, 600));
            }

            await WebSeed.NoteAsync(store, incident, declared.AddMinutes(3), "Rolled back to the previous build; error rate falling.");
        }

        var open = await WebSeed.DeclareAsync(store, now.AddMinutes(-40), "Checkout errors after deploy", Severity.Sev1, type: IncidentType.Deployment);
        open = await WebSeed.NoteAsync(store, open, now.AddMinutes(-35), "Error rate 12% on /checkout since 14:05");
        await WebSeed.NoteAsync(store, open, now.AddMinutes(-30), "Customer name in the logs", redact: true);
    }

    [Test]
    public async Task Screenshots_EveryPage_DesktopAndPhone()
    {
        var folder = Path.Combine(RepoPaths.Root, "docs", "screenshots");
        Directory.CreateDirectory(folder);
        var pages = new (string Name, string Path)[]
        {
            ("incidents", "/"),
            ("incident", "/incidents/49"),
            ("postmortem", "/incidents/49/postmortem"),
            ("insights", "/insights?days=365"),
            ("signout", "/signout"),
        };
        foreach (var (device, width, height) in new[] { ("desktop", 1280, 900), ("phone", 390, 844) })
        {
            await using var context = await NewContextAsync(width, height);
            var page = await SignInAsync(context);
            foreach (var (name, path) in pages)
            {
                await page.GotoAsync(BaseUrl + path);
                var file = Path.Combine(folder, $"{name}-{device}.png");
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = name != "incidents" || device == "desktop" });
                Assert.That(new FileInfo(file).Length, Is.GreaterThan(1000), file);
            }
        }
    }
}
