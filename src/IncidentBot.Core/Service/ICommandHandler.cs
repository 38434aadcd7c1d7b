using IncidentBot.Core.Commands;
using IncidentBot.Core.Incidents;

namespace IncidentBot.Core.Service;

/// <summary>Handles one command type; <see cref="CommandTable"/> maps each command type to its handler.</summary>
public interface ICommandHandler
{
    Type CommandType { get; }
}

/// <summary>A command that needs no incident (declare, list, help): the handler answers on its own.</summary>
public interface IStandaloneHandler : ICommandHandler
{
    Task<CommandReply> HandleAsync(Command command, CommandContext context, CancellationToken cancellationToken);
}

/// <summary>
/// A command about one incident: the pipeline de-duplicates the request, loads the incident, serialises
/// changes to it, saves the decided change and decides again on a version conflict.
/// </summary>
public interface IIncidentHandler : ICommandHandler
{
    Task<Decision> DecideAsync(Command command, Incident incident, CommandContext context, CancellationToken cancellationToken);
}

/// <summary>Base of standalone handlers: typed access to the command.</summary>
public abstract class StandaloneHandler<TCommand> : IStandaloneHandler
    where TCommand : Command
{
    public Type CommandType => typeof(TCommand);

    public Task<CommandReply> HandleAsync(Command command, CommandContext context, CancellationToken cancellationToken) =>
        HandleAsync((TCommand)command, context, cancellationToken);

    protected abstract Task<CommandReply> HandleAsync(TCommand command, CommandContext context, CancellationToken cancellationToken);
}

/// <summary>Base of incident handlers whose decision needs no I/O.</summary>
public abstract class IncidentHandler<TCommand> : IIncidentHandler
    where TCommand : Command
{
    public Type CommandType => typeof(TCommand);

    public virtual Task<Decision> DecideAsync(Command command, Incident incident, CommandContext context, CancellationToken cancellationToken) =>
        Task.FromResult(Decide((TCommand)command, incident, context));

    protected abstract Decision Decide(TCommand command, Incident incident, CommandContext context);
}

/// <summary>Base of incident handlers that read the store to decide (status view, redaction, postmortem).</summary>
public abstract class ReadingIncidentHandler<TCommand> : IIncidentHandler
    where TCommand : Command
{
    public Type CommandType => typeof(TCommand);

    public Task<Decision> DecideAsync(Command command, Incident incident, CommandContext context, CancellationToken cancellationToken) =>
        DecideAsync((TCommand)command, incident, context, cancellationToken);

    protected abstract Task<Decision> DecideAsync(TCommand command, Incident incident, CommandContext context, CancellationToken cancellationToken);
}
