using System.Globalization;
using System.Text;
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
            return CommandReply.Private("No open incidents. :tada:");
        }

        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"{open.Count} open incident(s):");
        foreach (var incident in open)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n- *{incident.Key}* {incident.Title} | {incident.Severity} | {incident.State} | {incident.Commander.Name}");
        }

        return CommandReply.Private(text.ToString());
    }
}
