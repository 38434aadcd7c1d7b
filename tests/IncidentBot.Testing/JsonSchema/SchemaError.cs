namespace IncidentBot.Testing.JsonSchema;

/// <summary>One failed schema keyword: where in the instance (a JSON Pointer), which keyword, and the validator's message.</summary>
public sealed record SchemaError(string Location, string Keyword, string Message)
{
    public override string ToString() => $"{Location}: {Keyword}: {Message}";
}
