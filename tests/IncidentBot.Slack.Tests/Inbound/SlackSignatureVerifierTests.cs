using System.Globalization;
using System.Text;
using IncidentBot.Slack.Configuration;
using IncidentBot.Slack.Inbound;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace IncidentBot.Slack.Tests.Inbound;

public sealed class SlackSignatureVerifierTests
{
    // The worked example from Slack's "verifying requests" page.
    private const string Secret = "8f742231b10e8888abcd99yyyzzz85a5";
    private const string Body = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
    private const string Timestamp = "1531420618";
    private const string Expected = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

    private FakeTimeProvider _clock = null!;

    [SetUp]
    public void SetUp() => _clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(long.Parse(Timestamp, CultureInfo.InvariantCulture)));

    private SlackSignatureVerifier Verifier(string secret = Secret) => new(Options.Create(new SlackOptions { SigningSecret = secret }), _clock);

    private static byte[] Bytes(string s) => Encoding.UTF8.GetBytes(s);

    [Test]
    public void IsValid_SlacksDocumentedExample_Accepted() =>
        Assert.That(Verifier().IsValid(Timestamp, Expected, Bytes(Body)), Is.True);

    [Test]
    public void IsValid_WrongSecret_Rejected() =>
        Assert.That(Verifier("another-secret-entirely-0000000").IsValid(Timestamp, Expected, Bytes(Body)), Is.False);

    [Test]
    public void IsValid_TamperedBody_Rejected() =>
        Assert.That(Verifier().IsValid(Timestamp, Expected, Bytes(Body.Replace("roadrunner", "coyote", StringComparison.Ordinal))), Is.False);

    [Test]
    public void IsValid_StaleBeyondFiveMinutes_Rejected()
    {
        _clock.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));

        Assert.That(Verifier().IsValid(Timestamp, Expected, Bytes(Body)), Is.False);
    }

    [Test]
    public void IsValid_WithinFiveMinutes_Accepted()
    {
        _clock.Advance(TimeSpan.FromMinutes(5));

        Assert.That(Verifier().IsValid(Timestamp, Expected, Bytes(Body)), Is.True);
    }

    [Test]
    public void IsValid_TimestampInTheFuture_Rejected()
    {
        // A fake clock only moves forward: start this one six minutes before the request's timestamp.
        _clock = new FakeTimeProvider(_clock.GetUtcNow() - TimeSpan.FromMinutes(6));

        Assert.That(Verifier().IsValid(Timestamp, Expected, Bytes(Body)), Is.False);
    }

    [TestCase(null, Expected)]
    [TestCase(Timestamp, null)]
    [TestCase("", Expected)]
    [TestCase("not-a-number", Expected)]
    [TestCase("-1531420618", Expected)]
    [TestCase(Timestamp, "v0=")]
    [TestCase(Timestamp, "v1=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503")]
    public void IsValid_MissingOrMalformedHeaders_Rejected(string? timestamp, string? signature) =>
        Assert.That(Verifier().IsValid(timestamp, signature, Bytes(Body)), Is.False);

    [Test]
    public void IsValid_NoSecretConfigured_RejectsEverything() =>
        Assert.That(Verifier("").IsValid(Timestamp, Expected, Bytes(Body)), Is.False);

    [Test]
    public void Compute_MatchesDocumentedSignature() =>
        Assert.That(Encoding.ASCII.GetString(SlackSignatureVerifier.Compute(Bytes(Secret), Timestamp, Bytes(Body))), Is.EqualTo(Expected));

    [Test]
    public void IsValid_UppercaseHex_Rejected() =>
        Assert.That(Verifier().IsValid(Timestamp, Expected.ToUpper(CultureInfo.InvariantCulture).Replace("V0=", "v0=", StringComparison.Ordinal), Bytes(Body)), Is.False);
}
