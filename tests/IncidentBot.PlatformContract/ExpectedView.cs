using System.Text;
using IncidentBot.Core.Messaging;

namespace IncidentBot.PlatformContract;

/// <summary>
/// What every conversation should show once the outbox is delivered, replayed from the rows the adapter said it
/// delivered in the order they were written: a post adds a message, an update replaces the message it names, a
/// private answer is for its recipient; and then checked against what each person sees on the platform.
/// </summary>
public sealed class ExpectedView
{
    private readonly List<Slot> _slots = [];
    private readonly Dictionary<string, string> _topics = new(StringComparer.Ordinal);
    private readonly HashSet<string> _archived = new(StringComparer.Ordinal);
    private readonly HashSet<string> _opened = new(StringComparer.Ordinal);

    private ExpectedView()
    {
    }

    /// <summary>One message a conversation should show: what it says now, and where it came from.</summary>
    private sealed class Slot(long postedBy, string conversation, string? incidentConversation)
    {
        public long PostedBy { get; } = postedBy;

        public string Conversation { get; } = conversation;

        public string? IncidentConversation { get; } = incidentConversation;

        public long? IncidentId { get; init; }

        public string? Anchor { get; init; }

        public string? Recipient { get; init; }

        public ChatMessage? Message { get; set; }

        public ChatFile? File { get; init; }

        public string? Mismatch(SeenMessage seen, ContractRig rig) =>
            File is { } file ? Showing.Mismatch(seen, file) : Showing.Mismatch(seen, Message!, rig.People, IncidentConversation);

        /// <summary>Says the same as <paramref name="other"/>: two such messages look alike wherever they are shown.</summary>
        public bool Says(Slot other) => File is not null || other.File is not null
            ? File == other.File
            : Same(Message!, other.Message!);

        private static bool Same(ChatMessage a, ChatMessage b) =>
            Equals(a.Title, b.Title) && Equals(a.Text, b.Text) && a.Fields.SequenceEqual(b.Fields) && a.Buttons.SequenceEqual(b.Buttons)
            && a.Mentions.SequenceEqual(b.Mentions) && a.LinksIncidentConversation == b.LinksIncidentConversation;

        public override string ToString() =>
            File is { } file ? $"file {file.Name}" : string.Join(" / ", Showing.Lines(Message!.Title).Concat(Showing.Lines(Message.Text)));
    }

    public static async Task<ExpectedView> OfAsync(ContractRig rig)
    {
        var view = new ExpectedView();
        foreach (var item in rig.Recorder.Delivered)
        {
            var message = item.Message;
            var incident = message.IncidentId is { } id ? await rig.IncidentAsync(id) : null;
            var conversation = message.ConversationId ?? incident?.ConversationId;
            Assert.That(conversation, Is.Not.Null, $"row {item.Id} was delivered to no conversation");
            switch (message.Operation)
            {
                case ChatOperation.OpenIncidentConversation:
                    view._opened.Add(conversation!);
                    view._topics[conversation!] = message.Conversation!.Topic;
                    break;
                case ChatOperation.Post:
                    view._slots.Add(new Slot(item.Id, conversation!, incident?.ConversationId) { IncidentId = message.IncidentId, Anchor = message.Anchor, Message = message.Message });
                    break;
                case ChatOperation.PostPrivate:
                    view._slots.Add(new Slot(item.Id, conversation!, incident?.ConversationId) { Recipient = message.RecipientId, Message = message.Message });
                    break;
                case ChatOperation.UploadFile:
                    view._slots.Add(new Slot(item.Id, conversation!, incident?.ConversationId) { File = message.File });
                    break;
                case ChatOperation.Update:
                    view.Updated(rig, item.Id, message).Message = message.Message;
                    break;
                case ChatOperation.SetTopic:
                    view._topics[conversation!] = message.Message!.Text.PlainText;
                    break;
                case ChatOperation.ArchiveConversation:
                    view._archived.Add(conversation!);
                    break;
                case ChatOperation.PostDirect:
                    // Into the recipient's recorded 1:1; without one the platform delivers nothing, and nothing is shown.
                    if (await rig.Store.GetDirectConversationAsync(rig.Platform, incident!.WorkspaceId, message.RecipientId!, CancellationToken.None) is { } direct)
                    {
                        view._slots.Add(new Slot(item.Id, direct.ConversationId, incident.ConversationId) { Message = message.Message });
                    }

                    break;
                default:
                    Assert.Fail($"row {item.Id}: a chat platform delivered {message.Operation}");
                    break;
            }
        }

        return view;
    }

    /// <summary>The message an update replaces: the one its anchor remembers, or the one clicked on (its message id).</summary>
    private Slot Updated(ContractRig rig, long itemId, OutgoingMessage update)
    {
        var target = update.MessageId is { } clicked
            ? _slots.LastOrDefault(s => rig.Clicked.TryGetValue(clicked, out var posted) && s.PostedBy == posted)
            : _slots.LastOrDefault(s => s.IncidentId == update.IncidentId && s.Anchor == update.Anchor);
        Assert.That(target, Is.Not.Null, $"row {itemId} updates '{update.Anchor ?? update.MessageId}', which was never posted");
        return target!;
    }

    /// <summary>
    /// Each person sees, in each conversation, every message meant for them once and in the order written, and no other
    /// (but the platform's own opening line of a conversation, where it has one); nobody sees another's private answer.
    /// Topics, archives and the conversations opened are what the deliveries said, where the platform has them.
    /// </summary>
    public async Task AssertSeenAsync(ContractRig rig)
    {
        foreach (var conversation in _slots.Select(s => s.Conversation).Distinct(StringComparer.Ordinal))
        {
            foreach (var viewer in rig.People)
            {
                var seen = await rig.Target.SeenAsync(conversation, viewer);
                var mine = _slots.Where(s => s.Conversation == conversation && (s.Recipient is null || s.Recipient == viewer.Id || !rig.Target.HasPrivateAnswers)).ToList();
                var others = _slots.Where(s => s.Conversation == conversation && !mine.Contains(s)).ToList();
                var report = Report(conversation, viewer.Name, mine, seen);
                var opening = _opened.Contains(conversation) ? rig.Target.OpeningMessages : 0;
                Assert.That(seen, Has.Count.EqualTo(mine.Count + opening), $"no message more or less than delivered\n{report}");
                AssertInOrder(rig, mine, seen, report);
                foreach (var slot in mine)
                {
                    var alike = mine.Count(s => s.Says(slot));
                    Assert.That(seen.Count(s => slot.Mismatch(s, rig) is null), Is.EqualTo(alike), $"shown exactly once: {slot}\n{report}");
                }

                foreach (var slot in others)
                {
                    Assert.That(seen.Where(s => slot.Mismatch(s, rig) is null), Is.Empty, $"{viewer.Name} sees another's private answer: {slot}\n{report}");
                }
            }
        }

        foreach (var (conversation, topic) in _topics)
        {
            if (await rig.Target.TopicAsync(conversation) is { } shown)
            {
                Assert.That(shown, Is.EqualTo(topic), $"the topic of {conversation}");
            }
        }

        foreach (var conversation in _opened.Concat(_slots.Select(s => s.Conversation)).Distinct(StringComparer.Ordinal))
        {
            if (await rig.Target.IsArchivedAsync(conversation) is { } archived)
            {
                Assert.That(archived, Is.EqualTo(_archived.Contains(conversation)), $"whether {conversation} is archived");
            }
        }

        var incidentConversations = await rig.Target.IncidentConversationsAsync();
        Assert.That(incidentConversations, Is.EquivalentTo(_opened), "one conversation opened per incident, none twice");
    }

    private static void AssertInOrder(ContractRig rig, List<Slot> expected, IReadOnlyList<SeenMessage> seen, string report)
    {
        var next = 0;
        foreach (var slot in expected)
        {
            var at = next;
            while (at < seen.Count && slot.Mismatch(seen[at], rig) is not null)
            {
                at++;
            }

            if (at == seen.Count)
            {
                var why = string.Join("; ", seen.Skip(next).Select(s => $"[{s.Id}] {slot.Mismatch(s, rig)}"));
                Assert.Fail($"not shown (in this order): {slot} ({why})\n{report}");
            }

            next = at + 1;
        }
    }

    private static string Report(string conversation, string viewer, IEnumerable<Slot> expected, IReadOnlyList<SeenMessage> seen)
    {
        var text = new StringBuilder($"{viewer} in {conversation}\n  expected:\n");
        foreach (var slot in expected)
        {
            text.Append("    ").Append(slot).Append('\n');
        }

        text.Append("  seen:\n");
        foreach (var message in seen)
        {
            text.Append("    ").Append(message).Append('\n');
        }

        return text.ToString();
    }
}
