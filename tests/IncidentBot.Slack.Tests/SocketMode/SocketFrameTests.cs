using System.Text;
using System.Text.Json.Nodes;
using IncidentBot.Slack.SocketMode;
using IncidentBot.Testing;

namespace IncidentBot.Slack.Tests.SocketMode;

/// <summary>Frames parsed from the reference samples, bad frames refused without their content, acks shaped like the samples.</summary>
public sealed class SocketFrameTests
{
    private static byte[] Sample(string file) => File.ReadAllBytes(RepoPaths.Fixture("slack", "socket", file));

    [Test]
    public void Parse_Hello_ControlFrameWithConnectionCount()
    {
        var frame = SocketFrame.Parse(Sample("hello.json"), out _);

        Assert.That(frame, Is.Not.Null);
        Assert.That(frame!.Type, Is.EqualTo("hello"));
        Assert.That(frame.EnvelopeId, Is.Null);
        Assert.That(frame.NumConnections, Is.EqualTo(1));
    }

    [TestCase("disconnect-warning.json", "warning")]
    [TestCase("disconnect-refresh_requested.json", "refresh_requested")]
    [TestCase("disconnect-link_disabled.json", "link_disabled")]
    [TestCase("disconnect-too_many_websockets.json", "too_many_websockets")]
    public void Parse_Disconnect_Reason(string file, string reason)
    {
        var frame = SocketFrame.Parse(Sample(file), out _);

        Assert.That(frame!.Type, Is.EqualTo("disconnect"));
        Assert.That(frame.Reason, Is.EqualTo(reason));
    }

    [TestCase("envelope-slash_commands.json", "slash_commands", true)]
    [TestCase("envelope-events_api.json", "events_api", false)]
    [TestCase("envelope-events_api-retry.json", "events_api", false)]
    [TestCase("envelope-interactive-block_actions.json", "interactive", false)]
    [TestCase("envelope-interactive-view_submission.json", "interactive", true)]
    [TestCase("envelope-interactive-shortcut.json", "interactive", false)]
    [TestCase("envelope-interactive-message_action.json", "interactive", false)]
    public void Parse_Envelope_TypeIdPayloadAndWhetherTheAckMayAnswer(string file, string type, bool accepts)
    {
        var frame = SocketFrame.Parse(Sample(file), out _);

        Assert.That(frame!.Type, Is.EqualTo(type));
        Assert.That(frame.EnvelopeId, Is.EqualTo((string)JsonNode.Parse(Sample(file))!["envelope_id"]!));
        Assert.That(frame.Payload, Is.Not.Null);
        Assert.That(frame.AcceptsResponsePayload, Is.EqualTo(accepts));
    }

    [TestCase("not json at all", "not JSON")]
    [TestCase("[1,2,3]", "not a JSON object")]
    [TestCase("{\"envelope\":\"x\"}", "no type")]
    public void Parse_BadFrame_RefusedWithAProblemThatHoldsNoContent(string text, string problem)
    {
        var frame = SocketFrame.Parse(Encoding.UTF8.GetBytes(text), out var why);

        Assert.That(frame, Is.Null);
        Assert.That(why, Does.StartWith(problem));
        Assert.That(why, Does.Not.Contain("envelope\":"));
    }

    [Test]
    public void Ack_Bare_IsTheSample()
    {
        var ack = JsonNode.Parse(SocketFrame.Ack("cda4159a-72a5-4744-aba3-4d66eb52682b", null));

        Assert.That(JsonNode.DeepEquals(ack, JsonNode.Parse(Sample("ack.json"))), Is.True);
    }

    [Test]
    public void Ack_WithViewErrors_IsTheSample()
    {
        var payload = new { response_action = "errors", errors = new Dictionary<string, string> { ["summary"] = "Summary must be at least 10 characters" } };

        var ack = JsonNode.Parse(SocketFrame.Ack("dbdd0ef3-1543-4f94-bfb4-133d0e6c1545", payload));

        Assert.That(JsonNode.DeepEquals(ack, JsonNode.Parse(Sample("ack-view_submission-errors.json"))), Is.True);
    }
}
