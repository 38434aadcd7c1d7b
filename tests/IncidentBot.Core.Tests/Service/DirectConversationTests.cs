using IncidentBot.Core.Ports;
using IncidentBot.Core.Reminders;
using IncidentBot.Core.Service;
using Moq;

namespace IncidentBot.Core.Tests.Service;

public sealed class DirectConversationTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 5, 8, 0, 0, TimeSpan.Zero);

    [Test]
    public async Task RecordDirectConversation_StoredAsSeenNowOnTheServiceClock()
    {
        var store = new Mock<IIncidentStore>(MockBehavior.Strict);
        var expected = new DirectConversation("teams", "tenant-1", "29:1ada", "a:1ada", "https://smba.example/", Now);
        store.Setup(s => s.RecordDirectConversationAsync(expected, It.IsAny<CancellationToken>())).ReturnsAsync(true);
        var service = new IncidentService(store.Object, new FixedClock(Now), ReminderPolicy.Default, []);

        Assert.That(await service.RecordDirectConversationAsync("teams", "tenant-1", "29:1ada", "a:1ada", "https://smba.example/", CancellationToken.None), Is.True);

        store.VerifyAll();
    }
}
