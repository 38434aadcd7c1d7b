using System.Diagnostics;
using System.Net;
using IncidentBot.IntegrationTests.Support;
using Microsoft.Data.Sqlite;

namespace IncidentBot.IntegrationTests;

/// <summary>
/// Slack's 3 seconds hold however slow our store is: another process holds the SQLite write lock while a
/// command, a click and an event arrive; each is answered in time, and the work lands once the lock is gone.
/// </summary>
public sealed class SlowStoreTests : SlackBotFixture
{
    private static readonly TimeSpan SlackLimit = TimeSpan.FromSeconds(3);

    /// <summary>The stall is a SQLite write lock held by another process, so this runs on SQLite whatever the suite's store.</summary>
    protected override Dictionary<string, string> StorageSettings() => SqliteSettings();

    [Test]
    public async Task StoreWriteLockedElsewhere_CommandClickAndEventAnsweredWithin3s_WorkLandsAfter()
    {
        var (channel, _, incidentId) = await DeclareAsync();
        var reactedTs = Slack.SeedMessage(channel, "Customer impact confirmed in EU", "U8");
        var reaction = Reaction("Ev0SLOW", channel, reactedTs);

        TimeSpan noteTook, clickTook, eventTook;
        string noteAnswer;
        HttpStatusCode clickStatus, eventStatus;
        await using (var stall = new SqliteConnection($"Data Source={Path.Combine(Folder, "bot.db")};Pooling=False"))
        {
            await stall.OpenAsync();
            await using (var begin = stall.CreateCommand())
            {
                // A write transaction that is never finished: every write of the bot waits behind it.
                begin.CommandText = "BEGIN IMMEDIATE";
                await begin.ExecuteNonQueryAsync();
            }

            var clock = Stopwatch.StartNew();
            using (var note = await CommandAsync("note written while the disk stalls", channel))
            {
                noteTook = clock.Elapsed;
                noteAnswer = await note.Content.ReadAsStringAsync();
                Assert.That(note.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            }

            clock.Restart();
            using (var click = await ClickAsync("incident.acknowledge", incidentId, channel))
            {
                clickTook = clock.Elapsed;
                clickStatus = click.StatusCode;
            }

            clock.Restart();
            eventStatus = await EventAsync(reaction);
            eventTook = clock.Elapsed;

            // Closing the connection rolls the transaction back and frees the lock.
        }

        Assert.That(noteTook, Is.LessThan(SlackLimit));
        Assert.That(clickTook, Is.LessThan(SlackLimit));
        Assert.That(eventTook, Is.LessThan(SlackLimit));
        Assert.That(noteAnswer, Does.Contain("Working on it"), "the store really was stalled");
        Assert.That(clickStatus, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(eventStatus, Is.EqualTo(HttpStatusCode.ServiceUnavailable), "Slack retries an event it got no 200 for");

        // The work went on: the note, the acknowledgement and the capture are stored, the note's answer is sent privately.
        Assert.That(await Poll.UntilAsync(async () =>
        {
            var kinds = await TimelineKindsAsync(1);
            return kinds.Contains("Note") && kinds.Contains("StateChanged") && kinds.Contains("MessageReacted");
        }, TimeSpan.FromSeconds(30)), Is.True, "note, acknowledgement and capture stored after the stall");
        Assert.That(await Poll.UntilAsync(() => Slack.CallsTo("chat.postEphemeral").Any(c => c.Arg("text").Contains("Noted on the", StringComparison.Ordinal))), Is.True, "the note's answer arrives privately");

        // Slack's retry of the event finds it done.
        Assert.That(await EventAsync(reaction), Is.EqualTo(HttpStatusCode.OK));

        Assert.That((await TimelineKindsAsync(1)).Count(k => k == "MessageReacted"), Is.EqualTo(1));
    }
}
