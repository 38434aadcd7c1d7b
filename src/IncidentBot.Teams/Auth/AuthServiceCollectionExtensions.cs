using IncidentBot.Teams.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IncidentBot.Teams.Auth;

/// <summary>Registers the check of inbound Bot Framework tokens (<see cref="IBotTokenValidator"/>).</summary>
public static class AuthServiceCollectionExtensions
{
    /// <summary>Key of the HttpClient that fetches OpenID metadata and signing keys.</summary>
    public const string HttpClientKey = "IncidentBot.Teams.Auth";

    /// <summary>Timeout of one metadata or key-set fetch; a slow issuer must not hold inbound requests for long.</summary>
    public static readonly TimeSpan MetadataTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Needs <c>IOptions&lt;TeamsOptions&gt;</c> and <see cref="TimeProvider"/> registered by the caller.</summary>
    public static IServiceCollection AddTeamsAuth(this IServiceCollection services)
    {
        services.AddLogging();

        // One long-lived client; pooled connections are recycled so DNS changes of the issuer are seen.
        services.AddKeyedSingleton(HttpClientKey, (_, _) => new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = MetadataTimeout,
        });
        services.AddSingleton<IBotTokenValidator>(sp => new BotFrameworkTokenValidator(
            sp.GetRequiredService<IOptions<TeamsOptions>>(),
            sp.GetRequiredKeyedService<HttpClient>(HttpClientKey),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<BotFrameworkTokenValidator>>()));
        return services;
    }
}
