using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IncidentBot.Teams.Outbound;

/// <summary>
/// How bodies go on the wire to Teams: non-ASCII text as raw UTF-8 rather than <c>\uXXXX</c> escapes, which
/// would double or triple the size of non-English text against Teams' ~28 KB message limit. The bodies are
/// JSON, never embedded in HTML, so the relaxed escaping is safe here.
/// </summary>
public static class TeamsJson
{
    public static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Serialize(JsonNode node) => node.ToJsonString(Options);

    /// <summary>The size of <paramref name="node"/> on the wire, in bytes.</summary>
    public static int Size(JsonNode node) => Encoding.UTF8.GetByteCount(Serialize(node));
}
