using IncidentBot.Core.Messaging;
using IncidentBot.Core.Service;

namespace IncidentBot.Core.Incidents;

/// <summary>Open incidents of the asker's workspace, newest first.</summary>
public sealed class ListHandler(HandlerServices services) : StandaloneHandler<ListCommand>
{
    protected override async Task<CommandReply> HandleAsync(ListCommand command, CommandContext context, CancellationToken cancellationToken)
    {
        var open = await services.Store.ListAsync(context.Platform, context.WorkspaceId, openOnly: true, cancellationToken);
        if (open.Count == 0)
        {
            return CommandReply.Private(RichText.Of($"No open incidents. {Run.Picture(Icon.Celebration)}"));
        }

        var lines = open.Select(i => RichText.Of($"- {Run.Bold(i.Key)} {i.Title} | {i.Severity} | {i.State} | {i.Commander.Name}"));
        return CommandReply.Private(RichText.Join(Run.LineBreak, [RichText.Of($"{open.Count} open incident(s):"), .. lines]));
    }
}
