using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Ports;

namespace IncidentBot.Core.Service;

/// <summary>What a handler decided: the change to save (null when nothing changes) and the reply.</summary>
public sealed record Decision(IncidentChange? Change, CommandReply Reply)
{
    public static Decision ReplyOnly(CommandReply reply) => new(null, reply);

    public static Decision Refuse(RichText text, Incident incident) => ReplyOnly(CommandReply.Private(text, incident));
}
