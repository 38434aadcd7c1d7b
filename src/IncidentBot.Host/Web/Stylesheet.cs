namespace IncidentBot.Host.Web;

/// <summary>The web view's one stylesheet, embedded in the assembly: nothing to deploy beside the binary.</summary>
internal static class Stylesheet
{
    private static readonly Lazy<byte[]> Content = new(() =>
    {
        using var stream = typeof(Stylesheet).Assembly.GetManifestResourceStream("IncidentBot.Host.Web.web.css")
            ?? throw new InvalidOperationException("The embedded stylesheet IncidentBot.Host.Web.web.css is missing.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    public static IResult Serve(HttpContext context)
    {
        context.Response.Headers.CacheControl = "public, max-age=3600";
        return TypedResults.Bytes(Content.Value, "text/css; charset=utf-8");
    }
}
