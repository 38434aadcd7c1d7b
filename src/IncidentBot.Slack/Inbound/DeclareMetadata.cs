using System.Globalization;
using System.Text.Json;

namespace IncidentBot.Slack.Inbound;

/// <summary>What the declare modal carries in <c>private_metadata</c> (at most 3,000 characters).</summary>
internal sealed record DeclareMetadata(string Channel, string? MessageTs = null, string? MessageUser = null, string? MessageText = null, string? Permalink = null)
{
    private const int MaxCarriedText = 1500;

    public static string ForChannel(string channel) => new DeclareMetadata(channel).Serialize();

    public string Serialize()
    {
        var trimmed = MessageText is { Length: > MaxCarriedText } t ? this with { MessageText = t[..MaxCarriedText] } : this;
        return JsonSerializer.Serialize(trimmed, SlackJson.Options);
    }

    public static DeclareMetadata? Parse(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<DeclareMetadata>(json, SlackJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Slack's message ts ("1700000000.000100") as an instant; null when it is not one.</summary>
    public static DateTimeOffset? ParseTs(string? ts)
    {
        if (ts is null || !decimal.TryParse(ts, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds) || seconds > 32_503_680_000m)
        {
            return null;
        }

        return DateTimeOffset.UnixEpoch.AddTicks((long)(seconds * TimeSpan.TicksPerSecond));
    }
}
