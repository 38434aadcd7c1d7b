using System.Collections.Concurrent;
using System.Collections.Immutable;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Ports;
using IncidentBot.Teams.Configuration;
using IncidentBot.Teams.Outbound;
using IncidentBot.Testing;
using IncidentBot.Testing.Teams;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace IncidentBot.Teams.Tests.Outbound;

/// <summary>The fake Teams cloud on loopback plus the real outbound classes pointed at it.</summary>
internal sealed class TeamsOutboundRig : IAsyncDisposable
{
    public const string IncidentsChannel = "19:incidents0000@thread.tacv2";
    public const string TeamId = "team-0001";

    private TeamsOutboundRig(FakeTeamsServer fake, TeamsOptions options)
    {
        Fake = fake;
        Options = options;
        Tokens = new BotTokenProvider(Microsoft.Extensions.Options.Options.Create(options), new ListLogger<BotTokenProvider>());
        Http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        Connector = new BotConnectorClient(Http, Tokens, Clock);
        Graph = new GraphChannelClient(Http, Tokens, Clock, Microsoft.Extensions.Options.Options.Create(options));
        Platform = new TeamsChatPlatform(Connector, Graph, Microsoft.Extensions.Options.Options.Create(options), PlatformLog);
    }

    public FakeTeamsServer Fake { get; }

    public TeamsOptions Options { get; }

    public FakeTimeProvider Clock { get; } = TestClock.Create();

    public BotTokenProvider Tokens { get; }

    public HttpClient Http { get; }

    public BotConnectorClient Connector { get; }

    public GraphChannelClient Graph { get; }

    public ListLogger<TeamsChatPlatform> PlatformLog { get; } = new();

    public TeamsChatPlatform Platform { get; }

    public MemoryDeliveryContext Context { get; } = new();

    public static async Task<TeamsOutboundRig> StartAsync(Action<TeamsOptions>? configure = null)
    {
        var fake = new FakeTeamsServer();
        await fake.StartAsync();
        var options = new TeamsOptions
        {
            AppId = fake.AppId,
            AppPassword = fake.AppPassword,
            TenantId = fake.TenantId,
            TokenEndpoint = fake.TokenEndpoint,
            GraphBaseUrl = fake.GraphBaseUrl,
            DefaultServiceUrl = fake.ServiceUrl,
            IncidentsChannelId = IncidentsChannel,
        };
        configure?.Invoke(options);
        return new TeamsOutboundRig(fake, options);
    }

    public Task<DeliveryResult> DeliverAsync(Core.Messaging.OutgoingMessage message) =>
        Platform.DeliverAsync(new OutboxItem(1, message with { IncidentId = message.IncidentId ?? Context.Incident.Id }, 0, Clock.GetUtcNow()), Context, CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        Tokens.Dispose();
        await Fake.DisposeAsync();
    }
}

/// <summary>An in-memory <see cref="IDeliveryContext"/> holding one incident.</summary>
internal sealed class MemoryDeliveryContext : IDeliveryContext
{
    public Incident Incident { get; set; } = new()
    {
        Id = 7,
        Platform = "teams",
        WorkspaceId = FakeTeamsServer.DefaultTenantId,
        Number = 12,
        Title = "Checkout errors",
        Severity = Severity.Sev2,
        Commander = new Person("29:alice", "Alice Example"),
        DeclaredBy = new Person("29:bob", "Bob Example"),
        Roles = ImmutableSortedDictionary<string, Person>.Empty.Add("scribe", new Person("29:carol", "Carol Example")),
        DeclaredAt = new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero),
        OriginConversationId = "19:origin@thread.tacv2;messageid=1767000000",
    };

    public ConcurrentDictionary<string, string> Anchors { get; } = new(StringComparer.Ordinal);

    public int SetConversationCalls { get; private set; }

    public Task<Incident?> GetIncidentAsync(long incidentId, CancellationToken cancellationToken) =>
        Task.FromResult(incidentId == Incident.Id ? Incident : null);

    public Task SetConversationAsync(long incidentId, string conversationId, string? serviceUrl, CancellationToken cancellationToken)
    {
        SetConversationCalls++;
        Incident = Incident with { ConversationId = conversationId, ServiceUrl = serviceUrl };
        return Task.CompletedTask;
    }

    public Task<string?> GetAnchorAsync(long incidentId, string anchor, CancellationToken cancellationToken) =>
        Task.FromResult(Anchors.TryGetValue(anchor, out var value) ? value : null);

    public Task SetAnchorAsync(long incidentId, string anchor, string messageRef, CancellationToken cancellationToken)
    {
        Anchors[anchor] = messageRef;
        return Task.CompletedTask;
    }

    /// <summary>People's 1:1 conversations, by user id (all in the incident's tenant).</summary>
    public ConcurrentDictionary<string, DirectConversation> DirectConversations { get; } = new(StringComparer.Ordinal);

    public Task<DirectConversation?> GetDirectConversationAsync(string platform, string workspaceId, string userId, CancellationToken cancellationToken) =>
        Task.FromResult(DirectConversations.TryGetValue(userId, out var found) && found.Platform == platform && found.WorkspaceId == workspaceId ? found : null);

    /// <summary>As the store does: only while the recorded one is still <paramref name="conversationId"/>, recorded no later than asked.</summary>
    public Task<bool> ForgetDirectConversationAsync(string platform, string workspaceId, string userId, string conversationId, DateTimeOffset recordedNoLaterThan, CancellationToken cancellationToken) =>
        Task.FromResult(DirectConversations.TryGetValue(userId, out var found) && found.Platform == platform && found.WorkspaceId == workspaceId
            && found.ConversationId == conversationId && found.SeenAt <= recordedNoLaterThan
            && DirectConversations.TryRemove(new KeyValuePair<string, DirectConversation>(userId, found)));
}

/// <summary>A logger that keeps what was logged, to assert on event ids and on what never reaches the log.</summary>
internal sealed class ListLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<(EventId Id, LogLevel Level, string Text)> _entries = new();

    public IReadOnlyList<(EventId Id, LogLevel Level, string Text)> Entries => _entries.ToList();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _entries.Enqueue((eventId, logLevel, formatter(state, exception)));
}
