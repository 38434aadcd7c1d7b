using IncidentBot.Core.Service;
using IncidentBot.Core.Timeline;

namespace IncidentBot.Core.Capture;

/// <summary>
/// Puts a chat message (pinned, reacted to) or a participant joining on the timeline of the incident whose
/// conversation it happened in. The same message captured twice is one entry.
/// </summary>
public sealed class ChatCapture(HandlerServices services)
{
    /// <returns>True when an entry was added.</returns>
    public async Task<bool> RecordAsync(CapturedChatEvent chatEvent, CancellationToken cancellationToken)
    {
        var incident = await services.Store.FindByConversationAsync(chatEvent.Platform, chatEvent.ConversationId, cancellationToken);
        if (incident is null)
        {
            return false;
        }

        var entry = TimelineEntry.For(incident, chatEvent.At, chatEvent.Kind, chatEvent.Author, chatEvent.Text, chatEvent.SourceRef);
        return await services.Store.AppendEntryAsync(entry, cancellationToken);
    }
}
