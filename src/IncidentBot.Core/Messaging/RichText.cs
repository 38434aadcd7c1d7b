using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using IncidentBot.Core.Incidents;

namespace IncidentBot.Core.Messaging;

/// <summary>
/// Text that belongs to no platform: runs of plain text, bold, code, links, mentions of people, named icons
/// and line breaks. Each platform's renderer turns it into its own markup and does its own escaping, so
/// text people typed (a plain run) can never become markup on any platform.
/// </summary>
public sealed class RichText : IEquatable<RichText>
{
    public static readonly RichText Empty = new([]);

    public RichText(IReadOnlyList<Run> runs)
    {
        Runs = runs;
    }

    public IReadOnlyList<Run> Runs { get; }

    /// <summary>What a reader sees without any markup: labels of links, names of people, no icons.</summary>
    public string PlainText => ToPlainText(static _ => "");

    /// <summary>Text without markup, each icon as <paramref name="icon"/> says (a platform's emoji for it).</summary>
    public string ToPlainText(Func<Icon, string> icon)
    {
        if (Runs is [PlainRun only])
        {
            return only.Text;
        }

        var text = new StringBuilder();
        foreach (var run in Runs)
        {
            text.Append(run switch
            {
                PlainRun p => p.Text,
                BoldRun b => b.Text,
                CodeRun c => c.Text,
                LinkRun l => l.Label,
                MentionRun m => m.Person.Name,
                IconRun i => icon(i.Icon),
                LineBreakRun => "\n",
                _ => "",
            });
        }

        return text.ToString();
    }

    public bool IsBlank => string.IsNullOrWhiteSpace(PlainText);

    /// <summary>Plain text: what people typed, and Core's own sentences without emphasis.</summary>
    public static implicit operator RichText(string text) => Plain(text);

    public static RichText Plain(string text) => new([new PlainRun(text)]);

    /// <summary>Rich text from an interpolated string: literals are plain, interpolated runs keep their kind.</summary>
    public static RichText Of(ref RichTextHandler text) => text.Build();

    /// <summary>The runs of <paramref name="parts"/> one after the other, joined by <paramref name="separator"/>.</summary>
    public static RichText Join(Run separator, IEnumerable<RichText> parts)
    {
        var runs = new List<Run>();
        foreach (var part in parts)
        {
            if (runs.Count > 0)
            {
                runs.Add(separator);
            }

            runs.AddRange(part.Runs);
        }

        return new RichText(runs);
    }

    public static RichText operator +(RichText left, RichText right) => new([.. left.Runs, .. right.Runs]);

    public bool Equals(RichText? other) => other is not null && Runs.SequenceEqual(other.Runs);

    public override bool Equals(object? obj) => obj is RichText other && Equals(other);

    public override int GetHashCode() => PlainText.GetHashCode(StringComparison.Ordinal);

    public override string ToString() => PlainText;
}

/// <summary>Named pictures Core may show; each renderer maps them to its platform's emoji.</summary>
public enum Icon
{
    /// <summary>A new incident (Slack <c>:rotating_light:</c>).</summary>
    Alert,

    /// <summary>Nothing is on fire (Slack <c>:tada:</c>).</summary>
    Celebration,
}

/// <summary>One run of <see cref="RichText"/>.</summary>
public abstract record Run
{
    public static Run Bold(string text) => new BoldRun(text);

    public static Run Code(string text) => new CodeRun(text);

    public static Run Link(string url, string label) => new LinkRun(url, label);

    public static Run Mention(Person person) => new MentionRun(person);

    public static Run Picture(Icon icon) => new IconRun(icon);

    public static readonly Run LineBreak = new LineBreakRun();
}

public sealed record PlainRun(string Text) : Run;

public sealed record BoldRun(string Text) : Run;

/// <summary>A command or an identifier to type as shown.</summary>
public sealed record CodeRun(string Text) : Run;

public sealed record LinkRun(string Url, string Label) : Run;

public sealed record MentionRun(Person Person) : Run;

public sealed record IconRun(Icon Icon) : Run;

public sealed record LineBreakRun : Run;

/// <summary>Builds <see cref="RichText"/> from an interpolated string (see <see cref="RichText.Of"/>).</summary>
[InterpolatedStringHandler]
public ref struct RichTextHandler
{
    private readonly List<Run> _runs;
    private readonly StringBuilder _plain;

    public RichTextHandler(int literalLength, int formattedCount)
    {
        _runs = new List<Run>(formattedCount * 2 + 1);
        _plain = new StringBuilder(literalLength + (formattedCount * 8));
    }

    public readonly void AppendLiteral(string value) => _plain.Append(value);

    public readonly void AppendFormatted<T>(T value)
    {
        switch (value)
        {
            case Run run:
                Flush();
                _runs.Add(run);
                break;
            case RichText text:
                Flush();
                _runs.AddRange(text.Runs);
                break;
            case IFormattable formattable:
                _plain.Append(formattable.ToString(null, CultureInfo.InvariantCulture));
                break;
            default:
                _plain.Append(value);
                break;
        }
    }

    public readonly void AppendFormatted<T>(T value, string format)
        where T : IFormattable => _plain.Append(value.ToString(format, CultureInfo.InvariantCulture));

    public readonly RichText Build()
    {
        Flush();
        return new RichText(_runs);
    }

    private readonly void Flush()
    {
        if (_plain.Length > 0)
        {
            _runs.Add(new PlainRun(_plain.ToString()));
            _plain.Clear();
        }
    }
}
