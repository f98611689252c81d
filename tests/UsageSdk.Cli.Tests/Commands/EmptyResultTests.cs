using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using UsageSdk.Archive.Tests.Infrastructure;
using UsageSdk.Cli.Tests.Infrastructure;
using UsageSdk.Testing;

namespace UsageSdk.Cli.Tests.Commands;

/// <summary>
/// An empty listing or report says why on stderr, in one line (the window, the filters, what the source holds), with
/// exit code 0 and the same stdout as before.
/// </summary>
public sealed class EmptyResultTests : IDisposable
{
    /// <summary>The demo's request logs at <see cref="CliRunner.Now"/> run from here to there.</summary>
    private static readonly string DemoSpan = $"the demo's data covers {Minute(CliRunner.DemoRequests.Min(r => r.Created))} to {Minute(CliRunner.DemoRequests.Max(r => r.Created))} UTC (its last 30 days)";

    private static string Minute(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void The_demo_spans_the_thirty_days_before_its_clock()
    {
        Assert.InRange(CliRunner.DemoRequests.Min(r => r.Created), CliRunner.Now.AddDays(-30), CliRunner.Now.AddDays(-29));
        Assert.InRange(CliRunner.DemoRequests.Max(r => r.Created), CliRunner.Now.AddHours(-1), CliRunner.Now);
    }

    [Fact]
    public async Task A_request_list_outside_the_demo_window_names_the_window_and_the_demo_span()
    {
        var result = await CliRunner.RunAsync("requests", "list", "--demo", "--start", "2025-01-01", "--end", "2025-01-07", "--format", "csv");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(1, result.Stdout.Count(c => c == '\n')); // the header row only, as before
        Assert.StartsWith("request_id,created,", result.Stdout);
        Assert.Equal($"usage: no request logs from 2025-01-01 00:00 to 2025-01-07 23:59 UTC; {DemoSpan}: try --since 7d.\n", result.Stderr);
    }

    [Fact]
    public async Task The_table_keeps_its_empty_message_on_stdout()
    {
        var result = await CliRunner.RunAsync("requests", "list", "--demo", "--end", "2025-01-31");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["No request logs match.", "0 requests, newest first · 0 failed · $0.0000 total cost"], result.StdoutLines);
        Assert.Equal($"usage: no request logs up to 2025-01-31 23:59 UTC; {DemoSpan}: try --since 7d.\n", result.Stderr);
    }

    [Fact]
    public async Task Filters_that_match_nothing_in_the_window_are_named()
    {
        var result = await CliRunner.RunAsync("requests", "list", "--demo", "--since", "2d", "--tag", "no-such-tag", "--endpoint", "speak", "--format", "jsonl");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Equal($"usage: no request logs since 2025-03-12 15:00 UTC with --tag no-such-tag, --endpoint speak; {DemoSpan}, and none in this window matches the filters.\n", result.Stderr);
    }

    [Theory]
    [InlineData("summary")]
    [InlineData("breakdown")]
    public async Task An_empty_usage_summary_or_breakdown_names_its_days(string command)
    {
        var result = await CliRunner.RunAsync(command, "--demo", "--start", "2025-01-01", "--end", "2025-01-03", "--format", "csv");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(4, result.StdoutLines.Length); // a header and three days of zeros, as before
        Assert.Equal($"usage: no usage from 2025-01-01 to 2025-01-03 (UTC days); {DemoSpan}: try --since 7d.\n", result.Stderr);
    }

    [Fact]
    public async Task An_empty_report_says_why_and_its_json_is_unchanged()
    {
        var result = await CliRunner.RunAsync("report", "--demo", "--start", "2025-01-01", "--end", "2025-01-02", "--format", "json");

        Assert.Equal(0, result.ExitCode);
        using var doc = JsonDocument.Parse(result.Stdout);
        Assert.Equal(0, doc.RootElement.GetProperty("totals").GetProperty("requests").GetInt64());
        Assert.Equal($"usage: no request logs from 2025-01-01 00:00 to 2025-01-02 23:59 UTC; {DemoSpan}: try --since 7d.\n", result.Stderr);
    }

    [Fact]
    public async Task An_empty_export_says_why()
    {
        var file = _dir.File("out.csv");
        var result = await CliRunner.RunAsync("export", "--demo", "--start", "2024-12-01", "--end", "2024-12-31", "--output", file);

        Assert.Equal(0, result.ExitCode);
        Assert.Single(File.ReadAllLines(file)); // the header
        Assert.StartsWith("Exported 0 request logs to ", result.Stdout);
        Assert.Equal($"usage: no request logs from 2024-12-01 00:00 to 2024-12-31 23:59 UTC; {DemoSpan}: try --since 7d.\n", result.Stderr);
    }

    [Fact]
    public async Task A_real_API_window_older_than_90_days_names_the_retention()
    {
        var api = new FakeUsageApi(new FakeUsageApiOptions { Seed = FakeUsageApi.DemoSeed, TimeProvider = new FakeTimeProvider(CliRunner.Now) });
        var env = new CliEnvironment
        {
            GetVariable = _ => null,
            Clock = new FakeTimeProvider(CliRunner.Now),
            ConfigureClient = o => { o.ApiKey = FakeUsageApi.DefaultApiKey; o.BaseAddress = FakeUsageApi.BaseAddress; o.Transport = api; },
        };

        var result = await CliRunner.RunAsync(env, "requests", "list", "--api-key", "test-key-empty-results", "--project", FakeUsageApi.DemoProjectId, "--start", "2024-01-01", "--end", "2024-01-31", "--format", "csv");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("usage: no request logs from 2024-01-01 00:00 to 2024-01-31 23:59 UTC; the API keeps request logs for 90 days (since 2024-12-14 15:00 UTC).\n", result.Stderr);
    }

    [Fact]
    public async Task An_empty_archive_query_names_what_the_archive_holds()
    {
        var db = _dir.File("usage.db");
        var env = new CliEnvironment { GetVariable = _ => null, DemoClock = new FakeTimeProvider(CliRunner.Now) };
        (await CliRunner.RunAsync(env, "archive", "sync", "--demo", "--db", db, "--no-usage", "--format", "json")).Ok();

        var query = await CliRunner.RunAsync(env, "archive", "query", "--demo", "--db", db, "--start", "2025-01-01", "--end", "2025-01-31", "--format", "jsonl");
        var report = await CliRunner.RunAsync(env, "archive", "report", "--demo", "--db", db, "--end", "2025-01-31", "--format", "json");

        var demo = CliRunner.DemoRequests;
        var holds = $"the archive holds {demo.Count.ToString("#,0", CultureInfo.InvariantCulture)} request logs of project {FakeUsageApi.DemoProjectId}, from {Minute(demo.Min(r => r.Created))} to {Minute(demo.Max(r => r.Created))} UTC: try --since 7d";
        Assert.Equal(0, query.ExitCode);
        Assert.Equal("", query.Stdout);
        Assert.Equal($"usage: no archived request logs from 2025-01-01 00:00 to 2025-01-31 23:59 UTC; {holds}.\n", query.Stderr);
        Assert.Equal(0, report.ExitCode);
        Assert.Equal($"usage: no archived request logs up to 2025-01-31 23:59 UTC; {holds}.\n", report.Stderr);
    }

    [Fact]
    public async Task A_listing_with_results_writes_nothing_to_stderr()
        => (await CliRunner.RunAsync("requests", "list", "--demo", "--since", "7d", "--format", "csv")).Ok();
}
