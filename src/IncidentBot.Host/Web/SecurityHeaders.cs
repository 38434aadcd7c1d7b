namespace IncidentBot.Host.Web;

/// <summary>Headers on every response: no script at all, no framing, no sniffing.</summary>
internal static class SecurityHeaders
{
    /// <summary>The pages use no script and one stylesheet of this host; SVG charts are inline markup, not images.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    public static Task ApplyAsync(HttpContext context, Func<Task> next)
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            // A route that needs more (the sandbox's one script) sets its own policy before the response starts.
            if (string.IsNullOrEmpty(headers.ContentSecurityPolicy))
            {
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
            }

            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "same-origin";
            return Task.CompletedTask;
        });
        return next();
    }
}
