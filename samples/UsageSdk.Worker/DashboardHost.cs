using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using UsageSdk.Archive;
using UsageSdk.Archive.PostgreSql;
using UsageSdk.Testing;

namespace UsageSdk.Worker;

/// <summary>The <c>Dashboard</c> section: the usage page served next to the sync, over the same archive.</summary>
public sealed class DashboardWorkerOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Dashboard";

    /// <summary>Serve the dashboard (default false).</summary>
    public bool Enabled { get; set; }

    /// <summary>The address to listen on (default 127.0.0.1: this machine only; the dashboard has no login of its own here).</summary>
    public string Listen { get; set; } = "127.0.0.1";

    /// <summary>The port (default 5178; 0 for any free port).</summary>
    public int Port { get; set; } = 5178;

    /// <summary>The path of the page (default <c>/usage</c>).</summary>
    public string Path { get; set; } = "/usage";
}

/// <summary>
/// Serves the usage dashboard (UsageSdk.Dashboard) over the worker's archive while the worker syncs it: a small Kestrel
/// app of its own (WebApplication.CreateEmptyBuilder), started and stopped with the host.
/// </summary>
public sealed partial class DashboardHost(
    IOptions<DashboardWorkerOptions> options,
    IOptions<ArchiveWorkerOptions> archiveOptions,
    WorkerProjects workerProjects,
    TimeProvider time,
    ILogger<DashboardHost> logger) : IHostedService, IAsyncDisposable
{
    private WebApplication? _app;
    private UsageArchive? _archive;

    /// <summary>The page's address once started (for logs and tests).</summary>
    public string? Url { get; private set; }

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var a = archiveOptions.Value;
        if (!IPAddress.TryParse(o.Listen, out var address))
        {
            throw new InvalidOperationException($"Dashboard:Listen '{o.Listen}' is not an IP address; use 127.0.0.1 (the default) or an address of this machine.");
        }
        if (!IPAddress.IsLoopback(address))
        {
            LogNotLoopback(logger, address.ToString());
        }
        _archive = PostgresArchive.Open(a.Database, client: null, new UsageArchiveOptions { TimeProvider = time });
        IReadOnlyList<string> projects = a.Projects.Count > 0 || a.AllProjects ? a.Projects : a.Demo ? [FakeUsageApi.DemoProjectId] : [];
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "usage-worker-dashboard" });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(address, o.Port);
        });
        builder.Services.AddRoutingCore();
        _app = builder.Build();
        // The projects the worker syncs, named as the API names them (with Archive:AllProjects, as it finds them).
        var source = new WorkerDashboardSource(_archive, workerProjects, projects);
        _app.MapUsageDashboard(o.Path, d =>
        {
            d.Title = "Usage (archive)";
            d.Source = source;
            d.TimeProvider = time;
        });
        await _app.StartAsync(cancellationToken).ConfigureAwait(false);
        var bound = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        Url = $"http://{(address.Equals(IPAddress.Any) ? "127.0.0.1" : bound.Host)}:{bound.Port}/{o.Path.Trim('/')}";
        LogServing(logger, Url);
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync().ConfigureAwait(false);
        }
        if (_archive is not null)
        {
            await _archive.DisposeAsync().ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Usage dashboard at {Url}")]
    private static partial void LogServing(ILogger logger, string url);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The usage dashboard listens on {Address}, not only on this machine, and has no login here: anyone who can reach it sees the usage. Prefer 127.0.0.1, or mount it in an app behind RequireAuthorization (samples/UsageSdk.WebApp).")]
    private static partial void LogNotLoopback(ILogger logger, string address);
}
