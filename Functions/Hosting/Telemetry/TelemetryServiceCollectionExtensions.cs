using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ServerlessWorkflow.Functions.Hosting.Telemetry;

public static class TelemetryServiceCollectionExtensions
{
    /// <summary>
    /// OpenTelemetry traces, metrics and structured logs: requests, outgoing HTTP (storage and
    /// SendGrid calls), the Azure SDK's own spans, and <see cref="AppTelemetry"/>. Exported to
    /// Application Insights when <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set (with Entra ID
    /// when <c>APPLICATIONINSIGHTS_AUTHENTICATION_STRING=Authorization=AAD</c>), and over OTLP when
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set; otherwise collected and dropped.
    /// </summary>
    public static IHostApplicationBuilder AddTelemetry(this IHostApplicationBuilder builder)
    {
        // The Azure SDK publishes its spans only when asked to.
        AppContext.SetSwitch("Azure.Experimental.EnableActivitySource", true);
        builder.Services.AddSingleton<AppTelemetry>();

        var appInsights = builder.Configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"];
        var entraId = builder.Configuration["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]?.Contains("Authorization=AAD", StringComparison.OrdinalIgnoreCase) == true;
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        void AzureMonitor(AzureMonitorExporterOptions o)
        {
            o.ConnectionString = appInsights;

            // Every trace, decided here rather than by the exporter's default rate-limited sampler,
            // which dropped all the spans of a quiet process in some runs (an office's volume is small).
            o.TracesPerSecond = null;
            o.SamplingRatio = 1.0F;
            if (entraId)
            {
                o.Credential = new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned);
            }
        }

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(AppTelemetry.Name))
            .WithTracing(t =>
            {
                t.AddSource(AppTelemetry.Name, "Azure.*")
                    .AddAspNetCoreInstrumentation(o =>
                    {
                        o.Filter = c => !c.Request.Path.StartsWithSegments("/api/health", StringComparison.OrdinalIgnoreCase);

                        // A unit's link is its credential: spans carry the route, never the token.
                        o.EnrichWithHttpRequest = (activity, request) =>
                        {
                            if (request.Path.StartsWithSegments("/u", StringComparison.Ordinal))
                            {
                                activity.SetTag("url.path", RedactedPath(request));
                            }
                        };
                    })
                    .AddHttpClientInstrumentation();
                if (!string.IsNullOrWhiteSpace(appInsights))
                {
                    t.AddAzureMonitorTraceExporter(AzureMonitor);
                }

                if (otlp)
                {
                    t.AddOtlpExporter();
                }
            })
            .WithMetrics(m =>
            {
                m.AddMeter(AppTelemetry.Name).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation();
                if (!string.IsNullOrWhiteSpace(appInsights))
                {
                    m.AddAzureMonitorMetricExporter(AzureMonitor);
                }

                if (otlp)
                {
                    m.AddOtlpExporter();
                }
            });

        builder.Logging.AddOpenTelemetry(l =>
        {
            l.IncludeFormattedMessage = true;
            l.IncludeScopes = true;
            if (!string.IsNullOrWhiteSpace(appInsights))
            {
                l.AddAzureMonitorLogExporter(AzureMonitor);
            }

            if (otlp)
            {
                l.AddOtlpExporter();
            }
        });
        return builder;
    }

    /// <summary>A unit page's path with its token segment replaced by the literal <c>{token}</c>: what a trace may keep of a unit's link.</summary>
    public static string RedactedPath(HttpRequest request)
    {
        var segments = request.Path.Value!.Split('/');
        if (segments.Length > 2)
        {
            segments[2] = "{token}";
        }

        return string.Join('/', segments);
    }
}
