using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using UsageSdk.Testing;

namespace UsageSdk.Worker;

/// <summary>Builds the worker's host: configuration, the client (AddUsageClient), the worker, metrics and their exporter.</summary>
public static class WorkerHost
{
    /// <summary>
    /// Creates the host builder. <c>--demo</c> in <paramref name="args"/> turns on <see cref="ArchiveWorkerOptions.Demo"/>,
    /// <c>--all-projects</c> <see cref="ArchiveWorkerOptions.AllProjects"/>.
    /// </summary>
    /// <param name="args">The command line (configuration overrides such as <c>--Archive:Interval=00:05:00</c>, <c>--demo</c> and <c>--all-projects</c>).</param>
    /// <param name="configure">Last changes before the services are added (tests add in-memory configuration here).</param>
    public static HostApplicationBuilder CreateBuilder(string[] args, Action<HostApplicationBuilder>? configure = null)
    {
        string[] switches = ["--demo", "--all-projects"];
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = args.Where(a => !switches.Contains(a, StringComparer.OrdinalIgnoreCase)).ToArray(),
            ContentRootPath = AppContext.BaseDirectory, // appsettings.json beside the program, wherever it is started from
        });
        if (args.Contains("--demo", StringComparer.OrdinalIgnoreCase))
        {
            builder.Configuration[$"{ArchiveWorkerOptions.Section}:{nameof(ArchiveWorkerOptions.Demo)}"] = "true";
        }
        if (args.Contains("--all-projects", StringComparer.OrdinalIgnoreCase))
        {
            builder.Configuration[$"{ArchiveWorkerOptions.Section}:{nameof(ArchiveWorkerOptions.AllProjects)}"] = "true";
        }
        configure?.Invoke(builder);

        var archive = new ArchiveWorkerOptions();
        builder.Configuration.GetSection(ArchiveWorkerOptions.Section).Bind(archive);
        var telemetry = new TelemetryOptions();
        builder.Configuration.GetSection(TelemetryOptions.Section).Bind(telemetry);

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.Configure<ArchiveWorkerOptions>(builder.Configuration.GetSection(ArchiveWorkerOptions.Section));
        builder.Services.AddUsageClient(builder.Configuration.GetSection("UsageSdk"));
        if (archive.Demo)
        {
            // The demo API in-process: its data ends at the host's clock; the client talks to it without a network.
            builder.Services.AddSingleton(sp => new FakeUsageApi(new FakeUsageApiOptions { Seed = FakeUsageApi.DemoSeed, TimeProvider = sp.GetRequiredService<TimeProvider>() }));
            builder.Services.AddOptions<UsageClientOptions>().Configure<IServiceProvider>((o, sp) =>
            {
                o.ApiKey = FakeUsageApi.DefaultApiKey;
                o.AccessToken = null;
                o.BaseAddress = FakeUsageApi.BaseAddress;
                o.Transport = sp.GetRequiredService<FakeUsageApi>();
            });
            builder.Services.PostConfigure<ArchiveWorkerOptions>(o =>
            {
                if (o.Projects.Count == 0 && !o.AllProjects)
                {
                    o.Projects.Add(FakeUsageApi.DemoProjectId); // with AllProjects, the demo API lists its three projects
                }
            });
        }
        builder.Services.AddSingleton<UsageMetrics>();
        builder.Services.AddSingleton<WorkerProjects>();
        builder.Services.AddSingleton<ArchiveSyncWorker>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ArchiveSyncWorker>());
        builder.Services.Configure<DashboardWorkerOptions>(builder.Configuration.GetSection(DashboardWorkerOptions.Section));
        var dashboard = new DashboardWorkerOptions();
        builder.Configuration.GetSection(DashboardWorkerOptions.Section).Bind(dashboard);
        if (dashboard.Enabled)
        {
            // The usage page over the same archive, next to the sync (see DashboardHost).
            builder.Services.AddSingleton<DashboardHost>();
            builder.Services.AddHostedService(sp => sp.GetRequiredService<DashboardHost>());
        }

        var exporter = telemetry.Exporter.Trim().ToLowerInvariant();
        if (exporter is not ("none" or ""))
        {
            var otel = builder.Services.AddOpenTelemetry().ConfigureResource(r => r.AddService("usage-archive-worker"));
            otel.WithMetrics(m =>
            {
                m.AddMeter(UsageMetrics.MeterName, UsageClientDiagnostics.MeterName);
                switch (exporter)
                {
                    case "otlp":
                        m.AddOtlpExporter(e => SetEndpoint(e, telemetry));
                        break;
                    case "prometheus":
                        m.AddPrometheusHttpListener(p =>
                        {
                            p.Host = telemetry.PrometheusHost;
                            p.Port = telemetry.PrometheusPort;
                        });
                        break;
                    default:
                        throw new InvalidOperationException($"Telemetry:Exporter '{telemetry.Exporter}' is not known; use prometheus, otlp or none.");
                }
            });
            if (exporter == "otlp")
            {
                // The SDK's own spans (one per API call) go to the collector with the metrics.
                otel.WithTracing(t => t.AddSource(UsageClientDiagnostics.ActivitySourceName).AddOtlpExporter(e => SetEndpoint(e, telemetry)));
            }
        }
        return builder;
    }

    private static void SetEndpoint(OpenTelemetry.Exporter.OtlpExporterOptions e, TelemetryOptions telemetry)
    {
        if (!string.IsNullOrWhiteSpace(telemetry.OtlpEndpoint))
        {
            e.Endpoint = new Uri(telemetry.OtlpEndpoint);
        }
    }
}
