namespace IncidentBot.Host.Sandbox;

/// <summary>The sandbox's script and stylesheet, embedded in the assembly: no CDN, no build step, nothing to deploy.</summary>
internal static class SandboxAssets
{
    private static readonly Lazy<byte[]> ScriptContent = new(() => Read("IncidentBot.Host.Sandbox.sandbox.js"));
    private static readonly Lazy<byte[]> StylesheetContent = new(() => Read("IncidentBot.Host.Sandbox.sandbox.css"));

    public static IResult Script() => TypedResults.Bytes(ScriptContent.Value, "text/javascript; charset=utf-8");

    public static IResult Stylesheet() => TypedResults.Bytes(StylesheetContent.Value, "text/css; charset=utf-8");

    private static byte[] Read(string name)
    {
        using var stream = typeof(SandboxAssets).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The embedded resource {name} is missing.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
