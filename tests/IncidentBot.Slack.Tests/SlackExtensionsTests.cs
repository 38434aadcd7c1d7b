using IncidentBot.Slack.Configuration;

namespace IncidentBot.Slack.Tests;

/// <summary>Start-up validation of section IncidentBot:Slack.</summary>
public sealed class SlackExtensionsTests
{
    [Test]
    public void RequestTimeout_Default_TenSecondsAndValid()
    {
        var options = new SlackOptions();

        Assert.That(options.RequestTimeout, Is.EqualTo(TimeSpan.FromSeconds(10)));
        Assert.That(new SlackOptionsValidator().Validate(null, options).Succeeded, Is.True);
    }

    [TestCase("00:00:00")]
    [TestCase("-00:00:01")]
    [TestCase("00:10:00")]
    public void RequestTimeout_OutOfRange_FailsNamingTheKey(string timeout)
    {
        var result = new SlackOptionsValidator().Validate(null, new SlackOptions { RequestTimeout = TimeSpan.Parse(timeout, System.Globalization.CultureInfo.InvariantCulture) });

        Assert.That(result.Failed, Is.True);
        Assert.That(result.FailureMessage, Does.Contain("IncidentBot:Slack:RequestTimeout"));
    }
}
