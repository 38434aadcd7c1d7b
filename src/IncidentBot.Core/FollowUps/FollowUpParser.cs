using System.Globalization;
using IncidentBot.Core.Commands;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;

namespace IncidentBot.Core.FollowUps;

/// <summary>The arguments of <c>followup</c>; <see cref="CommandParser"/> hands it the text after the verb.</summary>
public static class FollowUpParser
{
    /// <summary>The longest follow-up text kept (a tracker issue title has room for it).</summary>
    public const int MaxTextLength = 250;

    private static readonly HelpCommand Usage = new(RichText.Of(
        $"{Run.Code("followup <text> [@owner] [due:YYYY-MM-DD | due:<n>d]")} adds a follow-up; {Run.Code("followup done|drop|assign|due <id> ...")} changes one."));

    public static Command Parse(ReadOnlySpan<char> rest, IReadOnlyList<Mention>? mentions)
    {
        if (rest.IsEmpty)
        {
            return Usage;
        }

        var (verb, args) = Split(rest.ToString());
        return verb switch
        {
            _ when Is(verb, "done") => WithNumber(args, "done", (number, _) => new FollowUpDoneCommand(number)),
            _ when Is(verb, "drop") => WithNumber(args, "drop", (number, reason) => reason.Length == 0
                ? Error(RichText.Of($"{Run.Code("followup drop <id> <reason>")} needs the reason it is not being done."))
                : new DropFollowUpCommand(number, reason.ToString())),
            _ when Is(verb, "assign") => WithNumber(args, "assign", (number, who) => Person(who, mentions) is { } owner
                ? new AssignFollowUpCommand(number, owner)
                : Error(RichText.Of($"{Run.Code("followup assign <id> @user")} needs a @mention of the new owner."))),
            _ when Is(verb, "due") => WithNumber(args, "due", (number, date) => Due(date.StartsWith("due:", StringComparison.OrdinalIgnoreCase) ? date.AsSpan(4) : date) is { } due
                ? new FollowUpDueCommand(number, due)
                : BadDate(date)),
            _ => ParseAdd(rest, mentions),
        };
    }

    /// <summary>A due date as typed: <c>YYYY-MM-DD</c> or <c>&lt;n&gt;d</c> (0 to 3650 days from today).</summary>
    public static DueSpec? Due(ReadOnlySpan<char> text)
    {
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return new DueSpec(date, null);
        }

        return text.Length >= 2 && text[^1] is 'd' or 'D'
            && int.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var days) && days <= 3650
            ? new DueSpec(null, days)
            : null;
    }

    private static Command ParseAdd(ReadOnlySpan<char> rest, IReadOnlyList<Mention>? mentions)
    {
        var text = rest.ToString();
        Person? owner = null;
        foreach (var mention in mentions ?? [])
        {
            var at = text.IndexOf(mention.Text, StringComparison.Ordinal);
            if (at >= 0 && owner is null)
            {
                owner = mention.Person;
                text = text.Remove(at, mention.Text.Length);
            }
        }

        DueSpec? due = null;
        var words = new List<string>();
        foreach (var word in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            if (word.StartsWith("due:", StringComparison.OrdinalIgnoreCase))
            {
                if (Due(word.AsSpan(4)) is not { } parsed)
                {
                    return BadDate(word.AsSpan(4));
                }

                due = parsed;
            }
            else
            {
                words.Add(word);
            }
        }

        if (words.Count == 0)
        {
            return Usage;
        }

        var joined = string.Join(' ', words);
        return new AddFollowUpCommand(joined.Length > MaxTextLength ? joined[..MaxTextLength] : joined, owner, due);
    }

    private static Command WithNumber(string args, string verb, Func<int, string, Command> build)
    {
        var (id, rest) = Split(args);
        var digits = id.StartsWith('#') ? id[1..] : id;
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0
            ? build(number, rest)
            : Error(RichText.Of($"{Run.Code($"followup {verb}")} needs the id of a follow-up: {Run.Code("followups")} lists them."));
    }

    private static HelpCommand BadDate(ReadOnlySpan<char> text) =>
        Error(RichText.Of($"{Run.Code(Clip(text))} is not a due date: use {Run.Code("YYYY-MM-DD")} or a number of days such as {Run.Code("7d")}."));

    private static Person? Person(string text, IReadOnlyList<Mention>? mentions)
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

    private static (string Head, string Tail) Split(string text)
    {
        var end = text.AsSpan().IndexOfAny(" \t\r\n");
        return end < 0 ? (text, "") : (text[..end], text[end..].Trim());
    }

    private static bool Is(string token, string word) => token.Equals(word, StringComparison.OrdinalIgnoreCase);

    private static HelpCommand Error(RichText message) => new(message);

    private static string Clip(ReadOnlySpan<char> text) => (text.Length > 30 ? text[..30] : text).ToString().Replace('`', '\'');
}
