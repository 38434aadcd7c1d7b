using System.Security.Cryptography;
using System.Text;

namespace IncidentBot.Host.Api;

/// <summary>Bearer keys compared in constant time: what the API keys and the alert tokens share.</summary>
internal sealed class BearerKeys(IEnumerable<string> keys)
{
    private const string Prefix = "Bearer ";

    private readonly byte[][] _keys = keys.Where(k => !string.IsNullOrWhiteSpace(k)).Select(k => Hash(k.Trim())).ToArray();

    public bool IsEmpty => _keys.Length == 0;

    /// <summary>Whether <paramref name="authorization"/> is <c>Bearer &lt;one of the keys&gt;</c>.</summary>
    public bool Accepts(string? authorization)
    {
        if (_keys.Length == 0 || authorization is null || !authorization.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        // Hash first so the comparison takes the same time whatever the key's length.
        var presented = Hash(authorization[Prefix.Length..].Trim());
        var match = false;
        foreach (var key in _keys)
        {
            match |= CryptographicOperations.FixedTimeEquals(presented, key);
        }

        return match;
    }

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
