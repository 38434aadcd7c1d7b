using IncidentBot.Core.Service;
using IncidentBot.Teams.Auth;
using IncidentBot.Teams.Configuration;
using IncidentBot.Teams.Inbound;
using IncidentBot.Teams.Outbound;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace IncidentBot.Teams;

/// <summary>Registers and maps the Teams adapter: <c>AddTeams</c> / <c>MapTeams</c>.</summary>
public static class TeamsExtensions
{
    /// <summary>What the use cases need to know of Teams: the announcement channel and how long a channel name may be.</summary>
    public static PlatformSettings Settings(TeamsOptions options) =>
        new(TeamsActivityEndpoint.Platform, options.AnnouncementChannelId, [], TeamsChannelNames.MaxLength)
        {
            // A bot reaches a person alone only in a 1:1 they have with it: recorded from personal-scope activities.
            DirectMessages = DirectMessages.WhereConversationExists,
        };

    public static IServiceCollection AddTeams(this IServiceCollection services)
    {
        services.AddOptions<TeamsOptions>().BindConfiguration(TeamsOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TeamsOptions>, TeamsOptionsValidator>();
        services.AddSingleton(sp => Settings(sp.GetRequiredService<IOptions<TeamsOptions>>().Value));
        services.AddTeamsAuth();
        services.AddTeamsOutbound();
        services.AddSingleton<TeamsActivityEndpoint>();
        return services;
    }

    /// <summary>Maps POST /api/messages; without an app id nothing is mapped, so the route answers 404.</summary>
    public static IEndpointRouteBuilder MapTeams(this IEndpointRouteBuilder app)
    {
        if (!app.ServiceProvider.GetRequiredService<IOptions<TeamsOptions>>().Value.IsEnabled)
        {
            return app;
        }

        app.MapPost("/api/messages", (HttpRequest request, TeamsActivityEndpoint endpoint, CancellationToken ct) => endpoint.HandleAsync(request, ct))
            .DisableAntiforgery();
        return app;
    }
}

/// <summary>Start-up checks for section IncidentBot:Teams, each naming its key.</summary>
internal sealed class TeamsOptionsValidator(IHostEnvironment environment) : IValidateOptions<TeamsOptions>
{
    public ValidateOptionsResult Validate(string? name, TeamsOptions options)
    {
        foreach (var (key, value) in new[]
        {
            (nameof(TeamsOptions.OpenIdMetadataUrl), options.OpenIdMetadataUrl),
            (nameof(TeamsOptions.TokenEndpoint), options.TokenEndpoint),
            (nameof(TeamsOptions.GraphBaseUrl), options.GraphBaseUrl),
            (nameof(TeamsOptions.DefaultServiceUrl), options.DefaultServiceUrl),
        })
        {
            if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            {
                return ValidateOptionsResult.Fail($"{TeamsOptions.Section}:{key} must be an absolute http(s) URL.");
            }
        }

        if (options.AllowUnauthenticatedLoopback && !environment.IsDevelopment())
        {
            return ValidateOptionsResult.Fail(
                $"{TeamsOptions.Section}:AllowUnauthenticatedLoopback is only allowed in the Development environment (ASPNETCORE_ENVIRONMENT=Development); it is '{environment.EnvironmentName}'.");
        }

        if (!options.IsEnabled || options.AllowUnauthenticatedLoopback)
        {
            return ValidateOptionsResult.Success;
        }

        if (string.IsNullOrWhiteSpace(options.AppPassword))
        {
            return ValidateOptionsResult.Fail($"{TeamsOptions.Section}:AppPassword must be set when {TeamsOptions.Section}:AppId is.");
        }

        return string.IsNullOrWhiteSpace(options.TenantId)
            ? ValidateOptionsResult.Fail($"{TeamsOptions.Section}:TenantId must be set when {TeamsOptions.Section}:AppId is (single-tenant bot).")
            : ValidateOptionsResult.Success;
    }
}
