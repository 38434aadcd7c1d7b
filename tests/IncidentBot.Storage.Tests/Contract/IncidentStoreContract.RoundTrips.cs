using System.Collections.Immutable;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Ports;
using IncidentBot.Core.Timeline;

namespace IncidentBot.Storage.Tests.Contract;

/// <summary>What goes in comes back: every field of an incident, a timeline entry and an outbox payload.</summary>
public abstract partial class IncidentStoreContract
{
    [Test]
    public async Task Create_RoundTripsEveryField()
    {
        // Every field differs from its default and from every other field of its type, so a swapped or
        // dropped column cannot go unnoticed.
        var start = Clock.GetUtcNow();
        var draft = Draft() with
        {
            Platform = "teams",
            WorkspaceId = "tenant-42",
            Title = "Paiement échoué 決済エラー 🔥",
            Description = "multi\nline",
            Severity = Severity.Sev1,
            Type = IncidentType.CustomerReported,
            State = IncidentState.Resolved,
            Commander = new Person("U2", "Grace"),
            DeclaredBy = new Person("U4", "Barbara"),
            Roles = ImmutableSortedDictionary<string, Person>.Empty
                .Add("scribe", new Person("U3", "Linus"))
                .Add("liaison", new Person("U5", "Margaret")),
            DeclaredAt = start.AddTicks(3),
            AcknowledgedAt = start.AddMinutes(1).AddTicks(5),
            MitigatedAt = start.AddMinutes(2).AddTicks(7),
            ResolvedAt = start.AddMinutes(3).AddTicks(11),
            LastStatusUpdateAt = start.AddMinutes(4).AddTicks(13),
            ConversationId = "C1",
            ServiceUrl = "https://smba.example/",
            OriginConversationId = "C0",
            Version = 3,
        };

        var (_, created) = await Store.CreateAsync(draft, i => new IncidentChange { Incident = i }, null, CancellationToken.None);
        var read = await Store.GetAsync(created!.Id, CancellationToken.None);

        Assert.That(read, Is.Not.Null);
        Assert.That(read!.Roles, Is.EquivalentTo(draft.Roles));
        Assert.That(read with { Roles = draft.Roles }, Is.EqualTo(draft with { Id = created.Id, Number = 1 }));
    }

    [Test]
    public async Task Save_RoundTripsEveryChangeableField()
    {
        var incident = await CreateAsync();
        await Store.SetConversationAsync(incident.Id, "C9", "https://smba.example/emea/", CancellationToken.None);
        var start = Clock.GetUtcNow();
        var changed = incident with
        {
            Title = "Checkout down 決済",
            Description = "second\nline",
            Severity = Severity.Sev2,
            Type = IncidentType.Deployment,
            State = IncidentState.Resolved,
            Commander = new Person("U2", "Grace"),
            Roles = ImmutableSortedDictionary<string, Person>.Empty.Add("scribe", new Person("U3", "Linus")),
            AcknowledgedAt = start.AddMinutes(1).AddTicks(5),
            MitigatedAt = start.AddMinutes(2).AddTicks(7),
            ResolvedAt = start.AddMinutes(3).AddTicks(11),
            LastStatusUpdateAt = start.AddMinutes(4).AddTicks(13),
            Version = 2,
        };

        Assert.That(await Store.SaveAsync(new IncidentChange { Incident = changed }, CancellationToken.None), Is.EqualTo(SaveResult.Saved));

        var read = await Store.GetAsync(incident.Id, CancellationToken.None);
        Assert.That(read!.Roles, Is.EquivalentTo(changed.Roles));
        Assert.That(read with { Roles = changed.Roles }, Is.EqualTo(changed with { ConversationId = "C9", ServiceUrl = "https://smba.example/emea/" }),
            "a change written from an incident read before its conversation existed keeps the conversation");
    }

    [Test]
    public async Task Timeline_RoundTripsEveryField()
    {
        var incident = await CreateAsync();
        var written = new TimelineEntry
        {
            IncidentId = incident.Id,
            At = Clock.GetUtcNow().AddMinutes(-3).AddTicks(17),
            Kind = TimelineKind.MessagePinned,
            Actor = new Person("U7", "Grace Hopper 🐛"),
            Text = "Rolled back 決済\nsecond line",
            SourceRef = "C1:1700000000.000300",
        };
        await Store.SaveAsync(new IncidentChange { Incident = incident with { Version = 2 }, Entries = [written], KeepsReminder = true }, CancellationToken.None);
        var id = (await Store.GetTimelineAsync(incident.Id, CancellationToken.None)).Single(e => e.SourceRef is not null).Id;

        await Store.SaveAsync(new IncidentChange { Incident = incident with { Version = 3 }, RedactEntryIds = [id], KeepsReminder = true }, CancellationToken.None);

        var read = (await Store.GetTimelineAsync(incident.Id, CancellationToken.None)).Single(e => e.Id == id);
        Assert.That(read, Is.EqualTo(written with { Id = id, Redacted = true }));
    }

    [Test]
    public async Task Timeline_EveryKind_RoundTrips()
    {
        var incident = await CreateAsync();
        var kinds = Enum.GetValues<TimelineKind>();
        var entries = kinds.Select((k, i) => Entry($"kind {i}") with { Kind = k, At = Clock.GetUtcNow().AddSeconds(i + 1) }).ToList();

        await Store.SaveAsync(new IncidentChange { Incident = incident with { Version = 2 }, Entries = entries, KeepsReminder = true }, CancellationToken.None);

        var read = (await Store.GetTimelineAsync(incident.Id, CancellationToken.None)).Skip(1).Select(e => (e.Kind, e.Text));
        Assert.That(read, Is.EqualTo(entries.Select(e => (e.Kind, e.Text))));
    }

    [Test]
    public async Task Outbox_RoundTripsEveryPayloadField()
    {
        var incident = await CreateAsync();
        var message = new ChatMessage
        {
            Title = "INC-1: Paiement échoué",
            Text = "State *Acknowledged* 決済\nline two",
            Fields = [new MessageField("Severity", "Sev1"), new MessageField("Commander", "Grace")],
            Buttons =
            [
                new MessageButton(ActionIds.Acknowledge, "Acknowledge", "41", ButtonStyle.Primary),
                new MessageButton(ActionIds.Resolve, "Resolve", "42", ButtonStyle.Danger),
                new MessageButton(ActionIds.PostUpdate, "Post update", "43"),
            ],
            Mentions = ["U1", "U9"],
            LinksIncidentConversation = true,
        };
        var conversation = new ConversationSpec("inc-1-paiement", "Sev1 | Acknowledged", "Checkout errors", ["U1", "U9"]);
        var written = new OutgoingMessage
        {
            Platform = "teams",
            Operation = ChatOperation.Update,
            ConversationId = "19:abc@thread.tacv2",
            ServiceUrl = "https://smba.example/emea/",
            Anchor = "header",
            Pin = true,
            Message = message,
            Conversation = conversation,
            File = new ChatFile("INC-1-postmortem.md", "INC-1 postmortem", "# INC-1\n決済"),
        };
        await Store.SaveAsync(new IncidentChange { Incident = incident with { Version = 2 }, Messages = [written], KeepsReminder = true }, CancellationToken.None);

        var item = (await Store.ClaimOutboxAsync(Clock.GetUtcNow(), 10, TimeSpan.FromMinutes(1), CancellationToken.None)).Single();

        var read = item.Message;
        Assert.That((item.Attempts, item.CreatedAt), Is.EqualTo((0, Clock.GetUtcNow())));
        Assert.That(read with { Message = null, Conversation = null }, Is.EqualTo(written with { IncidentId = incident.Id, Message = null, Conversation = null }));
        Assert.That(read.Message! with { Fields = [], Buttons = [], Mentions = [] }, Is.EqualTo(message with { Fields = [], Buttons = [], Mentions = [] }));
        Assert.That(read.Message.Fields, Is.EqualTo(message.Fields));
        Assert.That(read.Message.Buttons, Is.EqualTo(message.Buttons));
        Assert.That(read.Message.Mentions, Is.EqualTo(message.Mentions));
        Assert.That(read.Conversation! with { Invitees = [] }, Is.EqualTo(conversation with { Invitees = [] }));
        Assert.That(read.Conversation.Invitees, Is.EqualTo(conversation.Invitees));
    }

    [Test]
    public async Task Outbox_EveryOperation_RoundTrips()
    {
        var operations = Enum.GetValues<ChatOperation>();
        var messages = operations.Select((o, i) => Post($"op {i}", $"C{i}") with { Operation = o }).ToArray();

        await CreateAsync("T1", messages);

        var claimed = await Store.ClaimOutboxAsync(Clock.GetUtcNow(), 100, TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.That(claimed.Select(i => (i.Message.Operation, i.Message.ConversationId)), Is.EqualTo(messages.Select(m => (m.Operation, m.ConversationId))));
    }
}
