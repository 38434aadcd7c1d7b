using System.Security.Cryptography;
using System.Text;
using IncidentBot.Host.Configuration;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace IncidentBot.Host.Api;

/// <summary>Requires <c>Authorization: Bearer &lt;key&gt;</c> with one of <c>Api:Keys</c>; compared in constant time.</summary>
internal sealed class ApiKeyFilter(IOptions<ApiOptions> options) : IEndpointFilter
{
    private readonly byte[][] _keys = options.Value.Keys.Where(k => !string.IsNullOrWhiteSpace(k)).Select(k => SHA256.HashData(Encoding.UTF8.GetBytes(k))).ToArray();

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var header = context.HttpContext.Request.Headers.Authorization.ToString();
        const string Prefix = "Bearer ";
        if (_keys.Length == 0 || !header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return Unauthorized(context.HttpContext);
        }

        // Hash first so the comparison takes the same time whatever the key's length.
        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(header[Prefix.Length..].Trim()));
        var match = false;
        foreach (var key in _keys)
        {
            match |= CryptographicOperations.FixedTimeEquals(presented, key);
        }

        return match ? await next(context) : Unauthorized(context.HttpContext);
    }

    private static ProblemHttpResult Unauthorized(HttpContext http)
    {
        http.Response.Headers.WWWAuthenticate = "Bearer";
        return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "A valid API key is required (Authorization: Bearer <key>).");
    }
}
