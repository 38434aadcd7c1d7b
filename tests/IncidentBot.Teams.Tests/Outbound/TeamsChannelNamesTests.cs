using IncidentBot.Core.Incidents;
using IncidentBot.Teams.Outbound;
using IncidentBot.Testing.Teams;

namespace IncidentBot.Teams.Tests.Outbound;

/// <summary>Channel display names within Teams' rules.</summary>
public sealed class TeamsChannelNamesTests
{
    [TestCase("inc-12-checkout-errors", "inc-12-checkout-errors")]
    [TestCase("inc-3-a/b:c?d", "inc-3-a-b-c-d")]
    [TestCase("_.hidden..name.", "hidden.name")]
    [TestCase("inc-4-con", "inc-4-con_")]
    [TestCase("inc-5-forms-down", "inc-5-forms_-down")]
    [TestCase("inc-6-_vti_x", "inc-6-vtix")]
    [TestCase("inc-7-tab\there", "inc-7-tabhere")]
    [TestCase("", "incident")]
    public void Sanitize_Name_Expected(string name, string expected)
    {
        var sanitized = TeamsChannelNames.Sanitize(name);

        Assert.That(sanitized, Is.EqualTo(expected));
        Assert.That(FakeTeamsServer.IsLegalChannelName(sanitized), Is.True);
    }

    [Test]
    public void Sanitize_CoreNameOfLongTitle_LegalWithin50()
    {
        var name = ChannelNames.For(123, "Checkout errors in every region after the 14:00 deploy of payments, again", TeamsChannelNames.MaxLength);

        var sanitized = TeamsChannelNames.Sanitize(name);

        Assert.That(sanitized, Is.EqualTo(name));
        Assert.That(sanitized, Has.Length.LessThanOrEqualTo(50));
        Assert.That(FakeTeamsServer.IsLegalChannelName(sanitized), Is.True);
    }

    [Test]
    public void Sanitize_TooLongAndEndingInDotAfterCut_LegalWithin50()
    {
        var sanitized = TeamsChannelNames.Sanitize(new string('a', 49) + ".bbbb");

        Assert.That(sanitized, Is.EqualTo(new string('a', 49)));
    }

    [Test]
    public void WithSuffix_FullLengthName_StaysWithin50()
    {
        var name = new string('x', 50);

        var next = TeamsChannelNames.WithSuffix(name, 3);

        Assert.That(next, Is.EqualTo(new string('x', 48) + "-3"));
    }
}
