using IncidentBot.Core.Ports;

namespace IncidentBot.Core.Service;

/// <summary>People's own 1:1 conversations with the bot, as the platforms tell of them: where a direct message can reach them.</summary>
public sealed partial class IncidentService
{
    /// <summary>
    /// Remembers that <paramref name="userId"/> has the 1:1 conversation <paramref name="conversationId"/> with the bot, as seen
    /// now: it replaces the one remembered before (see <see cref="DirectMessages.WhereConversationExists"/>).
    /// </summary>
    public Task<bool> RecordDirectConversationAsync(string platform, string workspaceId, string userId, string conversationId, string? serviceUrl, CancellationToken cancellationToken) =>
        Store.RecordDirectConversationAsync(new DirectConversation(platform, workspaceId, userId, conversationId, serviceUrl, _services.Now), cancellationToken);

    /// <summary>Forgets the person's 1:1 conversation once the bot was removed from it (no longer a way to reach them).</summary>
    public Task<bool> ForgetDirectConversationAsync(string platform, string workspaceId, string userId, string conversationId, CancellationToken cancellationToken) =>
        Store.ForgetDirectConversationAsync(platform, workspaceId, userId, conversationId, _services.Now, cancellationToken);
}
