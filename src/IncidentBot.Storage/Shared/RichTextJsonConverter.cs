using System.Text.Json;
using System.Text.Json.Serialization;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;

namespace IncidentBot.Storage.Shared;

/// <summary>
/// Rich text in outbox rows: a plain text stays a JSON string (the shape rows had before rich text, so rows
/// written by an older version still deliver), anything else is an array of runs, one small object each.
/// </summary>
internal sealed class RichTextJsonConverter : JsonConverter<RichText>
{
    public override RichText Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return RichText.Plain(reader.GetString()!);
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("Rich text is a string or an array of runs.");
        }

        var runs = new List<Run>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            using var run = JsonDocument.ParseValue(ref reader);
            runs.Add(ReadRun(run.RootElement));
        }

        return new RichText(runs);
    }

    public override void Write(Utf8JsonWriter writer, RichText value, JsonSerializerOptions options)
    {
        if (value.Runs is [PlainRun only])
        {
            writer.WriteStringValue(only.Text);
            return;
        }

        writer.WriteStartArray();
        foreach (var run in value.Runs)
        {
            writer.WriteStartObject();
            switch (run)
            {
                case PlainRun plain:
                    writer.WriteString("plain", plain.Text);
                    break;
                case BoldRun bold:
                    writer.WriteString("bold", bold.Text);
                    break;
                case CodeRun code:
                    writer.WriteString("code", code.Text);
                    break;
                case LinkRun link:
                    writer.WriteString("link", link.Url);
                    writer.WriteString("label", link.Label);
                    break;
                case MentionRun mention:
                    writer.WriteString("mention", mention.Person.Id);
                    writer.WriteString("name", mention.Person.Name);
                    break;
                case IconRun icon:
                    writer.WriteString("icon", icon.Icon.ToString());
                    break;
                case LineBreakRun:
                    writer.WriteBoolean("break", true);
                    break;
                default:
                    throw new JsonException($"No JSON form for {run.GetType().Name}.");
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static Run ReadRun(JsonElement run)
    {
        string Text(string name) => run.GetProperty(name).GetString() ?? "";
        if (run.TryGetProperty("plain", out _))
        {
            return new PlainRun(Text("plain"));
        }

        if (run.TryGetProperty("bold", out _))
        {
            return Run.Bold(Text("bold"));
        }

        if (run.TryGetProperty("code", out _))
        {
            return Run.Code(Text("code"));
        }

        if (run.TryGetProperty("link", out _))
        {
            return Run.Link(Text("link"), Text("label"));
        }

        if (run.TryGetProperty("mention", out _))
        {
            return Run.Mention(new Person(Text("mention"), Text("name")));
        }

        if (run.TryGetProperty("icon", out _))
        {
            // An icon this version does not know is dropped rather than failing the whole message.
            return Enum.TryParse<Icon>(Text("icon"), out var icon) ? Run.Picture(icon) : new PlainRun("");
        }

        if (run.TryGetProperty("break", out _))
        {
            return Run.LineBreak;
        }

        throw new JsonException("Unknown rich-text run.");
    }
}
