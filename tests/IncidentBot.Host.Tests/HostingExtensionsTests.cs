using IncidentBot.Host.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentBot.Host.Tests;

public sealed class HostingExtensionsTests
{
    /// <summary>A builder without environment variables, so the runner's ASPNETCORE_URLS cannot leak in.</summary>
    private static WebApplicationBuilder Builder(Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Configuration.AddInMemoryCollection(settings);
        return builder;
    }

    [Test]
    public void AddDefaultUrl_NoUrlsNorPorts_ListensOnTheDefaultUrl()
    {
        var builder = Builder([]);
        Assert.That(builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey), Is.Null.Or.Empty, "nothing configured beforehand");

        builder.AddDefaultUrl();

        Assert.That(builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey), Is.EqualTo(HostingExtensions.DefaultUrl));
        Assert.That(HostingExtensions.DefaultUrl, Is.EqualTo("http://localhost:3978"));
    }

    [TestCase("urls", "http://127.0.0.1:5123", "http://127.0.0.1:5123")]
    [TestCase("http_ports", "8080", null)]
    public void AddDefaultUrl_UrlsOrPortsConfigured_LeavesThemAlone(string key, string value, string? expectedUrls)
    {
        var builder = Builder(new() { [key] = value });

        builder.AddDefaultUrl();

        Assert.That(builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey), Is.EqualTo(expectedUrls));
        Assert.That(builder.Configuration[key], Is.EqualTo(value));
    }

    [Test]
    public void Program_NoUrlsConfigured_HostIsGivenTheDefaultUrl()
    {
        Assume.That(Environment.GetEnvironmentVariable("ASPNETCORE_URLS"), Is.Null, "the runner sets a URL of its own");
        using var host = new TestHost();

        var configuration = host.Services.GetRequiredService<IConfiguration>();

        Assert.That(configuration[WebHostDefaults.ServerUrlsKey], Is.EqualTo(HostingExtensions.DefaultUrl));
    }
}
