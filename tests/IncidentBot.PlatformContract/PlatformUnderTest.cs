using IncidentBot.Core.Incidents;
using IncidentBot.Core.Ports;
using IncidentBot.Core.Service;

namespace IncidentBot.PlatformContract;

/// <summary>
/// One chat adapter against its fake, as <see cref="ChatPlatformContract"/> drives it: the adapter, its settings as
/// the host registers them, what a person sees in a conversation, and transient failures on demand.
/// </summary>
public abstract class PlatformUnderTest : IAsyncDisposable
{
    public abstract IChatPlatform Platform { get; }

    /// <summary>The settings the adapter's <c>AddX</c> registers for the use cases (announcements, direct messages).</summary>
    public abstract PlatformSettings Settings { get; }

    /// <summary>The workspace commands come from (Slack team, Teams tenant, the sandbox's one).</summary>
    public abstract string Workspace { get; }

    /// <summary>What <paramref name="viewer"/> sees in <paramref name="conversationId"/>, in the order the platform shows it.</summary>
    public abstract Task<IReadOnlyList<SeenMessage>> SeenAsync(string conversationId, Person viewer);

    /// <summary>The conversations the adapter opened for incidents (channels, threads), as the platform lists them.</summary>
    public abstract Task<IReadOnlyList<string>> IncidentConversationsAsync();

    /// <summary>
    /// The platform's next <paramref name="after"/> calls pass, the <paramref name="count"/> after them fail the way this
    /// platform fails transiently: throttled (with a Retry-After) when <paramref name="throttled"/>, else a server error.
    /// </summary>
    public abstract void FailCalls(int after, int count, bool throttled);

    /// <summary>Failures armed by <see cref="FailCalls"/> that no call has met yet.</summary>
    public abstract int CallFaultsLeft { get; }

    /// <summary>The wait a throttled failure asks for, or null where the platform has no such answer.</summary>
    public abstract TimeSpan? ThrottledRetryAfter { get; }

    /// <summary>The topic shown on a conversation; null where the platform has no topics.</summary>
    public virtual Task<string?> TopicAsync(string conversationId) => Task.FromResult<string?>(null);

    /// <summary>Whether a conversation is archived; null where the platform has no archive.</summary>
    public virtual Task<bool?> IsArchivedAsync(string conversationId) => Task.FromResult<bool?>(null);

    /// <summary>Messages of its own the platform shows when an incident's conversation is opened (a Teams thread's first line).</summary>
    public virtual int OpeningMessages => 0;

    /// <summary>
    /// Gives <paramref name="person"/> a 1:1 conversation with the bot where the platform reaches a person alone only in
    /// one (Teams: as a personal-scope activity records it) and returns its id; null where none is needed.
    /// </summary>
    public virtual Task<string?> OpenDirectConversationAsync(Person person) => Task.FromResult<string?>(null);

    /// <summary>Whether an answer to one person is shown to that person alone.</summary>
    public virtual bool HasPrivateAnswers => true;

    public abstract ValueTask DisposeAsync();
}
