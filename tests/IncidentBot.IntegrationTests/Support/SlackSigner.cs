using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace IncidentBot.IntegrationTests.Support;

/// <summary>Signs requests the way Slack does (v0 HMAC-SHA256 over "v0:{ts}:{body}").</summary>
public static class SlackSigner
{
    public static string Signature(string secret, long timestamp, string body)
    {
        var hash = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"v0:{timestamp.ToString(CultureInfo.InvariantCulture)}:{body}"));
        return "v0=" + Convert.ToHexStringLower(hash);
    }

    public static long Now() => TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();

    public static HttpRequestMessage Form(string path, string body, string secret, long? timestamp = null) =>
        Build(path, body, "application/x-www-form-urlencoded", secret, timestamp ?? Now());

    public static HttpRequestMessage Json(string path, string body, string secret, long? timestamp = null) =>
        Build(path, body, "application/json", secret, timestamp ?? Now());

    public static HttpRequestMessage Build(string path, string body, string contentType, string secret, long timestamp)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative))
        {
            Content = new StringContent(body, Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        request.Headers.Add("X-Slack-Request-Timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("X-Slack-Signature", Signature(secret, timestamp, body));
        return request;
    }

    /// <summary>A slash command form body in Slack's field order, as the reference sample has it.</summary>
    public static string Command(string text, string channel = "CGENERAL", string user = "U1", string userName = "ada", string team = "T1", string trigger = "13345224609.738474920.8088930838d88f008e0") =>
        string.Join('&',
            $"token=deprecated",
            $"team_id={Uri.EscapeDataString(team)}",
            "team_domain=acme",
            $"channel_id={Uri.EscapeDataString(channel)}",
            "channel_name=general",
            $"user_id={Uri.EscapeDataString(user)}",
            $"user_name={Uri.EscapeDataString(userName)}",
            "command=%2Fincident",
            $"text={Uri.EscapeDataString(text)}",
            "api_app_id=A1",
            "is_enterprise_install=false",
            "response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1%2F1%2Fx",
            $"trigger_id={Uri.EscapeDataString(trigger)}");

    public static string Payload(string json) => "payload=" + Uri.EscapeDataString(json);
}
