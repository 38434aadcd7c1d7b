using IncidentBot.Core.FollowUps;
using IncidentBot.Core.Incidents;

namespace IncidentBot.Core.Tests.FollowUps;

public sealed class FollowUpFormTests
{
    private static readonly Person Grace = new("U2", "Grace");

    [Test]
    public void Validate_AllFields_TheSameCommandTheTypedVerbMakes_WithTheLink() =>
        Assert.That(
            FollowUpForm.Validate("  Alert on queue depth ", Grace, "due:2026-12-24", "https://acme.slack.com/archives/C1/p1").Command,
            Is.EqualTo(new AddFollowUpCommand("Alert on queue depth", Grace, new DueSpec(new DateOnly(2026, 12, 24), null), "https://acme.slack.com/archives/C1/p1")));

    [Test]
    public void Validate_OnlyText_UnassignedWithoutDueOrLink() =>
        Assert.That(FollowUpForm.Validate("Write the runbook", null, " ", " ").Command, Is.EqualTo(new AddFollowUpCommand("Write the runbook", null, null)));

    [Test]
    public void Validate_EmptyTextBadDueAndTooLong_ErrorsByField()
    {
        var empty = FollowUpForm.Validate(" ", null, "next week", null);
        Assert.That(empty.Command, Is.Null);
        Assert.That(empty.Errors.Keys, Is.EquivalentTo(new[] { FollowUpForm.TextField, FollowUpForm.DueField }));

        var tooLong = FollowUpForm.Validate(new string('x', FollowUpParser.MaxTextLength + 1), null, "3d", null);
        Assert.That(tooLong.Errors.Keys, Is.EqualTo(new[] { FollowUpForm.TextField }));
    }

    [Test]
    public void Prefill_FoldsWhitespaceAndClipsToWhatAFollowUpKeeps()
    {
        Assert.That(FollowUpForm.Prefill("We should\n\nalert   on it"), Is.EqualTo("We should alert on it"));
        Assert.That(FollowUpForm.Prefill(new string('y', 400)), Has.Length.EqualTo(FollowUpParser.MaxTextLength));
        Assert.That(FollowUpForm.Prefill(null), Is.Empty);
    }
}
