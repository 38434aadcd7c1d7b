using System.Text.Json;
using System.Text.Json.Serialization;

namespace IncidentBot.Slack.Inbound;

// Typed records for the parts of Slack's inbound payloads the bot uses (snake_case on the wire).

internal sealed record SlackTeam(string? Id, string? Domain);

internal sealed record SlackUser(string? Id, string? Username, string? Name, string? TeamId);

internal sealed record SlackChannelRef(string? Id, string? Name);

internal sealed record SlackContainer(string? Type, string? MessageTs, string? ChannelId, string? ViewId);

internal sealed record SlackAction(string? ActionId, string? BlockId, string? Value, string? Type);

internal sealed record SlackMessage(string? Type, string? Text, string? User, string? Username, string? Ts, string? ThreadTs, string? BotId);

internal sealed record SlackOption(string? Value);

internal sealed record SlackInputValue(string? Type, string? Value, SlackOption? SelectedOption, string? SelectedUser = null);

internal sealed record SlackViewState(Dictionary<string, Dictionary<string, SlackInputValue>>? Values);

internal sealed record SlackView(string? Id, string? CallbackId, string? PrivateMetadata, string? Hash, SlackViewState? State);

/// <summary>An interactivity payload: block_actions, message_action, shortcut, view_submission, view_closed.</summary>
internal sealed record InteractionPayload(
    string? Type,
    SlackTeam? Team,
    SlackUser? User,
    string? TriggerId,
    string? ResponseUrl,
    SlackContainer? Container,
    SlackChannelRef? Channel,
    SlackMessage? Message,
    List<SlackAction>? Actions,
    SlackView? View,
    string? CallbackId,
    string? MessageTs,
    [property: JsonConverter(typeof(FlexibleBoolConverter))] bool? IsEnterpriseInstall);

internal sealed record SlackEventItem(string? Type, string? Channel, string? Ts, SlackMessage? Message);

internal sealed record SlackEvent(string? Type, string? User, string? Channel, string? ChannelId, SlackEventItem? Item, string? Reaction, string? EventTs);

/// <summary>An Events API request: url_verification or event_callback.</summary>
internal sealed record EventEnvelope(
    string? Type,
    string? Challenge,
    string? TeamId,
    string? EventId,
    long? EventTime,
    SlackEvent? Event,
    [property: JsonConverter(typeof(FlexibleBoolConverter))] bool? IsEnterpriseInstall);

/// <summary>Slack sends some booleans as JSON booleans and others as "true"/"false" strings.</summary>
internal sealed class FlexibleBoolConverter : JsonConverter<bool?>
{
    public override bool? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        JsonTokenType.String => string.Equals(reader.GetString(), "true", StringComparison.OrdinalIgnoreCase),
        JsonTokenType.Null => null,
        _ => throw new JsonException("Expected a boolean."),
    };

    public override void Write(Utf8JsonWriter writer, bool? value, JsonSerializerOptions options)
    {
        if (value is { } v)
        {
            writer.WriteBooleanValue(v);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}

internal static class SlackJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        PropertyNameCaseInsensitive = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        MaxDepth = 64,

        // Slack counts characters: keep non-ASCII text as it is instead of \uXXXX escapes six times longer.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
