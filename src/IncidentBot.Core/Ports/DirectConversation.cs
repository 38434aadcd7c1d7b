namespace IncidentBot.Core.Ports;

/// <summary>
/// A person's own (1:1) conversation with the bot, as the platform told of it (Teams: an activity in personal scope):
/// where a message to that person alone can go. Kept per platform, workspace and user; a later one replaces an earlier one.
/// </summary>
/// <param name="Platform">The adapter's platform name.</param>
/// <param name="WorkspaceId">The workspace (Teams: the tenant), as incidents have it.</param>
/// <param name="UserId">The person's platform user id, as <see cref="Incidents.Person.Id"/> has it (Teams: the <c>29:</c> id).</param>
/// <param name="ConversationId">The conversation to post into (Teams: <c>a:...</c>).</param>
/// <param name="ServiceUrl">Where the platform's API answers for the conversation (Teams' service URL); null when it has none.</param>
/// <param name="SeenAt">When the bot last heard of it: a record seen earlier than the stored one does not replace it.</param>
public sealed record DirectConversation(string Platform, string WorkspaceId, string UserId, string ConversationId, string? ServiceUrl, DateTimeOffset SeenAt);
