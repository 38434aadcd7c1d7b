using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Ports;

namespace IncidentBot.Host.Sandbox;

/// <summary>
/// Delivers outbox messages to the sandbox: conversations and messages in the store, which the sandbox page reads.
/// Every step is safe to repeat like Slack's: a conversation is remembered on the incident before anything else, an
/// anchored post already stored is not posted twice.
/// </summary>
public sealed class SandboxChatPlatform(IIncidentStore store, SandboxFeed feed, TimeProvider clock) : IChatPlatform
{
    private const int MaxNameAttempts = 20;
    private volatile bool _announcementsExist;

    public string Platform => SandboxPlatformName.Value;

    /// <summary>The page's link to a conversation (relative: the page is on this host).</summary>
    public static string ConversationPath(string conversationId) => $"/sandbox/c/{Uri.EscapeDataString(conversationId)}";

    public async Task<DeliveryResult> DeliverAsync(OutboxItem item, IDeliveryContext context, CancellationToken cancellationToken)
    {
        try
        {
            var result = await DeliverCoreAsync(item.Message, context, cancellationToken);
            if (result is Delivered)
            {
                feed.Published();
            }

            return result;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The store is the platform here: whatever failed is worth another attempt.
            return new TransientFailure($"sandbox store: {e.GetType().Name}: {e.Message}");
        }
    }

    private async Task<DeliveryResult> DeliverCoreAsync(OutgoingMessage message, IDeliveryContext context, CancellationToken ct)
    {
        var incidentId = message.IncidentId ?? 0;
        var incident = message.IncidentId is null ? null : await context.GetIncidentAsync(incidentId, ct);
        if (message.Operation == ChatOperation.OpenIncidentConversation)
        {
            return await OpenAsync(incidentId, incident?.ConversationId, message.Conversation!, context, ct);
        }

        var incidentConversation = incident?.ConversationId;
        var conversation = message.ConversationId ?? incidentConversation;
        if (conversation is null)
        {
            return new TransientFailure("incident conversation not created yet");
        }

        await EnsureAnnouncementsAsync(conversation, ct);
        var now = clock.GetUtcNow();
        switch (message.Operation)
        {
            case ChatOperation.Post:
                if (message.Anchor is { } stored && await context.GetAnchorAsync(incidentId, stored, ct) is not null)
                {
                    return DeliveryResult.Ok;
                }

                var posted = await store.PostSandboxMessageAsync(conversation, null, Resolve(message.Message!, incident, incidentConversation), null, now, ct);
                if (message.Anchor is { } anchor)
                {
                    await context.SetAnchorAsync(incidentId, anchor, posted.MessageRef, ct);
                }

                return DeliveryResult.Ok;

            case ChatOperation.Update:
                var messageRef = message.MessageId ?? (message.Anchor is { } updated ? await context.GetAnchorAsync(incidentId, updated, ct) : null);
                if (messageRef is null || await store.UpdateSandboxMessageAsync(messageRef, Resolve(message.Message!, incident, incidentConversation), now, ct) is null)
                {
                    return new PermanentFailure($"no '{message.Anchor ?? message.MessageId}' message to update");
                }

                return DeliveryResult.Ok;

            case ChatOperation.PostPrivate:
                await store.PostSandboxMessageAsync(conversation, message.RecipientId, Resolve(message.Message!, incident, incidentConversation), null, now, ct);
                return DeliveryResult.Ok;

            case ChatOperation.SetTopic:
                await store.SetSandboxTopicAsync(conversation, message.Message!.Text.PlainText, ct);
                return DeliveryResult.Ok;

            case ChatOperation.ArchiveConversation:
                // The sandbox keeps every conversation (drills are for reading back): as the operation allows, nothing to do.
                return DeliveryResult.Ok;

            case ChatOperation.UploadFile:
                var file = message.File!;
                await store.PostSandboxMessageAsync(conversation, null, new ChatMessage { Title = file.Title, Text = file.Name }, file, now, ct);
                return DeliveryResult.Ok;

            default:
                return new PermanentFailure($"unsupported operation {message.Operation}");
        }
    }

    private async Task<DeliveryResult> OpenAsync(long incidentId, string? existing, ConversationSpec spec, IDeliveryContext context, CancellationToken ct)
    {
        var conversation = existing;
        for (var attempt = 1; conversation is null; attempt++)
        {
            if (attempt > MaxNameAttempts)
            {
                return new PermanentFailure($"every name like '{spec.Name}' is taken");
            }

            var name = attempt == 1 ? spec.Name : ChannelNames.WithSuffix(spec.Name, attempt);
            if (await store.CreateSandboxConversationAsync(new SandboxConversation(name, name, spec.Topic, clock.GetUtcNow()), ct))
            {
                conversation = name;
            }
        }

        // Remembered before anything else, so a retry after a later failure never creates a second conversation.
        await context.SetConversationAsync(incidentId, conversation, null, ct);
        await store.SetSandboxTopicAsync(conversation, spec.Topic, ct);
        return DeliveryResult.Ok;
    }

    /// <summary>The announcement conversation, created at its first message.</summary>
    public static SandboxConversation Announcements(TimeProvider clock) =>
        new(SandboxPlatformName.AnnouncementConversation, "announcements", "Declarations and status updates of every incident", clock.GetUtcNow());

    private async Task EnsureAnnouncementsAsync(string conversation, CancellationToken ct)
    {
        if (!_announcementsExist && conversation == SandboxPlatformName.AnnouncementConversation)
        {
            await store.CreateSandboxConversationAsync(Announcements(clock), ct);
            _announcementsExist = true;
        }
    }

    /// <summary>
    /// The message as the page shows it, resolved now as Slack resolves it when it renders. The people it mentions lead
    /// its text, by name (a mention of someone the bot cannot name is left out: the sandbox notifies nobody). The link to
    /// the incident's conversation: an announcement does not wait for the conversation to be opened (it would hold up the
    /// announcements behind it), so until then the link goes through the incident, which the page resolves when followed.
    /// </summary>
    private static ChatMessage Resolve(ChatMessage message, Incident? incident, string? incidentConversation)
    {
        var text = message.Text;
        var inText = text.Runs.OfType<MentionRun>().Select(r => r.Person).ToList();
        var known = (incident?.People() ?? []).Concat(inText).ToList();
        var mentioned = message.Mentions.Distinct(StringComparer.Ordinal)
            .Where(id => inText.All(p => p.Id != id))
            .Select(id => known.LastOrDefault(p => p.Id == id && p.IsAssigned))
            .OfType<Person>()
            .ToList();
        if (mentioned.Count > 0)
        {
            text = RichText.Join(new PlainRun(" "), [.. mentioned.Select(p => new RichText([Run.Mention(p)])), text]);
        }

        if (message.LinksIncidentConversation && incident is not null)
        {
            text += RichText.Of($"{Run.LineBreak}Incident conversation: {(incidentConversation is null
                ? Run.Link(IncidentPath(incident.Id), "open it")
                : Run.Link(ConversationPath(incidentConversation), "#" + incidentConversation))}");
        }

        return message with { Text = text, Mentions = [], LinksIncidentConversation = false };
    }

    /// <summary>The page's link to an incident's conversation, resolved when it is followed.</summary>
    public static string IncidentPath(long incidentId) => $"/sandbox/incidents/{incidentId.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
}
