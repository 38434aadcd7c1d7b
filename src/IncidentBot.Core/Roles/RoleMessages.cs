using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;

namespace IncidentBot.Core.Roles;

/// <summary>What a role change posts: the refreshed header and a line naming the person.</summary>
public static class RoleMessages
{
    public static IReadOnlyList<OutgoingMessage> Assigned(Incident incident, string text, Person person) =>
        [.. Outgoing.HeaderRefresh(incident), Outgoing.Post(incident, IncidentMessages.Changed(text) with { Mentions = [person.Id] })];
}
