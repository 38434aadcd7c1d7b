using System.Text.Json;
using IncidentBot.Testing.JsonSchema;

namespace IncidentBot.Teams.Tests.Manifest;

/// <summary>The draft-04 and draft-07 keywords the Teams schema brought to our validator (the Slack schema uses the rest).</summary>
public sealed class DraftSevenValidatorTests
{
    private static IReadOnlyList<string> Validate(string schema, string instance) =>
        new DraftSevenValidator(JsonDocument.Parse(schema).RootElement).Validate(JsonDocument.Parse(instance).RootElement);

    [TestCase("10", false)]
    [TestCase("9.5", true)]
    public void Validate_DraftFourBooleanExclusiveMaximum_ExcludesTheBound(string instance, bool valid) =>
        Assert.That(Validate("""{"maximum": 10, "exclusiveMaximum": true}""", instance), valid ? Is.Empty : Has.One.Contains("exclusiveMaximum"));

    [TestCase("10", true)]
    [TestCase("11", false)]
    public void Validate_MaximumWithoutExclusive_IncludesTheBound(string instance, bool valid) =>
        Assert.That(Validate("""{"maximum": 10, "exclusiveMaximum": false}""", instance), valid ? Is.Empty : Has.One.Contains("maximum 10"));

    [TestCase("3", false)]
    [TestCase("4", true)]
    public void Validate_DraftSevenNumericExclusiveMinimum_ExcludesTheBound(string instance, bool valid) =>
        Assert.That(Validate("""{"exclusiveMinimum": 3}""", instance), valid ? Is.Empty : Has.One.Contains("exclusiveMinimum"));

    [TestCase("""{"type": "OAuthPluginVault"}""", false)]
    [TestCase("""{"type": "OAuthPluginVault", "referenceId": "r"}""", true)]
    [TestCase("""{"type": "None"}""", true)]
    public void Validate_IfThen_AppliesThenOnlyWhenIfMatches(string instance, bool valid) =>
        Assert.That(
            Validate("""{"if": {"properties": {"type": {"enum": ["OAuthPluginVault"]}}}, "then": {"required": ["referenceId"]}}""", instance),
            valid ? Is.Empty : Has.One.Contains("missing required 'referenceId'"));

    [Test]
    public void Validate_IfFailsWithElse_AppliesElse() =>
        Assert.That(Validate("""{"if": {"type": "string"}, "then": {"maxLength": 1}, "else": {"minimum": 5}}""", "4"), Has.One.Contains("minimum 5"));

    [Test]
    public void Validate_Dependencies_RequireTheNamedProperties() =>
        Assert.That(Validate("""{"dependencies": {"a": ["b"], "c": {"required": ["d"]}}}""", """{"a": 1, "c": 2}"""), Is.EquivalentTo(new[] { "$: 'a' requires 'b'", "$: missing required 'd'" }));

    [TestCase("https://developer.microsoft.com/json-schemas/teams/v1.29/MicrosoftTeams.schema.json", true)]
    [TestCase("not a uri", false)]
    public void Validate_FormatUri_ChecksAbsoluteUris(string text, bool valid) =>
        Assert.That(Validate("""{"format": "uri"}""", JsonSerializer.Serialize(text)), valid ? Is.Empty : Has.One.Contains("is not a valid uri"));

    [Test]
    public void Validate_UnknownFormat_IsOnlyAnAnnotation() =>
        Assert.That(Validate("""{"format": "color-name"}""", "\"anything\""), Is.Empty);

    [TestCase("id")]
    [TestCase("$id")]
    public void Validate_RefSpellingOutTheRootId_ResolvesLocally(string idKeyword) =>
        Assert.That(
            Validate($$$"""{"{{{idKeyword}}}": "https://example.com/s.json#", "definitions": {"n": {"type": "integer"}}, "$ref": "https://example.com/s.json#/definitions/n"}""", "\"x\""),
            Has.One.Contains("expected type"));

    [Test]
    public void Validate_Not_RefusesWhatTheSubschemaAccepts() =>
        Assert.That(Validate("""{"not": {"const": 1}}""", "1"), Has.One.Contains("'not'"));
}
