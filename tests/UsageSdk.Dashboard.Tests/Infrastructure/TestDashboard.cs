using System.Globalization;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using UsageSdk.Archive;
using UsageSdk.Reports;
using UsageSdk.Testing;

namespace UsageSdk.Dashboard.Tests.Infrastructure;

/// <summary>
/// The dashboard mounted at /usage in an in-memory ASP.NET Core app (TestServer), over the seeded FakeUsageApi through a
/// real UsageClient, with a fixed clock: the same seed and clock give the same page. Expected figures come from the
/// fake's own data (not through the dashboard), built with UsageSdk.Reports.
/// </summary>
internal sealed class TestDashboard : IAsyncDisposable
{
    /// <summary>Wednesday 18 March 2026, 14:30 UTC: "today" of every test.</summary>
    public static readonly DateTimeOffset Now = new(2026, 3, 18, 14, 30, 0, TimeSpan.Zero);

    public const string Project = FakeUsageApi.DemoProjectId;

    /// <summary>A key the tests give the client instead of the fake's default, to look for it in every answer.</summary>
    public const string SecretKey = "dg-secret-7f3a9c1e5b2d4f6a8c0e";

    private TestDashboard(FakeTimeProvider clock, FakeUsageApi api, WebApplication app, bool kestrel)
    {
        Clock = clock;
        Api = api;
        App = app;
        Client = kestrel ? new HttpClient { BaseAddress = new Uri(app.Urls.First()) } : app.GetTestClient();
    }

    public FakeTimeProvider Clock { get; }
    public FakeUsageApi Api { get; }
    public WebApplication App { get; }
    public HttpClient Client { get; }

    public static FakeUsageApi CreateApi(FakeTimeProvider clock, int days = 40)
        => new(new FakeUsageApiOptions { Seed = 7, Days = days, RequestsPerDay = 90, TimeProvider = clock, AcceptedKeys = [SecretKey] });

    /// <summary>The key names of the fake's projects (the real API's logs carry ids only).</summary>
    public static void AddKeyNames(FakeUsageApi api, UsageReportOptions options)
    {
        foreach (var key in api.Projects.SelectMany(p => p.ApiKeys))
        {
            options.Names.Keys[key.ApiKeyId] = key.Name;
            options.Names.Keys[key.Accessor] = key.Name;
        }
    }

    public static UsageApiDashboardSource DemoSource(FakeUsageApi api)
        => new(api.CreateClient(o => { o.ApiKey = SecretKey; o.Retry.MaxRetries = 0; }), api.Projects.Select(p => new UsageDashboardProject(p.ProjectId, p.Name))) { Description = "demo API" };

    public static async Task<TestDashboard> StartAsync(
        Action<UsageDashboardOptions>? configure = null,
        Action<WebApplicationBuilder>? services = null,
        Action<IEndpointConventionBuilder>? convention = null,
        Action<WebApplication>? middleware = null,
        int days = 40,
        bool kestrel = false,
        Func<WebApplication, FakeUsageApi, FakeTimeProvider, Task>? mapMore = null)
    {
        var clock = new FakeTimeProvider(Now);
        var api = CreateApi(clock, days);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (kestrel)
        {
            builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        }
        else
        {
            builder.WebHost.UseTestServer();
        }
        services?.Invoke(builder);
        var app = builder.Build();
        middleware?.Invoke(app);
        var endpoints = app.MapUsageDashboard("/usage", o =>
        {
            o.Source = DemoSource(api);
            o.TimeProvider = clock;
            AddKeyNames(api, o.Report);
            configure?.Invoke(o);
        });
        convention?.Invoke(endpoints);
        if (mapMore is not null)
        {
            await mapMore(app, api, clock);
        }
        await app.StartAsync();
        return new TestDashboard(clock, api, app, kestrel);
    }

    /// <summary>The address of a Kestrel-hosted dashboard (kestrel: true).</summary>
    public string BaseUrl => App.Urls.First(u => u.StartsWith("http://127.0.0.1", StringComparison.Ordinal)) + "/usage";

    public async Task<(HttpResponseMessage Response, IDocument Document)> GetPageAsync(string query = "")
    {
        var response = await Client.GetAsync("/usage" + query);
        var html = await response.Content.ReadAsStringAsync();
        return (response, new HtmlParser().ParseDocument(html));
    }

    public async Task<IDocument> GetDocumentAsync(string query = "")
    {
        var (response, document) = await GetPageAsync(query);
        Assert.True(response.IsSuccessStatusCode, $"GET /usage{query}: {(int)response.StatusCode}\n{document.QuerySelector("main")?.TextContent}");
        return document;
    }

    /// <summary>The report of the fake's own request logs of a project in [start, end) that pass <paramref name="filter"/>.</summary>
    public UsageReport Expected(DateTimeOffset start, DateTimeOffset end, Func<UsageRequest, bool>? filter = null, string project = Project, Action<UsageReportOptions>? configure = null)
    {
        var options = new UsageReportOptions { Start = start, End = end };
        AddKeyNames(Api, options);
        configure?.Invoke(options);
        var requests = Api.GetRequests(project).Where(r => r.Created >= start && r.Created < end && r.Created >= Now.AddDays(-90) && (filter is null || filter(r)));
        return UsageReport.FromRequests(requests.OrderBy(r => r.Created), options);
    }

    /// <summary>An archive in a temporary SQLite file, synced from the fake at the fixed clock (the 90 days it serves).</summary>
    public static async Task<UsageArchive> SyncedArchiveAsync(FakeUsageApi api, TimeProvider clock, string path, string project = Project)
    {
        var archive = new UsageArchive(UsageArchive.OpenStore(path), api.CreateClient(o => { o.ApiKey = SecretKey; o.Retry.MaxRetries = 0; }),
            new UsageArchiveOptions { TimeProvider = clock, SyncUsage = false }, ownsStore: true);
        await archive.SyncAsync(project);
        return archive;
    }

    public static DateTimeOffset Day(int year, int month, int day) => new(year, month, day, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Today 00:00 UTC.</summary>
    public static DateTimeOffset Today => new(Now.UtcDateTime.Date, TimeSpan.Zero);

    public ValueTask DisposeAsync()
    {
        Client.Dispose();
        return App.DisposeAsync();
    }
}

/// <summary>Reading the rendered page.</summary>
internal static class Dom
{
    public static IElement Tile(this IDocument d, string kpi)
        => d.QuerySelector($"li.tile[data-kpi='{kpi}']") ?? throw new Xunit.Sdk.XunitException($"No tile {kpi}.");

    public static string TileText(this IDocument d, string kpi) => d.Tile(kpi).QuerySelector(".value")!.TextContent.Trim();

    public static string TileRaw(this IDocument d, string kpi) => d.Tile(kpi).QuerySelector(".value")!.GetAttribute("data-value")!;

    /// <summary>The cells (header cell first) of each body row of a table.</summary>
    public static List<string[]> Rows(this IElement table)
        => table.QuerySelectorAll("tbody tr").Select(tr => tr.Children.Select(c => c.TextContent.Trim()).ToArray()).ToList();

    public static string N(long v) => v.ToString("#,##0", CultureInfo.InvariantCulture);

    public static string Usd(decimal v) => "$" + Math.Round(v, 2, MidpointRounding.AwayFromZero).ToString("#,##0.00", CultureInfo.InvariantCulture);

    public static string Pct(double v) => (v * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";
}
