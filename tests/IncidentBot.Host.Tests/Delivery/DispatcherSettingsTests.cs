using IncidentBot.Host.Delivery;
using IncidentBot.Host.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IncidentBot.Host.Tests.Delivery;

/// <summary>Section IncidentBot:Delivery binds onto the dispatcher's settings; unset keys keep the named defaults.</summary>
public sealed class DispatcherSettingsTests
{
    private static string Describe(DispatcherSettings s) =>
        $"{s.BatchSize} {s.MaxParallel} {s.Lease:c} {s.CallTimeout:c} {s.InProcessRetries} {s.InProcessBaseDelay:c} {s.MaxInProcessWait:c} {s.MaxBackoff:c} {s.BreakDuration:c}";

    [Test]
    public void Host_NoDeliverySection_UsesTheDefaults()
    {
        using var host = new TestHost();

        Assert.That(Describe(host.Services.GetRequiredService<DispatcherSettings>()), Is.EqualTo("64 8 00:00:15 00:00:10 2 00:00:00.2000000 00:00:10 00:00:30 00:00:15"));
    }

    [Test]
    public void Host_DeliverySection_BindsTheKeysItSets()
    {
        using var host = new TestHost(new()
        {
            ["IncidentBot:Delivery:BatchSize"] = "5",
            ["IncidentBot:Delivery:Lease"] = "00:01:00",
            ["IncidentBot:Delivery:InProcessRetries"] = "0",
            ["IncidentBot:Delivery:MaxBackoff"] = "00:02:00",
        });

        var settings = host.Services.GetRequiredService<DispatcherSettings>();

        Assert.That(Describe(settings), Is.EqualTo("5 8 00:01:00 00:00:10 0 00:00:00.2000000 00:00:10 00:02:00 00:00:15"));
        Assert.That(host.Services.GetRequiredService<IOptions<DispatcherSettings>>().Value, Is.SameAs(settings), "the dispatcher gets the bound instance");
    }

    [TestCase("BatchSize", "0")]
    [TestCase("BreakDuration", "00:00:00.1")]
    [TestCase("CallTimeout", "00:00:00")]
    public void Delivery_InvalidSetting_RefusedNamingTheKey(string key, string value)
    {
        // The registration AddDelivery makes (validated on start); a host that fails to start is awkward to observe in process.
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [$"IncidentBot:Delivery:{key}"] = value });
        builder.AddDelivery();
        using var services = builder.Services.BuildServiceProvider();

        Assert.That(() => services.GetRequiredService<IOptions<DispatcherSettings>>().Value, Throws.InstanceOf<OptionsValidationException>().With.Message.Contains($"IncidentBot:Delivery:{key}"));
    }
}
