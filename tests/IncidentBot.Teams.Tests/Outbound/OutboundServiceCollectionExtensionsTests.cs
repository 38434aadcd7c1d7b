using IncidentBot.Core.Ports;
using IncidentBot.Teams.Configuration;
using IncidentBot.Teams.Outbound;
using IncidentBot.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace IncidentBot.Teams.Tests.Outbound;

/// <summary>The registrations resolve to one long-lived set of clients and the Teams platform.</summary>
public sealed class OutboundServiceCollectionExtensionsTests
{
    [Test]
    public async Task AddTeamsOutbound_Resolved_TeamsPlatformAndSingletons()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(TestClock.Create());
        services.AddSingleton(Options.Create(new TeamsOptions { AppId = "app", AppPassword = "secret", TenantId = "tenant" }));
        services.AddTeamsOutbound();
        await using var provider = services.BuildServiceProvider();

        var platform = provider.GetRequiredService<IChatPlatform>();

        Assert.That(platform.Platform, Is.EqualTo("teams"));
        var tokens = provider.GetRequiredService<BotTokenProvider>();
        var connector = provider.GetRequiredService<BotConnectorClient>();
        Assert.That(provider.GetRequiredService<BotTokenProvider>(), Is.SameAs(tokens));
        Assert.That(provider.GetRequiredService<BotConnectorClient>(), Is.SameAs(connector));
        Assert.That(provider.GetRequiredKeyedService<HttpClient>(OutboundServiceCollectionExtensions.HttpClientKey).Timeout, Is.EqualTo(Timeout.InfiniteTimeSpan));
    }

    [Test]
    public async Task AddTeamsOutbound_TeamsNotConfigured_StillResolves()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(TestClock.Create());
        services.AddSingleton(Options.Create(new TeamsOptions()));
        services.AddTeamsOutbound();
        await using var provider = services.BuildServiceProvider();

        Assert.That(provider.GetServices<IChatPlatform>().Single().Platform, Is.EqualTo("teams"));
    }
}
