using IncidentBot.Slack.Configuration;
using Microsoft.Extensions.Configuration;

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

    [Test]
    public void AppToken_Alone_NeedsTheBotToken()
    {
        var result = new SlackOptionsValidator().Validate(null, new SlackOptions { AppToken = "xapp-1-A1-123-abc" });

        Assert.That(result.FailureMessage, Does.Contain("IncidentBot:Slack:BotToken").And.Contain("IncidentBot:Slack:AppToken"));
    }

    [Test]
    public void AppToken_NotAnAppLevelToken_FailsNamingTheKeyNotTheValue()
    {
        var result = new SlackOptionsValidator().Validate(null, new SlackOptions { AppToken = "xoxb-pasted-here", BotToken = "xoxb-1" });

        Assert.That(result.FailureMessage, Does.Contain("IncidentBot:Slack:AppToken").And.Not.Contain("xoxb-pasted-here"));
    }

    [TestCase(0)]
    [TestCase(11)]
    public void SocketConnections_OutOfRange_FailsNamingTheKey(int connections)
    {
        var result = new SlackOptionsValidator().Validate(null, new SlackOptions { SocketConnections = connections });

        Assert.That(result.FailureMessage, Does.Contain("IncidentBot:Slack:SocketConnections"));
    }

    [Test]
    public void SocketMode_WithoutSigningSecret_ValidAndHttpOff()
    {
        var options = new SlackOptions { AppToken = "xapp-1-A1-123-abc", BotToken = "xoxb-1" };

        Assert.That(new SlackOptionsValidator().Validate(null, options).Succeeded, Is.True);
        Assert.That(options.IsSocketModeEnabled, Is.True);
        Assert.That(options.IsHttpEnabled, Is.False);
        Assert.That(options.SocketConnections, Is.EqualTo(1));
    }

    [Test]
    public void ArchiveChannelAfter_OffByDefault_AWeekIsValid()
    {
        Assert.That(new SlackOptions().ArchiveChannelAfter, Is.Null);
        var options = Bind("7.00:00:00");
        Assert.That(options.ArchiveChannelAfter, Is.EqualTo(TimeSpan.FromDays(7)));
        Assert.That(new SlackOptionsValidator().Validate(null, options).Succeeded, Is.True);
    }

    [TestCase("00:00:00")]
    [TestCase("-1.00:00:00")]
    public void ArchiveChannelAfter_NotPositive_FailsNamingTheKey(string value)
    {
        var result = new SlackOptionsValidator().Validate(null, Bind(value));
        Assert.That(result.Failed, Is.True);
        Assert.That(result.FailureMessage, Does.Contain("IncidentBot:Slack:ArchiveChannelAfter"));
    }

    [Test]
    public void ArchiveChannelAfter_NotATimeSpan_BindingFailsNamingTheKey() =>
        Assert.That(() => Bind("a week"), Throws.InvalidOperationException.With.Message.Contains("IncidentBot:Slack:ArchiveChannelAfter"));

    private static SlackOptions Bind(string archiveAfter) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["IncidentBot:Slack:ArchiveChannelAfter"] = archiveAfter }).Build()
            .GetSection(SlackOptions.Section).Get<SlackOptions>()!;
}
