using Microsoft.AspNetCore.Builder;
using UsageSdk.Archive;
using UsageSdk.Dashboard.Tests.Infrastructure;
using static UsageSdk.Dashboard.Tests.Infrastructure.Dom;

namespace UsageSdk.Dashboard.Tests;

public sealed class ArchiveSourceTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("usagesdk-dashboard-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly DateTimeOffset End = TestDashboard.Today.AddDays(1);

    [Fact]
    public async Task An_archive_serves_the_same_figures_as_the_request_logs_it_holds()
    {
        UsageArchive? archive = null;
        await using var d = await TestDashboard.StartAsync(mapMore: async (app, api, clock) =>
        {
            archive = await TestDashboard.SyncedArchiveAsync(api, clock, Path.Combine(_dir, "usage.db"));
            app.MapUsageDashboard("/archive", o =>
            {
                o.Source = new UsageArchiveDashboardSource(archive, [new UsageDashboardProject(TestDashboard.Project, "Production")]);
                o.TimeProvider = clock;
                TestDashboard.AddKeyNames(api, o.Report);
            });
        });
        await using var _ = archive!;

        foreach (var (query, start) in new[] { ("?range=30d", TestDashboard.Today.AddDays(-29)), ("?range=today", TestDashboard.Today), ("?range=lastmonth", TestDashboard.Day(2026, 2, 1)) })
        {
            var response = await d.Client.GetAsync("/archive" + query);
            var doc = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
            var end = query == "?range=lastmonth" ? TestDashboard.Day(2026, 3, 1) : End;
            var expected = d.Expected(start, end).Totals;
            Assert.True(expected.Requests > 0);
            Assert.Equal(N(expected.Requests), doc.TileText("requests"));
            Assert.Equal(N(expected.TokensTotal), doc.TileText("total-tokens"));
            Assert.Equal(expected.BilledUsd.ToString(System.Globalization.CultureInfo.InvariantCulture), doc.TileRaw("billed-cost"));
            Assert.StartsWith("Production (" + TestDashboard.Project + ") · archive ", doc.QuerySelector("header .sub")!.TextContent);
            Assert.Contains("keeps request logs and usage totals, not the billing API", doc.Tile("invoiced-cost").TextContent);
            // The names come from the options: the archive has logs, not a key inventory.
            Assert.Contains("web-backend", doc.QuerySelector("#keys-table")!.TextContent);
        }

        // Later, before the next sync: the page says what the archive is synced up to.
        d.Clock.Advance(TimeSpan.FromHours(6));
        var later = await d.Client.GetStringAsync("/archive?range=today");
        Assert.Contains("The archive was synced up to 2026-03-18 14:30 UTC; later requests are not in it yet (usage archive sync).", later);
    }

    [Fact]
    public async Task An_empty_archive_says_it_holds_nothing_and_how_to_fill_it()
    {
        await using var archive = UsageArchive.Open(Path.Combine(_dir, "empty.db"));
        await using var d = await TestDashboard.StartAsync(o => o.Source = new UsageArchiveDashboardSource(archive, [new UsageDashboardProject(TestDashboard.Project)]));
        var doc = await d.GetDocumentAsync();
        Assert.Equal("No usage data for this range", doc.QuerySelector("section.empty h2")!.TextContent);
        Assert.Equal($"The archive holds no request logs of {TestDashboard.Project}. Sync it first (usage archive sync --project {TestDashboard.Project}).", doc.QuerySelector("section.empty .reason")!.TextContent);
    }

    [Fact]
    public async Task A_range_older_than_the_archive_says_so()
    {
        UsageArchive? archive = null;
        await using var d = await TestDashboard.StartAsync(mapMore: async (app, api, clock) =>
        {
            archive = await TestDashboard.SyncedArchiveAsync(api, clock, Path.Combine(_dir, "usage.db"));
            app.MapUsageDashboard("/archive", o =>
            {
                o.Source = new UsageArchiveDashboardSource(archive, [new UsageDashboardProject(TestDashboard.Project)]);
                o.TimeProvider = clock;
            });
        });
        await using var _ = archive!;
        var stats = await archive!.GetStatisticsAsync(TestDashboard.Project);
        var html = await d.Client.GetStringAsync("/archive?range=custom&from=2025-12-01&to=2025-12-31");
        var doc = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html);
        Assert.Equal($"The source ({"archive " + archive.Store.Description}) holds nothing before {stats.Oldest!.Value.UtcDateTime:yyyy-MM-dd HH:00} UTC, and this range ends before that.",
            doc.QuerySelector("section.empty .reason")!.TextContent);
    }
}
