using IncidentBot.Host.Configuration;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace IncidentBot.Host.Api;

/// <summary>Requires <c>Authorization: Bearer &lt;key&gt;</c> with one of <c>Api:Keys</c>; compared in constant time.</summary>
internal sealed class ApiKeyFilter(IOptions<ApiOptions> options) : IEndpointFilter
{
    private readonly BearerKeys _keys = new(options.Value.Keys);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        _keys.Accepts(context.HttpContext.Request.Headers.Authorization.ToString()) ? await next(context) : Unauthorized(context.HttpContext);

    private static ProblemHttpResult Unauthorized(HttpContext http)
    {
        http.Response.Headers.WWWAuthenticate = "Bearer";
        return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "A valid API key is required (Authorization: Bearer <key>).");
    }
}
