using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using UsageSdk.Dashboard.Tests.Infrastructure;
using UsageSdk.Testing;
using static UsageSdk.Dashboard.Tests.Infrastructure.Dom;

namespace UsageSdk.Dashboard.Tests;

/// <summary>How MapUsageDashboard finds its source, and the patterns it takes.</summary>
public sealed class RegistrationTests
{
    private static async Task<WebApplication> AppAsync(Action<WebApplicationBuilder> services, Action<WebApplication> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseTestServer();
        services(builder);
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        return app;
    }

    [Fact]
    public async Task Without_a_source_the_live_API_comes_from_the_AddUsageClient_registration()
    {
        var clock = new FakeTimeProvider(TestDashboard.Now);
        using var api = TestDashboard.CreateApi(clock);
        await using var app = await AppAsync(
            b => b.Services.AddUsageClient("deepgram", o =>
            {
                o.ApiKey = TestDashboard.SecretKey;
                o.BaseAddress = FakeUsageApi.BaseAddress;
                o.Transport = api;
                o.TimeProvider = clock;
                o.Retry.MaxRetries = 0;
            }),
            a => a.MapUsageDashboard("/usage", o =>
            {
                o.ClientName = "deepgram";
                o.Projects.Add(TestDashboard.Project);
                o.TimeProvider = clock;
            }));
        var doc = new HtmlParser().ParseDocument(await app.GetTestClient().GetStringAsync("/usage?range=today"));

        var today = api.GetRequests(TestDashboard.Project).Where(r => r.Created >= TestDashboard.Today).ToList();
        Assert.Equal(N(today.Count), doc.TileText("requests"));
        Assert.Equal(TestDashboard.Project + " · live API · times are UTC", doc.QuerySelector("header .sub")!.TextContent);
        // One listing of today up to now (the API is never asked for the future), all pages at 1000.
        var listing = api.RecordedRequests.Where(r => r.Path.EndsWith("/requests", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(listing);
        Assert.Equal("start=2026-03-18T00%3A00%3A00Z&end=2026-03-18T14%3A30%3A00Z&limit=1000&page=0", listing[0].Query.TrimStart('?'));
    }

    [Fact]
    public async Task A_source_registered_in_the_container_is_used()
    {
        var clock = new FakeTimeProvider(TestDashboard.Now);
        using var api = TestDashboard.CreateApi(clock);
        await using var app = await AppAsync(
            b => b.Services.AddSingleton<IUsageDashboardSource>(TestDashboard.DemoSource(api)),
            a => a.MapUsageDashboard("/", o => o.TimeProvider = clock));
        var client = app.GetTestClient();
        var doc = new HtmlParser().ParseDocument(await client.GetStringAsync("/"));
        Assert.Contains("demo API", doc.QuerySelector("header .sub")!.TextContent);
        // Mounted at the root, its links and assets still resolve.
        Assert.Equal("/assets/dashboard.css", doc.QuerySelector("link[rel=stylesheet]")!.GetAttribute("href"));
        Assert.StartsWith("/export.csv?", doc.QuerySelectorAll(".export a").First().GetAttribute("href"));
        Assert.StartsWith("/?project=", doc.QuerySelector("nav.range a")!.GetAttribute("href"));
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync("/assets/dashboard.css")).StatusCode);
    }

    [Fact]
    public async Task Without_any_source_mapping_fails_with_a_message_that_names_the_choices()
    {
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => AppAsync(_ => { }, a => a.MapUsageDashboard()));
        Assert.StartsWith("MapUsageDashboard has no source of usage: set o.Source", e.Message);
    }

    [Theory]
    [InlineData("/usage/{project}", "The dashboard's pattern '/usage/{project}' must be a literal path such as /usage (no route parameters).")]
    [InlineData("/usage/*", "The dashboard's pattern '/usage/*' must be a literal path such as /usage (no route parameters).")]
    public async Task Patterns_with_route_parameters_are_refused(string pattern, string message)
    {
        using var api = TestDashboard.CreateApi(new FakeTimeProvider(TestDashboard.Now));
        var e = await Assert.ThrowsAsync<ArgumentException>(() => AppAsync(_ => { }, a => a.MapUsageDashboard(pattern, o => o.Source = TestDashboard.DemoSource(api))));
        Assert.StartsWith(message, e.Message);
    }

    [Fact]
    public async Task Options_out_of_range_are_refused_when_mapping()
    {
        using var api = TestDashboard.CreateApi(new FakeTimeProvider(TestDashboard.Now));
        var e = await Assert.ThrowsAsync<ArgumentException>(() => AppAsync(_ => { }, a => a.MapUsageDashboard("/usage", o =>
        {
            o.Source = TestDashboard.DemoSource(api);
            o.DefaultRange = UsageDashboardRange.Custom;
        })));
        Assert.StartsWith("UsageDashboardOptions.DefaultRange must be a preset", e.Message);
    }
}
