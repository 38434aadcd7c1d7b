using IncidentBot.Core.Alerts;
using IncidentBot.Core.Commands;
using IncidentBot.Core.FollowUps;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Notes;
using IncidentBot.Core.Postmortems;
using IncidentBot.Core.Reminders;
using IncidentBot.Core.Roles;
using IncidentBot.Core.StatusUpdates;

namespace IncidentBot.Core.Service;

/// <summary>
/// The one map from command type to handler. A new verb adds its line here; building the table fails
/// (and with it start-up) when a command type of Core has no handler or two.
/// </summary>
public sealed class CommandTable
{
    private readonly Dictionary<Type, ICommandHandler> _handlers;

    public CommandTable(IEnumerable<ICommandHandler> handlers)
    {
        _handlers = [];
        foreach (var handler in handlers)
        {
            if (!_handlers.TryAdd(handler.CommandType, handler))
            {
                throw new InvalidOperationException($"Two handlers for {handler.CommandType.Name}.");
            }
        }

        var missing = CommandTypes.Where(t => !_handlers.ContainsKey(t)).Select(t => t.Name).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException($"No handler for {string.Join(", ", missing)}.");
        }
    }

    /// <summary>Every concrete command type Core defines.</summary>
    public static IReadOnlyList<Type> CommandTypes { get; } =
        typeof(Command).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(Command)) && !t.IsAbstract).ToList();

    /// <summary>The handlers of every Core command.</summary>
    public static CommandTable Create(HandlerServices services)
    {
        var lead = new LeadHandler(services);
        return new CommandTable(
        [
            new HelpHandler(),
            new DeclareHandler(services),
            new ListHandler(services),
            new TransitionHandler(services),
            new SeverityHandler(services),
            new StatusHandler(services),
            new StatusUpdateHandler(services),
            new NoteHandler(services),
            new RemoveNoteHandler(services),
            lead,
            new RoleHandler(services, lead),
            new SnoozeHandler(services),
            new PostmortemHandler(services),
            new AlertUpdateHandler(services),
            new AddFollowUpHandler(services),
            new ListFollowUpsHandler(),
            new FollowUpDoneHandler(services),
            new DropFollowUpHandler(services),
            new AssignFollowUpHandler(services),
            new FollowUpDueHandler(services),
        ]);
    }

    public T Get<T>()
        where T : ICommandHandler => _handlers.Values.OfType<T>().Single();

    public ICommandHandler For(Command command) => For(command.GetType());

    public ICommandHandler For(Type commandType) =>
        _handlers.TryGetValue(commandType, out var handler)
            ? handler
            : throw new InvalidOperationException($"No handler for {commandType.Name}.");
}
