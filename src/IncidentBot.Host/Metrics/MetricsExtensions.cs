using IncidentBot.Host.Configuration;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace IncidentBot.Host.Metrics;

/// <summary><c>AddMetrics</c> / <c>MapMetrics</c>: OpenTelemetry with a Prometheus scraping endpoint at <c>/metrics</c>, OTLP when configured.</summary>
internal static class MetricsExtensions
{
    public static WebApplicationBuilder AddMetrics(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<BotMetrics>();
        if (!Enabled(builder.Configuration))
        {
            return builder;
        }

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("incidentbot"))
            .WithMetrics(metrics => metrics
                .AddMeter(BotMetrics.MeterName, Storage.StoreMetrics.MeterName)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddPrometheusExporter());
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.UseOtlpExporter();
        }

        builder.Services.AddHostedService<StoreGaugesService>();
        return builder;
    }

    public static WebApplication MapMetrics(this WebApplication app)
    {
        if (Enabled(app.Configuration))
        {
            app.UseMiddleware<InboundMetricsMiddleware>();
            app.MapPrometheusScrapingEndpoint().DisableHttpMetrics();
        }

        return app;
    }

    private static bool Enabled(IConfiguration configuration) =>
        configuration.GetSection(MetricsOptions.Section).Get<MetricsOptions>()?.Enabled ?? MetricsOptions.DefaultEnabled;
}
