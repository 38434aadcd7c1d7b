using System.Text;
using IncidentBot.Teams.Cards;

namespace IncidentBot.Teams.Tests.Cards;

/// <summary>Clipping by UTF-8 size and names safe for mentions.</summary>
public sealed class CardTextTests
{
    [Test]
    public void Clip_MultibyteText_CutAtCharacterBoundaryWithinBytes()
    {
        var text = string.Concat(Enumerable.Repeat("🚨é", 100));

        var clipped = CardText.Clip(text, 50);

        Assert.That(Encoding.UTF8.GetByteCount(clipped), Is.LessThanOrEqualTo(50));
        Assert.That(clipped, Does.EndWith("…"));
        var kept = clipped[..^1];
        Assert.That(text, Does.StartWith(kept));
        Assert.That(char.IsHighSurrogate(kept[^1]), Is.False);
    }

    [Test]
    public void MentionName_AngleBrackets_Removed() => Assert.That(CardText.MentionName("<b>Eve</b>"), Is.EqualTo("bEve/b"));
}
