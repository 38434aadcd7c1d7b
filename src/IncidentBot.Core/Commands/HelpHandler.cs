using IncidentBot.Core.Messaging;
using IncidentBot.Core.Service;

namespace IncidentBot.Core.Commands;

/// <summary>The command list, privately; with what was wrong first when the command did not parse.</summary>
public sealed class HelpHandler : StandaloneHandler<HelpCommand>
{
    protected override Task<CommandReply> HandleAsync(HelpCommand command, CommandContext context, CancellationToken cancellationToken) =>
        Task.FromResult(CommandReply.Private(command.Error is null ? CommandParser.HelpText : RichText.Of($"{command.Error}{Run.LineBreak}{Run.LineBreak}{CommandParser.HelpText}")));
}
