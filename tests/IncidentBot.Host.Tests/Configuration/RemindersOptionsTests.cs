using IncidentBot.Core.Reminders;
using IncidentBot.Host.Configuration;

namespace IncidentBot.Host.Tests.Configuration;

/// <summary>The reminder defaults are ReminderPolicy's, spelled as configuration spells them.</summary>
public sealed class RemindersOptionsTests
{
    [Test]
    public void Defaults_AreReminderPolicysDefaults()
    {
        var options = new RemindersOptions();

        Assert.That(new[] { options.Sev1, options.Sev2, options.Sev3, options.Sev4 }, Is.EqualTo(new[] { "00:15:00", "00:30:00", "01:00:00", null }));
        Assert.That(
            new[] { nameof(options.Sev1), nameof(options.Sev2), nameof(options.Sev3) }.Zip([options.Sev1, options.Sev2, options.Sev3], RemindersOptions.ParseInterval),
            Is.EqualTo(new TimeSpan?[] { ReminderPolicy.DefaultSev1, ReminderPolicy.DefaultSev2, ReminderPolicy.DefaultSev3 }));
        Assert.That(options.MitigatedFactor, Is.EqualTo(ReminderPolicy.DefaultMitigatedFactor));
    }
}
