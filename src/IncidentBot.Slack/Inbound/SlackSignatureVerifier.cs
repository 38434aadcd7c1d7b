using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using IncidentBot.Slack.Configuration;
using Microsoft.Extensions.Options;

namespace IncidentBot.Slack.Inbound;

/// <summary>
/// Slack's v0 request signature: HMAC-SHA256 over <c>v0:{timestamp}:{raw body}</c> with the signing
/// secret, compared in constant time, with the timestamp within five minutes of now either way.
/// </summary>
public sealed class SlackSignatureVerifier(IOptions<SlackOptions> options, TimeProvider clock)
{
    public static readonly TimeSpan MaxSkew = TimeSpan.FromMinutes(5);

    private readonly byte[] _secret = Encoding.UTF8.GetBytes(options.Value.SigningSecret ?? "");

    public bool IsValid(string? timestamp, string? signature, ReadOnlySpan<byte> body)
    {
        if (_secret.Length == 0 || string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signature)
            || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return false;
        }

        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        if (Math.Abs(now - seconds) > (long)MaxSkew.TotalSeconds)
        {
            return false;
        }

        var expected = Compute(_secret, timestamp, body);
        var presented = Encoding.ASCII.GetBytes(signature);
        return CryptographicOperations.FixedTimeEquals(expected, presented);
    }

    /// <summary>The <c>v0=&lt;hex&gt;</c> signature as ASCII bytes.</summary>
    public static byte[] Compute(byte[] secret, string timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes($"v0:{timestamp}:");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        var hash = HMACSHA256.HashData(secret, message);
        return Encoding.ASCII.GetBytes("v0=" + Convert.ToHexStringLower(hash));
    }
}
