using Microsoft.AspNetCore.Builder;
using UsageSdk.Archive;
using UsageSdk.Dashboard.Tests.Infrastructure;
using UsageSdk.Reports;
using UsageSdk.Testing;

namespace UsageSdk.Dashboard.Tests;

/// <summary>
/// The archive source reads roll-ups; the same archive read through its request logs (a store that hides its
/// roll-ups, as a store of one's own has none) must give the same page: every tile, table, chart, filter choice and
/// note, and the same exports, for every range preset, filters and report options.
/// </summary>
public sealed class RollupSourceTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("usagesdk-rollups-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    public static TheoryData<string> Options => ["names", "prices", "budgets"];

    [Theory]
    [MemberData(nameof(Options))]
    public async Task The_page_from_roll_ups_equals_the_page_from_the_request_logs(string options)
    {
        UsageArchive? rollups = null, logs = null;
        await using var d = await TestDashboard.StartAsync(days: 90, mapMore: async (app, api, clock) =>
        {
            var path = Path.Combine(_dir, "usage.db");
            rollups = await TestDashboard.SyncedArchiveAsync(api, clock, path);
            logs = new UsageArchive(new LogsOnlyStore(new SqliteArchiveStore(path)), options: new UsageArchiveOptions { TimeProvider = clock }, ownsStore: true);
            foreach (var (mount, archive) in new[] { ("/rollups", rollups), ("/logs", logs) })
            {
                app.MapUsageDashboard(mount, o =>
                {
                    o.Source = new UsageArchiveDashboardSource(archive, [new UsageDashboardProject(TestDashboard.Project, "Production")]);
                    o.TimeProvider = clock;
                    Configure(o.Report, api, options);
                });
            }
        });
        await using var _ = rollups!;
        await using var __ = logs!;
        var requests = d.Api.GetRequests(TestDashboard.Project);
        var key = requests.First(r => r.ApiKeyId is not null).ApiKeyId!;
        var model = requests.First(r => r.Response?.Details?.Models.Count == 3).Response!.Details!.Models[0]; // a voice agent's speech model
        var tag = requests.First(r => r.Response?.Details?.Tags.Count > 1).Response!.Details!.Tags[1];

        string[] views =
        [
            "", "?range=today", "?range=30d", "?range=month", "?range=lastmonth", "?range=custom&from=2025-12-20&to=2026-03-18",
            "?range=custom&from=2026-03-17&to=2026-03-18", $"?range=30d&key={key}", $"?range=30d&model={model}", $"?range=7d&tag={Uri.EscapeDataString(tag)}",
            $"?range=30d&method=streaming&endpoint=agent", "?range=today&deployment=hosted&deployment=beta", $"?range=lastmonth&key={key}&model={model}",
            "?range=30d&model=no-such-model", "?range=30d&ksort=billed&kdir=asc&msort=tokens_in",
        ];
        // With a price table, the billed cost of a voice agent's request (three models) is split among its models per
        // roll-up, not per request: the model table's billed column may differ (docs/dashboard.md); nothing else does.
        var splitByRollup = options == "prices";
        var pages = 0;
        foreach (var view in views)
        {
            var fromLogs = await PageAsync(d, "/logs", view, splitByRollup);
            var fromRollups = await PageAsync(d, "/rollups", view, splitByRollup);
            Assert.True(fromLogs.Contains("class=\"tile", StringComparison.Ordinal) || fromLogs.Contains("No usage data", StringComparison.Ordinal), view);
            pages += fromLogs.Contains("data-kpi=\"requests\"", StringComparison.Ordinal) ? 1 : 0;
            Assert.Equal(fromLogs, fromRollups);
            string[] exports = splitByRollup ? ["/export.csv", "/export.csv?table=keys"] : ["/export.csv", "/export.csv?table=keys", "/export.csv?table=models", "/export.json"];
            foreach (var export in exports)
            {
                var query = export + (view.Length > 0 ? (export.Contains('?', StringComparison.Ordinal) ? "&" : "?") + view[1..] : "");
                Assert.Equal(await PageAsync(d, "/logs", query, false), await PageAsync(d, "/rollups", query, false));
            }
        }
        Assert.True(pages >= views.Length - 2, $"only {pages} of the views have figures");
    }

    /// <summary>A page with the mount point taken out (its links name it).</summary>
    private static async Task<string> PageAsync(TestDashboard d, string mount, string query, bool withoutModelBilledCost)
    {
        var response = await d.Client.GetAsync(mount + query);
        Assert.True(response.IsSuccessStatusCode, $"GET {mount}{query}: {(int)response.StatusCode}");
        var text = (await response.Content.ReadAsStringAsync()).Replace(mount, "/MOUNT", StringComparison.Ordinal);
        if (!withoutModelBilledCost)
        {
            return text;
        }
        var doc = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(text);
        foreach (var row in doc.QuerySelectorAll("#models-table tbody tr"))
        {
            row.Children[5].TextContent = "(billed)"; // Name, Requests, Input, Output, Total tokens, Billed cost, …
        }
        return doc.DocumentElement.OuterHtml;
    }

    private static void Configure(UsageReportOptions report, FakeUsageApi api, string options)
    {
        TestDashboard.AddKeyNames(api, report);
        switch (options)
        {
            case "prices":
                report.Prices = new UsagePriceTable(new Dictionary<string, UsageModelPrice>
                {
                    ["1abfe86b-e047-4eed-858a-35e5625b41ee"] = new() { PerAudioHour = 0.258m },
                    ["gpt-4o-mini"] = new() { PerMillionInputTokens = 0.15m, PerMillionOutputTokens = 0.6m },
                    ["*"] = new() { PerAudioHour = 0.3m, PerMillionCharacters = 30m },
                });
                break;
            case "budgets":
                report.Budgets.Add(new UsageBudget { Name = "per key", MaxUsd = 0.2m, PerApiKey = true, Period = UsageBudgetPeriod.Day });
                report.Budgets.Add(new UsageBudget { Name = "daily", MaxTokens = 50_000, Period = UsageBudgetPeriod.Day });
                break;
            default:
                foreach (var m in api.Models)
                {
                    report.Names.Models[m.ModelId] = m.Name;
                }
                break;
        }
    }

    /// <summary>A store that reads only its request logs (no roll-ups), as a store of one's own would.</summary>
    private sealed class LogsOnlyStore(IUsageArchiveStore inner) : IUsageArchiveStore
    {
        public string Description => inner.Description;
        public Task InitializeAsync(CancellationToken cancellationToken = default) => inner.InitializeAsync(cancellationToken);
        public Task<IAsyncDisposable> LockProjectAsync(string projectId, CancellationToken cancellationToken = default) => inner.LockProjectAsync(projectId, cancellationToken);
        public Task<ArchiveCheckpoint?> GetCheckpointAsync(string projectId, CancellationToken cancellationToken = default) => inner.GetCheckpointAsync(projectId, cancellationToken);
        public Task<int> CommitPageAsync(string projectId, IReadOnlyList<UsageRequest> requests, ArchiveCheckpoint checkpoint, CancellationToken cancellationToken = default)
            => inner.CommitPageAsync(projectId, requests, checkpoint, cancellationToken);
        public Task AddGapAsync(string projectId, ArchiveGap gap, CancellationToken cancellationToken = default) => inner.AddGapAsync(projectId, gap, cancellationToken);
        public Task CommitUsageAsync(string projectId, DateOnly from, DateOnly to, UsageSummary? summary, IReadOnlyList<ArchivedBreakdown> breakdowns, CancellationToken cancellationToken = default)
            => inner.CommitUsageAsync(projectId, from, to, summary, breakdowns, cancellationToken);
        public IAsyncEnumerable<UsageRequest> QueryRequestsAsync(string projectId, RequestsQuery query, DateTimeOffset now, CancellationToken cancellationToken = default)
            => inner.QueryRequestsAsync(projectId, query, now, cancellationToken);
        public Task<UsageSummary> GetSummaryAsync(string projectId, DateOnly? from, DateOnly? to, CancellationToken cancellationToken = default) => inner.GetSummaryAsync(projectId, from, to, cancellationToken);
        public Task<UsageBreakdown> GetBreakdownAsync(string projectId, UsageGrouping grouping, DateOnly? from, DateOnly? to, CancellationToken cancellationToken = default)
            => inner.GetBreakdownAsync(projectId, grouping, from, to, cancellationToken);
        public Task<ArchiveStatistics> GetStatisticsAsync(string projectId, CancellationToken cancellationToken = default) => inner.GetStatisticsAsync(projectId, cancellationToken);
        public Task<IReadOnlyList<string>> GetProjectIdsAsync(CancellationToken cancellationToken = default) => inner.GetProjectIdsAsync(cancellationToken);
        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
