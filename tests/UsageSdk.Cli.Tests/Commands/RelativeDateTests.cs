using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using UsageSdk.Cli.Tests.Infrastructure;
using UsageSdk.Testing;

namespace UsageSdk.Cli.Tests.Commands;

/// <summary>
/// --start/--end relative to now (<c>-7d</c>, <c>-24h</c>, <c>-2w</c>, <c>now</c>, <c>today</c>) and <c>--since 7d</c>:
/// counted back from the demo's clock with --demo and from <see cref="CliEnvironment.Clock"/> against a real API.
/// </summary>
public sealed class RelativeDateTests
{
    private static readonly DateTimeOffset Now = CliRunner.Now; // 2025-03-14 15:00 UTC

    /// <summary>Runs against a real-API path (key, project, base URL) whose transport is a fake API the test reads the wire of.</summary>
    private static async Task<(CliResult Result, FakeUsageApi Api)> RunOnWireAsync(params string[] args)
    {
        var api = new FakeUsageApi(new FakeUsageApiOptions { Seed = FakeUsageApi.DemoSeed, TimeProvider = new FakeTimeProvider(Now) });
        var env = new CliEnvironment
        {
            GetVariable = _ => null,
            Clock = new FakeTimeProvider(Now),
            ConfigureClient = o =>
            {
                o.ApiKey = FakeUsageApi.DefaultApiKey;
                o.BaseAddress = FakeUsageApi.BaseAddress;
                o.Transport = api;
            },
        };
        var result = await CliRunner.RunAsync(env, [.. args, "--api-key", "test-key-relative-dates", "--project", FakeUsageApi.DemoProjectId]);
        return (result, api);
    }

    [Fact]
    public async Task Since_lists_exactly_the_demo_requests_of_the_last_hours()
    {
        var result = (await CliRunner.RunAsync("requests", "list", "--demo", "--since", "6h", "--format", "jsonl")).Ok();

        var expected = CliRunner.DemoRequests.Where(r => r.Created >= Now.AddHours(-6)).Select(r => r.RequestId).ToList();
        Assert.InRange(expected.Count, 5, CliRunner.DemoRequests.Count - 1);
        Assert.Equal(expected, result.StdoutLines.Select(l => UsageJson.DeserializeRequest(l, Now).RequestId));
    }

    [Theory]
    [InlineData("--since", "7d")]
    [InlineData("--since", "-7d")]
    [InlineData("--start", "-7d")]
    [InlineData("--start", "-168h")]
    [InlineData("--start", "-1w")]
    public async Task Relative_starts_send_now_minus_the_span_on_the_wire(string option, string value)
    {
        var (result, api) = await RunOnWireAsync("requests", "list", option, value, "--format", "csv", "--limit", "3");

        result.Ok();
        // The end is the client's: it pins "now" (the CLI's clock) so that pages do not shift while it reads them.
        Assert.Equal("start=2025-03-07T15%3A00%3A00Z&end=2025-03-14T15%3A00%3A00Z&limit=3&page=0", api.RecordedRequests[0].Query);
    }

    [Fact]
    public async Task Relative_start_and_end_of_request_logs_are_exact_times()
    {
        var (result, api) = await RunOnWireAsync("requests", "list", "--start", "-3d", "--end", "-36h", "--format", "csv", "--limit", "2");

        result.Ok();
        Assert.Equal("start=2025-03-11T15%3A00%3A00Z&end=2025-03-13T03%3A00%3A00Z&limit=2&page=0", api.RecordedRequests[0].Query);
    }

    [Theory]
    [InlineData("start=2025-03-07", "summary", "--since", "7d")]
    [InlineData("start=2025-03-07&end=2025-03-13", "summary", "--start", "-7d", "--end", "-1d")]
    [InlineData("start=2025-02-28&end=2025-03-14", "breakdown", "--start", "-2w", "--end", "today")]
    [InlineData("start=2025-03-13", "fields", "--start", "-1d")]
    public async Task Relative_days_of_the_usage_endpoints_are_the_UTC_days_of_now_minus_the_span(string query, params string[] args)
    {
        var (result, api) = await RunOnWireAsync([.. args, "--format", "json"]);

        result.Ok();
        Assert.Equal(query, api.RecordedRequests[0].Query);
    }

    [Fact]
    public async Task Since_on_the_demo_summary_starts_seven_days_back_and_matches_start_minus_7d()
    {
        var since = (await CliRunner.RunAsync("summary", "--demo", "--since", "7d", "--format", "json")).Ok();
        var start = (await CliRunner.RunAsync("summary", "--demo", "--start", "-7d", "--format", "json")).Ok();

        using var doc = JsonDocument.Parse(since.Stdout);
        Assert.Equal("2025-03-07", doc.RootElement.GetProperty("start").GetString());
        Assert.True(doc.RootElement.GetProperty("results").EnumerateArray().Sum(r => r.GetProperty("requests").GetInt64()) > 0);
        Assert.Equal(start.Stdout, since.Stdout);
    }

    [Fact]
    public async Task A_report_from_a_relative_start_runs_to_now()
    {
        var result = (await CliRunner.RunAsync("report", "--demo", "--since", "14d", "--format", "json")).Ok();

        using var doc = JsonDocument.Parse(result.Stdout);
        Assert.Equal(Now.AddDays(-14), doc.RootElement.GetProperty("start").GetDateTimeOffset());
        Assert.Equal(Now, doc.RootElement.GetProperty("end").GetDateTimeOffset());
        var expected = CliRunner.DemoRequests.Count(r => r.Created >= Now.AddDays(-14) && r.Created <= Now);
        Assert.Equal(expected, doc.RootElement.GetProperty("totals").GetProperty("requests").GetInt64());
    }

    [Theory]
    [InlineData("--since '7x' is not a duration", "requests", "list", "--demo", "--since", "7x")]
    [InlineData("--since '7' is not a duration", "summary", "--demo", "--since", "7")]
    [InlineData("--since and --start are both given", "requests", "list", "--demo", "--since", "7d", "--start", "2025-03-01")]
    [InlineData("--start '+7d' is not a date", "summary", "--demo", "--start", "+7d")]
    [InlineData("--end '-7m' is not a date or date-time", "requests", "list", "--demo", "--end", "-7m")]
    public async Task Bad_relative_dates_are_one_line_and_exit_2(string expected, params string[] args)
        => Assert.Contains(expected, (await CliRunner.RunAsync(args)).Fails(2));

    [Theory]
    [InlineData("summary")]
    [InlineData("breakdown")]
    [InlineData("fields")]
    public async Task Help_of_the_usage_endpoints_offers_days_only(string command)
    {
        var help = (await CliRunner.RunAsync(command, "--help")).Ok().Stdout;

        Assert.Contains("First day (UTC): YYYY-MM-DD, today, or relative to now: -7d", help);
        Assert.Contains("--since <7d|24h|2w>", help);
        Assert.DoesNotContain("date-time", help);
        Assert.DoesNotContain("ISO-8601", help);
        Assert.DoesNotContain("request logs", help.Split("Options:")[1]);
    }

    [Fact]
    public async Task Help_of_request_logs_offers_date_times_and_relative_times()
    {
        var help = (await CliRunner.RunAsync("requests", "list", "--help")).Ok().Stdout;

        Assert.Contains("an ISO-8601 date-time with offset (2025-01-31T08:00:00+02:00), or relative to now: -7d, -24h, -2w", help);
    }

    [Fact]
    public async Task A_date_in_an_error_is_written_in_the_invariant_calendar_whatever_the_culture()
    {
        var culture = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = new CultureInfo("th-TH"); // Buddhist calendar: 2025 is 2568
        try
        {
            var line = (await CliRunner.RunAsync("summary", "--demo", "--start", "2025-03-10", "--end", "2025-03-01")).Fails(2);
            Assert.Equal("usage: --end 2025-03-01 is before --start 2025-03-10.", line);
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }
}
