using IncidentBot.Core.Incidents;

namespace IncidentBot.Core.Tests.Commands;

public sealed class ChannelNamesTests
{
    [TestCase(7, "Café outage in Zürich", "inc-7-cafe-outage-in-zurich")]
    [TestCase(12, "Checkout  errors!!  (EU)", "inc-12-checkout-errors-eu")]
    [TestCase(3, "Straße & Øresund Łódź", "inc-3-strasse-oresund-lodz")]
    [TestCase(4, "db_primary failover", "inc-4-db_primary-failover")]
    [TestCase(5, "--Leading and trailing--", "inc-5-leading-and-trailing")]
    public void For_Title_SlugWithinSlacksRules(int number, string title, string expected) =>
        Assert.That(ChannelNames.For(number, title), Is.EqualTo(expected));

    [TestCase("🔥🔥🔥")]
    [TestCase("決済エラー")]
    [TestCase("")]
    [TestCase("   ")]
    public void For_TitleWithNothingFoldable_StillValid(string title) =>
        Assert.That(ChannelNames.For(9, title), Is.EqualTo("inc-9"));

    [Test]
    public void For_LongTitle_AtMost80AndValid()
    {
        var name = ChannelNames.For(123456, string.Concat(Enumerable.Repeat("Very long title ", 30)));

        Assert.That(name.Length, Is.LessThanOrEqualTo(80));
        Assert.That(name, Does.StartWith("inc-123456-very-long-title"));
        Assert.That(name, Does.Match("^[a-z0-9_-]+$"));
        Assert.That(name, Does.Not.EndWith("-"));
    }

    [Test]
    public void For_TeamsLimit50_Respected() =>
        Assert.That(ChannelNames.For(1, new string('a', 200), 50).Length, Is.EqualTo(50));

    [Test]
    public void WithSuffix_KeepsWithinLimit()
    {
        Assert.That(ChannelNames.WithSuffix("inc-1-db", 2), Is.EqualTo("inc-1-db-2"));
        var full = ChannelNames.For(1, new string('a', 200));
        var suffixed = ChannelNames.WithSuffix(full, 12);

        Assert.That(suffixed.Length, Is.LessThanOrEqualTo(80));
        Assert.That(suffixed, Does.EndWith("-12"));
    }
}
