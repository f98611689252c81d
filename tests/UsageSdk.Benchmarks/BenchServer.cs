using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace UsageSdk.Benchmarks;

/// <summary>
/// A loopback Kestrel server (127.0.0.1, a free port) serving <c>GET /v1/projects/{project}/requests</c> from
/// precomputed pages. The project id carries the scenario: <c>bench-{total}-{latencyMs}</c> serves full pages until
/// <c>total</c> items, then a short (empty) page, each after <c>latencyMs</c> of simulated latency;
/// <c>bench-{total}-{latencyMs}-t</c> does the same on a timeline (each page older than the one before, see
/// <see cref="PageTemplate"/>).
/// </summary>
public sealed class BenchServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<(int Count, int Limit), PageTemplate> _templates = new();

    private BenchServer(WebApplication app, Uri address)
    {
        _app = app;
        BaseAddress = address;
    }

    /// <summary>The server's address (<c>http://127.0.0.1:port/</c>).</summary>
    public Uri BaseAddress { get; }

    /// <summary>Pages served (for sanity checks).</summary>
    public long PagesServed => Interlocked.Read(ref _pagesServed);

    private long _pagesServed;

    /// <summary>The project id of a scenario.</summary>
    /// <param name="total">Items in the listing.</param>
    /// <param name="latencyMs">Simulated latency per page.</param>
    /// <param name="timeline">Each page older than the one before (distinct times, newest first), as a real listing runs;
    /// otherwise every page repeats the first page's times, which costs the server nothing.</param>
    public static string Project(int total, int latencyMs, bool timeline = false)
        => string.Create(CultureInfo.InvariantCulture, $"bench-{total}-{latencyMs}{(timeline ? "-t" : "")}");

    /// <summary>Starts a server; the 1,000-item template is built before it returns.</summary>
    public static async Task<BenchServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o =>
        {
            o.Listen(IPAddress.Loopback, 0);
            o.AddServerHeader = false;
        });
        var app = builder.Build();
        BenchServer? server = null;
        app.Run(ctx => server!.HandleAsync(ctx));
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server = new BenchServer(app, new Uri(address.TrimEnd('/') + "/"));
        server.Template(RequestsQuery.MaxPageSize, RequestsQuery.MaxPageSize);
        return server;
    }

    /// <summary>The template of a page with <paramref name="count"/> items for page size <paramref name="limit"/>.</summary>
    public PageTemplate Template(int count, int limit) => _templates.GetOrAdd((count, limit), k => PageTemplate.Build(k.Count, k.Limit));

    private async Task HandleAsync(HttpContext ctx)
    {
        // /v1/projects/bench-{total}-{latency}/requests
        var segments = (ctx.Request.Path.Value ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments is not ["v1", "projects", var project, "requests"] || project.Split('-') is not ["bench", var totalText, var latencyText, ..] parts || parts.Length > 4 || (parts.Length == 4 && parts[3] != "t")
            || !int.TryParse(totalText, CultureInfo.InvariantCulture, out var total) || !int.TryParse(latencyText, CultureInfo.InvariantCulture, out var latency))
        {
            ctx.Response.StatusCode = 404;
            return;
        }
        var query = ctx.Request.Query;
        var page = int.TryParse(query["page"], CultureInfo.InvariantCulture, out var p) ? p : 0;
        var limit = int.TryParse(query["limit"], CultureInfo.InvariantCulture, out var l) ? Math.Clamp(l, 1, 1000) : 10;
        if (latency > 0)
        {
            await Task.Delay(latency, ctx.RequestAborted).ConfigureAwait(false);
        }
        var count = (int)Math.Clamp((long)total - ((long)page * limit), 0, limit);
        var template = Template(count, limit);
        var buffer = ArrayPool<byte>.Shared.Rent(template.Length);
        try
        {
            template.Render(page, buffer, parts.Length == 4 ? Template(limit, limit).Span * page : TimeSpan.Zero);
            ctx.Response.StatusCode = 200;
            ctx.Response.ContentType = "application/json";
            ctx.Response.ContentLength = template.Length;
            await ctx.Response.Body.WriteAsync(buffer.AsMemory(0, template.Length), ctx.RequestAborted).ConfigureAwait(false);
            Interlocked.Increment(ref _pagesServed);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
