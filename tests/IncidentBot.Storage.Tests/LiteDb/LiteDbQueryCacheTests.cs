using System.Collections;
using System.Reflection;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Notes;
using IncidentBot.Core.Ports;
using IncidentBot.Core.Reminders;
using IncidentBot.Core.Service;
using IncidentBot.Core.StatusUpdates;
using IncidentBot.Storage.LiteDb;
using LiteDB;

namespace IncidentBot.Storage.Tests.LiteDb;

/// <summary>
/// LiteDB compiles every expression text it meets once and keeps the delegate for the life of the process. A query
/// that writes its value into the text (LiteDB's own <c>Query.EQ</c>) grows that cache with every new event id,
/// conversation and instant, at about a millisecond of compiling each. Real use cases with values never seen
/// before must leave the cache as they found it.
/// </summary>
[NonParallelizable]
public sealed class LiteDbQueryCacheTests : LiteDbFileTests
{
    [Test]
    public async Task UseCases_WithNewValues_CompileNoNewExpressions()
    {
        var store = await OpenAsync();
        var service = new IncidentService(store, Clock, ReminderPolicy.Default, [new PlatformSettings("slack", "CANNOUNCE", [])]);

        // The first round meets every expression shape once; later rounds bring only new values.
        await RoundAsync(store, service, 0);
        var compiled = CompiledExpressions();
        for (var round = 1; round <= 3; round++)
        {
            await RoundAsync(store, service, round);
        }

        Assert.That(CompiledExpressions(), Is.EqualTo(compiled), "a query wrote a value into its expression's text");
    }

    private async Task RoundAsync(LiteDbIncidentStore store, IncidentService service, int round)
    {
        var token = CancellationToken.None;
        var declared = await service.DeclareAsync(new DeclareRequest($"Outage {round}", Severity.Sev2, IncidentType.Livesite), Context("CGENERAL", $"Ev-declare-{round}"), token);
        var incident = declared.Incident!;
        var conversation = $"CINC{round}";
        await store.SetConversationAsync(incident.Id, conversation, null, token);
        Clock.Advance(TimeSpan.FromMinutes(1));

        Assert.That((await service.ExecuteAsync(new NoteCommand($"note {round}"), Context(conversation, $"Ev-note-{round}"), token)).Changed, Is.True);
        Assert.That((await service.ExecuteAsync(new StatusUpdateCommand($"update {round}"), Context(conversation, $"Ev-update-{round}"), token)).Changed, Is.True);
        Assert.That(await store.TryRecordInboundAsync($"Ev-seen-{round}", token), Is.True);
        Assert.That(await store.WasInboundProcessedAsync($"Ev-seen-{round}", token), Is.True);
        Assert.That(await store.FindByConversationAsync("slack", conversation, token), Is.Not.Null);
        Assert.That(await store.GetByNumberAsync("slack", "T1", incident.Number, token), Is.Not.Null);
        Assert.That(await store.FindByNumberAsync(incident.Number, null, null, token), Is.Not.Empty);
        Assert.That(await store.GetTimelineAsync(incident.Id, token), Is.Not.Empty);
        Assert.That(await store.GetRecentTimelineAsync(incident.Id, 2, token), Is.Not.Empty);
        await store.FindBySourceRefAsync($"alert-{round}", token);
        await store.ListDeclaredSinceAsync(Clock.GetUtcNow().AddHours(-round - 1), null, null, token);
        await store.ListAsync("slack", "T1", openOnly: true, token);
        Assert.That(await store.ClaimOutboxAsync(Clock.GetUtcNow(), 100, TimeSpan.FromMinutes(1), token), Is.Not.Empty);

        Clock.Advance(TimeSpan.FromHours(1));
        Assert.That(await store.ClaimDueRemindersAsync(Clock.GetUtcNow(), 100, TimeSpan.FromMinutes(1), token), Is.Not.Empty);
        await store.ClaimDueFollowUpNudgesAsync(Clock.GetUtcNow(), 100, TimeSpan.FromMinutes(1), token);
        await store.ClaimDueChannelArchivesAsync("slack", Clock.GetUtcNow(), Clock.GetUtcNow(), 100, TimeSpan.FromMinutes(1), token);

        var sandbox = new SandboxConversation($"sandbox-{round}", $"room {round}", "", Clock.GetUtcNow());
        Assert.That(await store.CreateSandboxConversationAsync(sandbox, token), Is.True);
        await store.PostSandboxMessageAsync(sandbox.Id, null, new ChatMessage { Text = $"hello {round}" }, null, Clock.GetUtcNow(), token);
        Assert.That(await store.ListSandboxMessagesAsync(sandbox.Id, 0, null, 10, token), Is.Not.Empty);
    }

    private static CommandContext Context(string conversation, string eventId) => new("slack", "T1", conversation, Ada, eventId);

    /// <summary>LiteDB 5.0.21 keeps its compiled expressions in two static dictionaries of <see cref="BsonExpression"/>.</summary>
    private static int CompiledExpressions() =>
        new[] { "_cacheScalar", "_cacheEnumerable" }.Sum(name =>
            typeof(BsonExpression).GetField(name, BindingFlags.NonPublic | BindingFlags.Static)?.GetValue(null) is ICollection cache
                ? cache.Count
                : throw new InvalidOperationException($"LiteDB no longer has BsonExpression.{name}: check how this LiteDB version caches compiled expressions."));
}
