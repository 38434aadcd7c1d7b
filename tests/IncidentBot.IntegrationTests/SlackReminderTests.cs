using IncidentBot.IntegrationTests.Support;

namespace IncidentBot.IntegrationTests;

/// <summary>Nudges in the real bot, with a two-second Sev1 interval so the test need not wait minutes.</summary>
public sealed class SlackReminderTests : SlackBotFixture
{
    protected override Dictionary<string, string> ExtraSettings() => new() { ["IncidentBot__Reminders__Sev1"] = "00:00:02" };

    [Test]
    public async Task OverdueUpdate_CommanderNudgedWithButtons_SnoozeRecorded()
    {
        var (channel, _, incidentId) = await DeclareAsync("Payments down sev1");

        Assert.That(await Poll.UntilAsync(() => Slack.Messages.Any(m => m.Channel == channel && m.Text.Contains("no status update", StringComparison.Ordinal)), TimeSpan.FromSeconds(30)), Is.True);
        var nudge = Slack.Messages.First(m => m.Channel == channel && m.Text.Contains("no status update", StringComparison.Ordinal));
        var blocks = nudge.BlocksJson;
        Assert.That(blocks, Does.Contain("<@U1>").And.Contain("incident.post_update").And.Contain("reminder.snooze_15").And.Contain("reminder.snooze_60"));

        using (await ClickAsync("reminder.snooze_60", incidentId, channel))
        {
        }

        Assert.That(await Poll.UntilAsync(async () => (await TimelineKindsAsync(1)).Contains("Snoozed")), Is.True);
        Assert.That(await TimelineKindsAsync(1), Does.Contain("ReminderSent"));
    }
}
