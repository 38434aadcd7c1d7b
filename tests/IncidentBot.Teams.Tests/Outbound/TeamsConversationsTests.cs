using IncidentBot.Teams.Outbound;

namespace IncidentBot.Teams.Tests.Outbound;

/// <summary>What a Teams conversation id says: channel or not, thread root, deep link.</summary>
public sealed class TeamsConversationsTests
{
    [TestCase("19:abc@thread.tacv2", true)]
    [TestCase("19:abc@thread.skype", true)]
    [TestCase("19:abc@thread.tacv2;messageid=123", false)]
    [TestCase("a:1XyZ", false)]
    [TestCase("19:abc_def@unq.gbl.spaces", false)]
    public void IsChannel_ConversationId_Expected(string id, bool expected) =>
        Assert.That(TeamsConversations.IsChannel(id), Is.EqualTo(expected));

    [Test]
    public void DeepLink_Thread_LinksTheRootMessage() =>
        Assert.That(TeamsConversations.DeepLink("19:x@thread.tacv2;messageid=123"), Is.EqualTo("https://teams.microsoft.com/l/message/19%3Ax%40thread.tacv2/123"));

    [TestCase("a:1XyZ")]
    [TestCase("19:x@thread.tacv2")]
    [TestCase(null)]
    public void DeepLink_NoThread_Null(string? id) => Assert.That(TeamsConversations.DeepLink(id), Is.Null);
}
