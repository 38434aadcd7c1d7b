using System.Globalization;
using IncidentBot.Core.FollowUps;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Notes;
using IncidentBot.Core.Postmortems;
using IncidentBot.Core.Roles;
using IncidentBot.Core.StatusUpdates;

namespace IncidentBot.Core.Commands;

/// <summary>
/// The one parser for both platforms' command text (after the slash command or the bot's mention). It never
/// throws: unknown verbs and bad arguments become <see cref="HelpCommand"/> with the reason.
/// </summary>
public static class CommandParser
{
    public const int MaxTitleLength = 200;

    /// <summary>Every command with what it does: the help text, on each platform in its own markup.</summary>
    public static readonly RichText HelpText = RichText.Join(Run.LineBreak,
    [
        RichText.Of($"{Run.Bold("IncidentBot commands")}"),
        RichText.Of($"{Run.Code("declare <title> [sev1..sev4] [type:livesite|deployment|customer] [--drill]")}: declare an incident, or a drill to rehearse (no title opens the form)"),
        RichText.Of($"{Run.Code("ack")} | {Run.Code("mitigate")} | {Run.Code("resolve")} | {Run.Code("reopen")}: move the incident along (in its channel)"),
        RichText.Of($"{Run.Code("review")} | {Run.Code("close [--with-open-followups]")}: after resolve, record the postmortem review, then close"),
        RichText.Of($"{Run.Code("update <text>")}: post a status update and broadcast it"),
        RichText.Of($"{Run.Code("note <text>")}: add a timeline entry; {Run.Code("note --remove <id>")} leaves an entry out of the postmortem"),
        RichText.Of($"{Run.Code("lead @user")}: hand over command"),
        RichText.Of($"{Run.Code("role <name> @user")}: assign a role (scribe, liaison, ...)"),
        RichText.Of($"{Run.Code("sev <1-4>")}: change severity"),
        RichText.Of($"{Run.Code("status")}: summary of this incident"),
        RichText.Of($"{Run.Code("list")}: open incidents"),
        RichText.Of($"{Run.Code("postmortem [tz:Europe/Paris]")}: export the postmortem draft"),
        RichText.Of($"{Run.Code("followup <text> [@owner] [due:YYYY-MM-DD | due:<n>d]")}: add a follow-up; {Run.Code("followups")} lists them"),
        RichText.Of($"{Run.Code("followup done <id>")} | {Run.Code("followup drop <id> <reason>")} | {Run.Code("followup assign <id> @user")} | {Run.Code("followup due <id> <date>")}: change one"),
        RichText.Of($"{Run.Code("help")}: this text"),
    ]);


    private static readonly Command Help = new HelpCommand(null);
    private static readonly Command Status = new StatusCommand();
    private static readonly Command List = new ListCommand();
    private static readonly Command FollowUps = new ListFollowUpsCommand();
    private static readonly Command Ack = new TransitionCommand(LifecycleAction.Acknowledge);
    private static readonly Command Mitigate = new TransitionCommand(LifecycleAction.Mitigate);
    private static readonly Command Resolve = new TransitionCommand(LifecycleAction.Resolve);
    private static readonly Command Reopen = new TransitionCommand(LifecycleAction.Reopen);
    private static readonly Command Review = new TransitionCommand(LifecycleAction.Review);
    private static readonly Command Close = new TransitionCommand(LifecycleAction.Close);
    private static readonly Command CloseWithOpen = new TransitionCommand(LifecycleAction.Close, WithOpenFollowUps: true);

    public static Command Parse(string? text, IReadOnlyList<Mention>? mentions = null)
    {
        var input = (text ?? "").AsSpan().Trim();
        if (input.IsEmpty)
        {
            return Help;
        }

        var verbEnd = IndexOfWhiteSpace(input);
        var verb = verbEnd < 0 ? input : input[..verbEnd];
        var rest = verbEnd < 0 ? [] : input[verbEnd..].Trim();
        return verb switch
        {
            _ when Is(verb, "declare") => ParseDeclare(rest),
            _ when Is(verb, "ack") || Is(verb, "acknowledge") => Ack,
            _ when Is(verb, "mitigate") => Mitigate,
            _ when Is(verb, "resolve") => Resolve,
            _ when Is(verb, "reopen") => Reopen,
            _ when Is(verb, "review") => Review,
            _ when Is(verb, "close") => rest.IsEmpty ? Close
                : rest.Equals("--with-open-followups", StringComparison.OrdinalIgnoreCase) ? CloseWithOpen
                : Error(RichText.Of($"{Run.Code("close")} takes only {Run.Code("--with-open-followups")}.")),
            _ when Is(verb, "update") => rest.IsEmpty ? Error(RichText.Of($"{Run.Code("update")} needs the text of the status update.")) : new StatusUpdateCommand(rest.ToString()),
            _ when Is(verb, "note") => ParseNote(rest),
            _ when Is(verb, "lead") => ParseUser(rest, mentions) is { } lead ? new LeadCommand(lead) : Error(RichText.Of($"{Run.Code("lead")} needs a @mention of the new commander.")),
            _ when Is(verb, "role") => ParseRole(rest, mentions),
            _ when Is(verb, "sev") || Is(verb, "severity") => ParseSeverity(rest),
            _ when Is(verb, "status") => Status,
            _ when Is(verb, "list") => List,
            _ when Is(verb, "postmortem") => ParsePostmortem(rest),
            _ when Is(verb, "followup") || Is(verb, "follow-up") => FollowUpParser.Parse(rest, mentions),
            _ when Is(verb, "followups") || Is(verb, "follow-ups") => FollowUps,
            _ when Is(verb, "help") => Help,
            _ => Error(RichText.Of($"Unknown command {Run.Code(Clip(verb))}.")),
        };
    }

    private static Command ParseDeclare(ReadOnlySpan<char> rest)
    {
        Severity? severity = null;
        IncidentType? type = null;
        var drill = false;
        var title = new System.Text.StringBuilder(rest.Length);
        while (!rest.IsEmpty)
        {
            var end = IndexOfWhiteSpace(rest);
            var token = end < 0 ? rest : rest[..end];
            rest = end < 0 ? [] : rest[end..].TrimStart();
            if (SeverityToken(token) is { } sev)
            {
                severity = sev;
            }
            else if (token.Equals("--drill", StringComparison.OrdinalIgnoreCase))
            {
                drill = true;
            }
            else if (token.StartsWith("type:", StringComparison.OrdinalIgnoreCase))
            {
                var name = token[5..];
                type = name switch
                {
                    _ when Is(name, "livesite") => IncidentType.Livesite,
                    _ when Is(name, "deployment") => IncidentType.Deployment,
                    _ when Is(name, "customer") || Is(name, "customerreported") || Is(name, "customer-reported") => IncidentType.CustomerReported,
                    _ => null,
                };
                if (type is null)
                {
                    return Error(RichText.Of($"Unknown incident type {Run.Code(Clip(name))}: use {Run.Code("type:livesite")}, {Run.Code("type:deployment")} or {Run.Code("type:customer")}."));
                }
            }
            else
            {
                if (title.Length > 0)
                {
                    title.Append(' ');
                }

                title.Append(token);
            }
        }

        return new DeclareCommand(title.Length == 0 ? null : CapTitle(title.ToString()), severity, type, drill);
    }

    private static Command ParseNote(ReadOnlySpan<char> rest)
    {
        if (rest.StartsWith("--remove", StringComparison.OrdinalIgnoreCase))
        {
            var id = rest[8..].Trim();
            return long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var entryId) && entryId > 0
                ? new RemoveNoteCommand(entryId)
                : Error(RichText.Of($"{Run.Code("note --remove")} needs the number of a timeline entry."));
        }

        return rest.IsEmpty ? Error(RichText.Of($"{Run.Code("note")} needs the text to put on the timeline.")) : new NoteCommand(rest.ToString());
    }

    private static Command ParseRole(ReadOnlySpan<char> rest, IReadOnlyList<Mention>? mentions)
    {
        var end = IndexOfWhiteSpace(rest);
        if (end < 0)
        {
            return RoleUsage;
        }

        var role = rest[..end];
        var user = ParseUser(rest[end..].Trim(), mentions);
        if (ParseUser(role, mentions) is not null || user is null)
        {
            return RoleUsage;
        }

        return new RoleCommand(role.ToString().ToLowerInvariant(), user);
    }

    private static Command ParseSeverity(ReadOnlySpan<char> rest)
    {
        if (rest.Length == 1 && rest[0] is >= '1' and <= '4')
        {
            return new SeverityCommand((Severity)(rest[0] - '0'));
        }

        return SeverityToken(rest) is { } severity ? new SeverityCommand(severity) : Error(RichText.Of($"{Run.Code("sev")} takes a number from 1 to 4."));
    }

    private static Command ParsePostmortem(ReadOnlySpan<char> rest)
    {
        if (rest.IsEmpty)
        {
            return new PostmortemCommand(null);
        }

        if (!rest.StartsWith("tz:", StringComparison.OrdinalIgnoreCase) || rest.Length == 3 || IndexOfWhiteSpace(rest) >= 0)
        {
            return Error(RichText.Of($"{Run.Code("postmortem")} takes an optional time zone, e.g. {Run.Code("postmortem tz:Europe/Paris")}."));
        }

        var zone = rest[3..];
        foreach (var c in zone)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '/' or '_' or '-' or '+'))
            {
                return Error(RichText.Of($"{Run.Code(Clip(zone))} is not a time zone name such as {Run.Code("Europe/Paris")} or {Run.Code("UTC")}."));
            }
        }

        return new PostmortemCommand(zone.ToString());
    }

    /// <summary>The person <paramref name="text"/> mentions, when it is exactly one of the mentions the adapter resolved.</summary>
    private static Person? ParseUser(ReadOnlySpan<char> text, IReadOnlyList<Mention>? mentions)
    {
        foreach (var mention in mentions ?? [])
        {
            if (text.Equals(mention.Text, StringComparison.Ordinal))
            {
                return mention.Person;
            }
        }

        return null;
    }

    private static Severity? SeverityToken(ReadOnlySpan<char> token) =>
        token.Length == 4 && token.StartsWith("sev", StringComparison.OrdinalIgnoreCase) && token[3] is >= '1' and <= '4'
            ? (Severity)(token[3] - '0')
            : null;

    private static string CapTitle(string title)
    {
        if (title.Length <= MaxTitleLength)
        {
            return title;
        }

        // Cut at a text-element boundary so no surrogate pair or combining sequence is split.
        var info = new StringInfo(title);
        return info.LengthInTextElements <= MaxTitleLength ? title : info.SubstringByTextElements(0, MaxTitleLength);
    }

    private static int IndexOfWhiteSpace(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool Is(ReadOnlySpan<char> token, string word) => token.Equals(word, StringComparison.OrdinalIgnoreCase);

    private static readonly HelpCommand RoleUsage = Error(RichText.Of($"{Run.Code("role")} needs a role name and a @mention, e.g. {Run.Code("role scribe @ada")}."));

    private static HelpCommand Error(RichText message) => new(message);

    /// <summary>Echoes at most a short piece of what the person typed.</summary>
    private static string Clip(ReadOnlySpan<char> text) => (text.Length > 30 ? text[..30] : text).ToString().Replace('`', '\'');
}
