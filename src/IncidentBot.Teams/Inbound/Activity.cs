using System.Text.Json;
using System.Text.Json.Serialization;

namespace IncidentBot.Teams.Inbound;

/// <summary>
/// The fields of a Bot Framework activity the bot reads (botframework-activity spec); unknown fields are
/// ignored, as the spec requires of receivers.
/// </summary>
internal sealed record Activity
{
    public string? Type { get; init; }

    public string? Id { get; init; }

    public string? ChannelId { get; init; }

    public string? ServiceUrl { get; init; }

    public string? Text { get; init; }

    public string? Name { get; init; }

    public string? ReplyToId { get; init; }

    /// <summary>installationUpdate: <c>add</c>, <c>remove</c>, or their <c>-upgrade</c> forms.</summary>
    public string? Action { get; init; }

    public ChannelAccount? From { get; init; }

    public ChannelAccount? Recipient { get; init; }

    public ConversationAccount? Conversation { get; init; }

    public List<Entity>? Entities { get; init; }

    public List<ChannelAccount>? MembersAdded { get; init; }

    public List<ChannelAccount>? MembersRemoved { get; init; }

    /// <summary>Card data (Action.Submit) or the invoke's payload.</summary>
    public JsonElement Value { get; init; }

    public JsonElement ChannelData { get; init; }
}

/// <summary>A user or bot: <c>29:...</c> users, <c>28:{appId}</c> the bot.</summary>
internal sealed record ChannelAccount(string? Id, string? Name);

/// <summary>Where the activity happened; <c>19:...;messageid=...</c> for a channel thread, <c>a:...</c> with type <c>personal</c> for a 1:1 with the bot.</summary>
internal sealed record ConversationAccount(string? Id, string? ConversationType, string? TenantId);

/// <summary>An entity of the activity; only mentions matter here.</summary>
internal sealed record Entity(string? Type, string? Text, ChannelAccount? Mentioned);

/// <summary>The activity's JSON settings: camelCase, as the Bot Framework writes it.</summary>
internal static class ActivityJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
