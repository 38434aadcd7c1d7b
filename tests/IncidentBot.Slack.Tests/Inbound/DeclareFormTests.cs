using System.Text.Json;
using IncidentBot.Core.Incidents;
using IncidentBot.Slack.Inbound;

namespace IncidentBot.Slack.Tests.Inbound;

public sealed class DeclareFormTests
{
    [Test]
    public void Validate_Complete_BuildsRequest()
    {
        var form = DeclareForm.Validate("  Checkout errors ", "sev2", "customer", "Card payments fail");

        Assert.That(form.Errors, Is.Empty);
        Assert.That(form.Request!.Title, Is.EqualTo("Checkout errors"));
        Assert.That(form.Request.Severity, Is.EqualTo(Severity.Sev2));
        Assert.That(form.Request.Type, Is.EqualTo(IncidentType.CustomerReported));
    }

    [Test]
    public void Validate_MissingEverything_ErrorsKeyedByInputBlock()
    {
        var form = DeclareForm.Validate(" ", null, "nope", null);

        Assert.That(form.Request, Is.Null);
        Assert.That(form.Errors.Keys, Is.EquivalentTo(new[] { SlackViews.TitleBlock, SlackViews.SeverityBlock, SlackViews.TypeBlock }));
    }

    [Test]
    public void Validate_TitleTooLong_Error() =>
        Assert.That(DeclareForm.Validate(new string('x', 201), "sev1", "livesite", null).Errors.Keys, Is.EqualTo(new[] { SlackViews.TitleBlock }));

    [TestCase("{\"type\":\"shortcut\",\"is_enterprise_install\":\"true\"}", true)]
    [TestCase("{\"type\":\"shortcut\",\"is_enterprise_install\":false}", false)]
    [TestCase("{\"type\":\"shortcut\",\"is_enterprise_install\":\"false\"}", false)]
    [TestCase("{\"type\":\"shortcut\"}", null)]
    public void Payload_IsEnterpriseInstall_AcceptsStringAndBoolean(string json, bool? expected) =>
        Assert.That(JsonSerializer.Deserialize<InteractionPayload>(json, SlackJson.Options)!.IsEnterpriseInstall, Is.EqualTo(expected));

    [Test]
    public void ParseTs_SlackTimestamp_ToInstantWithMicroseconds() =>
        Assert.That(DeclareMetadata.ParseTs("1700000000.000100"), Is.EqualTo(DateTimeOffset.FromUnixTimeSeconds(1700000000).AddTicks(1000)));

    [TestCase("abc")]
    [TestCase("99999999999999999999999")]
    [TestCase(null)]
    public void ParseTs_Garbage_Null(string? ts) => Assert.That(DeclareMetadata.ParseTs(ts), Is.Null);

    [Test]
    public void Metadata_LongMessage_StaysWithinSlacksLimit()
    {
        var json = new DeclareMetadata("C1", "1700000000.000100", "U1", new string('é', 5000), "https://acme.slack.com/archives/C1/p1700000000000100").Serialize();

        Assert.That(json.Length, Is.LessThanOrEqualTo(3000));
        Assert.That(DeclareMetadata.Parse(json)!.MessageTs, Is.EqualTo("1700000000.000100"));
    }
}
