using System.Globalization;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Notes;
using IncidentBot.Core.Postmortems;
using IncidentBot.Core.Roles;
using IncidentBot.Core.StatusUpdates;

namespace IncidentBot.Core.Commands;

/// <summary>
/// The one parser for both platforms' command text (after `/incident` or the @mention). It never
/// throws: unknown verbs and bad arguments become <see cref="HelpCommand"/> with the reason.
/// </summary>
public static class CommandParser
{
    public const int MaxTitleLength = 200;

    public const string HelpText = """
        *IncidentBot commands*
        `declare <title> [sev1..sev4] [type:livesite|deployment|customer]`: declare an incident (no title opens the form)
        `ack` | `mitigate` | `resolve` | `reopen`: move the incident along (in its channel)
        `update <text>`: post a status update and broadcast it
        `note <text>`: add a timeline entry; `note --remove <id>` leaves an entry out of the postmortem
        `lead @user`: hand over command
        `role <name> @user`: assign a role (scribe, liaison, ...)
        `sev <1-4>`: change severity
        `status`: summary of this incident
        `list`: open incidents
        `postmortem [tz:Europe/Paris]`: export the postmortem draft
        `help`: this text
        """;

    private static readonly Command Help = new HelpCommand(null);
    private static readonly Command Status = new StatusCommand();
    private static readonly Command List = new ListCommand();
    private static readonly Command Ack = new TransitionCommand(LifecycleAction.Acknowledge);
    private static readonly Command Mitigate = new TransitionCommand(LifecycleAction.Mitigate);
    private static readonly Command Resolve = new TransitionCommand(LifecycleAction.Resolve);
    private static readonly Command Reopen = new TransitionCommand(LifecycleAction.Reopen);

    public static Command Parse(string? text, IReadOnlyList<MentionEntity>? mentions = null)
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
            _ when Is(verb, "update") => rest.IsEmpty ? Error("`update` needs the text of the status update.") : new StatusUpdateCommand(rest.ToString()),
            _ when Is(verb, "note") => ParseNote(rest),
            _ when Is(verb, "lead") => ParseUser(rest, mentions) is { } lead ? new LeadCommand(lead) : Error("`lead` needs a @mention of the new commander."),
            _ when Is(verb, "role") => ParseRole(rest, mentions),
            _ when Is(verb, "sev") || Is(verb, "severity") => ParseSeverity(rest),
            _ when Is(verb, "status") => Status,
            _ when Is(verb, "list") => List,
            _ when Is(verb, "postmortem") => ParsePostmortem(rest),
            _ when Is(verb, "help") => Help,
            _ => Error($"Unknown command `{Clip(verb)}`."),
        };
    }

    private static Command ParseDeclare(ReadOnlySpan<char> rest)
    {
        Severity? severity = null;
        IncidentType? type = null;
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
                    return Error($"Unknown incident type `{Clip(name)}`: use `type:livesite`, `type:deployment` or `type:customer`.");
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

        return new DeclareCommand(title.Length == 0 ? null : CapTitle(title.ToString()), severity, type);
    }

    private static Command ParseNote(ReadOnlySpan<char> rest)
    {
        if (rest.StartsWith("--remove", StringComparison.OrdinalIgnoreCase))
        {
            var id = rest[8..].Trim();
            return long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var entryId) && entryId > 0
                ? new RemoveNoteCommand(entryId)
                : Error("`note --remove` needs the number of a timeline entry.");
        }

        return rest.IsEmpty ? Error("`note` needs the text to put on the timeline.") : new NoteCommand(rest.ToString());
    }

    private static Command ParseRole(ReadOnlySpan<char> rest, IReadOnlyList<MentionEntity>? mentions)
    {
        var end = IndexOfWhiteSpace(rest);
        if (end < 0)
        {
            return Error("`role` needs a role name and a @mention, e.g. `role scribe @ada`.");
        }

        var role = rest[..end];
        var user = ParseUser(rest[end..].Trim(), mentions);
        if (role.StartsWith("<", StringComparison.Ordinal) || user is null)
        {
            return Error("`role` needs a role name and a @mention, e.g. `role scribe @ada`.");
        }

        return new RoleCommand(role.ToString().ToLowerInvariant(), user);
    }

    private static Command ParseSeverity(ReadOnlySpan<char> rest)
    {
        if (rest.Length == 1 && rest[0] is >= '1' and <= '4')
        {
            return new SeverityCommand((Severity)(rest[0] - '0'));
        }

        return SeverityToken(rest) is { } severity ? new SeverityCommand(severity) : Error("`sev` takes a number from 1 to 4.");
    }

    private static Command ParsePostmortem(ReadOnlySpan<char> rest)
    {
        if (rest.IsEmpty)
        {
            return new PostmortemCommand(null);
        }

        if (!rest.StartsWith("tz:", StringComparison.OrdinalIgnoreCase) || rest.Length == 3 || IndexOfWhiteSpace(rest) >= 0)
        {
            return Error("`postmortem` takes an optional time zone, e.g. `postmortem tz:Europe/Paris`.");
        }

        var zone = rest[3..];
        foreach (var c in zone)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '/' or '_' or '-' or '+'))
            {
                return Error($"`{Clip(zone)}` is not a time zone name such as `Europe/Paris` or `UTC`.");
            }
        }

        return new PostmortemCommand(zone.ToString());
    }

    /// <summary>A Slack reference (<c>&lt;@U123&gt;</c>, <c>&lt;@U123|name&gt;</c>) or a Teams mention resolved through its entity.</summary>
    private static Person? ParseUser(ReadOnlySpan<char> text, IReadOnlyList<MentionEntity>? mentions)
    {
        if (text.StartsWith("<@", StringComparison.Ordinal) && text.EndsWith(">", StringComparison.Ordinal))
        {
            var inner = text[2..^1];
            var bar = inner.IndexOf('|');
            var id = bar < 0 ? inner : inner[..bar];
            if (id.IsEmpty || id.ContainsAnyExcept(SlackIdChars))
            {
                return null;
            }

            var name = bar < 0 ? id : inner[(bar + 1)..];
            return new Person(id.ToString(), name.IsEmpty ? id.ToString() : name.ToString());
        }

        if (text.StartsWith("<at>", StringComparison.OrdinalIgnoreCase) && mentions is not null)
        {
            foreach (var mention in mentions)
            {
                if (text.Equals(mention.Text, StringComparison.Ordinal))
                {
                    return new Person(mention.UserId, mention.Name);
                }
            }
        }

        return null;
    }

    private static readonly System.Buffers.SearchValues<char> SlackIdChars =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");

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

    private static HelpCommand Error(string message) => new(message);

    /// <summary>Echoes at most a short piece of what the person typed.</summary>
    private static string Clip(ReadOnlySpan<char> text) => (text.Length > 30 ? text[..30] : text).ToString().Replace('`', '\'');
}
