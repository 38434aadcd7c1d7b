using IncidentBot.Core.Ports;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentBot.Teams.Outbound;

/// <summary>Registers Teams delivery: token provider, Bot Connector and Graph clients, and the <see cref="IChatPlatform"/>.</summary>
public static class OutboundServiceCollectionExtensions
{
    /// <summary>Key of the one HttpClient the Bot Connector and Graph clients share.</summary>
    public const string HttpClientKey = "IncidentBot.Teams.Outbound";

    /// <summary>Needs <c>IOptions&lt;TeamsOptions&gt;</c> and <see cref="TimeProvider"/> registered by the caller.</summary>
    public static IServiceCollection AddTeamsOutbound(this IServiceCollection services)
    {
        services.AddLogging();
        services.AddSingleton<BotTokenProvider>();

        // One long-lived client with pooled connections that are recycled, so DNS changes are seen; no client
        // timeout because the dispatcher times each delivery itself.
        services.AddKeyedSingleton(HttpClientKey, (_, _) => new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        });
        services.AddSingleton(sp => new BotConnectorClient(
            sp.GetRequiredKeyedService<HttpClient>(HttpClientKey), sp.GetRequiredService<BotTokenProvider>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<GraphChannelClient>(sp, sp.GetRequiredKeyedService<HttpClient>(HttpClientKey)));
        services.AddSingleton<IChatPlatform, TeamsChatPlatform>();
        return services;
    }
}
