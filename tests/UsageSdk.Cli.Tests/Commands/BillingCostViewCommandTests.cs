using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using UsageSdk.Cli.Tests.Infrastructure;
using UsageSdk.Testing;

namespace UsageSdk.Cli.Tests.Commands;

/// <summary>
/// Issue 22.4: <c>usage billing --view cost</c>, the cost view of <c>usage report</c> from the billing command, in table,
/// JSON and CSV. Every figure is computed here from the demo's request logs (the fake bills each day, key, line item
/// and tag the sum of its logs' usd), not read back from the command.
/// </summary>
public sealed class BillingCostViewCommandTests
{
    private const string P = FakeUsageApi.DemoProjectId;
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static readonly DateOnly Today = new(2025, 3, 14);
    private static readonly DateOnly MonthStart = new(2025, 3, 1);

    private static string Cents(decimal usd) => (usd < 0 ? "-$" : "$") + Math.Abs(decimal.Round(usd, 2, MidpointRounding.AwayFromZero)).ToString("#,0.00", Inv);

    private static DateOnly Day(UsageRequest r) => DateOnly.FromDateTime(r.Created.UtcDateTime);

    private static decimal Usd(UsageRequest r) => r.Response?.Details?.Usd ?? 0m;

    /// <summary>The cost view's figures, computed from the logs as the remarks of UsageCostView say.</summary>
    private sealed record Expected(
        IReadOnlyDictionary<DateOnly, decimal> Daily, decimal MonthToDate, decimal PreviousMonth, decimal Projected, decimal Low, decimal High, decimal Balance,
        IReadOnlyDictionary<string, decimal> ByLineItem, IReadOnlyDictionary<string, decimal> ByKeyName, IReadOnlyDictionary<string, decimal> ByTag)
    {
        public decimal Between(DateOnly start, DateOnly end) => Daily.Where(d => d.Key >= start && d.Key <= end).Sum(d => d.Value);
    }

    private static async Task<Expected> ComputeAsync()
    {
        var logs = CliRunner.DemoRequests.Where(r => r.Created <= CliRunner.Now).ToList();
        var daily = new Dictionary<DateOnly, decimal>();
        for (var d = MonthStart.AddMonths(-1); d <= Today; d = d.AddDays(1))
        {
            daily[d] = logs.Where(r => Day(r) == d).Sum(Usd);
        }
        var trend = Enumerable.Range(1, 7).Select(i => daily[Today.AddDays(-i)]).ToList();
        var fullDays = daily.Where(d => d.Key >= MonthStart && d.Key < Today).Sum(d => d.Value);
        var mtd = fullDays + daily[Today];
        const int left = 31 - 13; // March 14 to 31, today included
        var mtdLogs = logs.Where(r => Day(r) >= MonthStart && r.Response?.Details?.Usd is not null).ToList(); // what the fake bills
        var keyNames = CliRunner.Demo.Projects.Single(p => p.ProjectId == P).ApiKeys.ToDictionary(k => k.Accessor, k => k.Name);
        var balance = (await CliRunner.Demo.CreateClient().GetBalancesAsync(P)).Single().Amount;
        return new Expected(
            daily, mtd, daily.Where(d => d.Key.Month == 2).Sum(d => d.Value),
            Math.Max(mtd, fullDays + (trend.Sum() / 7 * left)), Math.Max(mtd, fullDays + (trend.Min() * left)), Math.Max(mtd, fullDays + (trend.Max() * left)),
            balance,
            mtdLogs.GroupBy(r => FakeUsageApi.LineItemOf(r)!).ToDictionary(g => g.Key, g => g.Sum(Usd)),
            mtdLogs.GroupBy(r => keyNames[r.Accessor!]).ToDictionary(g => g.Key, g => g.Sum(Usd)),
            mtdLogs.SelectMany(r => r.Response!.Details!.Tags.Count == 0 ? [("(none)", Usd(r))] : r.Response.Details.Tags.Distinct().Select(t => (t, Usd(r)))).GroupBy(x => x.Item1).ToDictionary(g => g.Key, g => g.Sum(x => x.Item2)));
    }

    [Fact]
    public async Task Table_shows_month_to_date_previous_month_projection_balance_reconciliation_and_the_rows_in_cents()
    {
        var e = await ComputeAsync();

        var result = (await CliRunner.RunAsync("billing", "--demo", "--view", "cost")).Ok();

        string Line(string label) => Assert.Single(result.StdoutLines, l => l.StartsWith(label + " ", StringComparison.Ordinal));
        Assert.True(e.MonthToDate > 50m && e.PreviousMonth > 50m && e.High > e.Low);
        Assert.Contains($"{Cents(e.MonthToDate)} (2025-03-01 to 2025-03-14)", Line("Month to date"), StringComparison.Ordinal);
        Assert.Contains($"{Cents(e.PreviousMonth)} (2025-02)", Line("Previous month"), StringComparison.Ordinal);
        Assert.Contains($"{Cents(e.Projected)} (range {Cents(e.Low)} – {Cents(e.High)})", Line("Projected month end"), StringComparison.Ordinal);
        Assert.Contains(Cents(e.Balance), Line("Balance"), StringComparison.Ordinal);
        Assert.EndsWith($"Billed {Cents(e.MonthToDate)} · request logs {Cents(e.MonthToDate)} · difference $0.00 (2025-03-01 to 2025-03-14)", Line("Reconciliation"), StringComparison.Ordinal);
        Assert.Contains("mean of the last 7 full days", result.Stdout, StringComparison.Ordinal);

        // Per day: every day from February 1st, in cents.
        var days = result.StdoutLines.Where(l => l.StartsWith('│')).Select(l => l.Trim('│').Split('│').Select(c => c.Trim()).ToArray())
            .Where(c => c.Length == 2 && c[0].Length == 14 && DateOnly.TryParseExact(c[0][4..], "yyyy-MM-dd", Inv, DateTimeStyles.None, out _)).ToList();
        Assert.Equal(e.Daily.Select(d => (d.Key.ToString("ddd yyyy-MM-dd", Inv), Cents(d.Value))), days.Select(c => (c[0], c[1])));
        // Per line item and per key (by the demo keys' names), month to date.
        foreach (var (item, usd) in e.ByLineItem)
        {
            Assert.Equal(Cents(usd), Assert.Single(result.TableRows(item), r => r[0] == item)[1]);
        }
        foreach (var (name, usd) in e.ByKeyName)
        {
            Assert.Equal(Cents(usd), Assert.Single(result.TableRows(name), r => r[0] == name)[1]);
        }
        Assert.Equal(Cents(e.ByTag["prod"]), Assert.Single(result.TableRows("prod"), r => r[0] == "prod")[1]);
    }

    [Fact]
    public async Task Json_is_the_cost_view_object_with_exact_dollars()
    {
        var e = await ComputeAsync();

        var json = JsonDocument.Parse((await CliRunner.RunAsync("billing", "--demo", "--view", "cost", "--format", "json")).Ok().Stdout).RootElement;

        Assert.True(json.GetProperty("available").GetBoolean());
        Assert.Equal(("2025-02-01", "2025-03-14", "2025-03-14"), (json.GetProperty("start").GetString(), json.GetProperty("end").GetString(), json.GetProperty("today").GetString()));
        Assert.Equal(e.MonthToDate, json.GetProperty("month_to_date").GetDecimal());
        Assert.Equal(e.PreviousMonth, json.GetProperty("previous_month").GetDecimal());
        var projection = json.GetProperty("projection");
        Assert.Equal(Math.Round(e.Projected, 10), projection.GetProperty("month_end").GetDecimal());
        Assert.Equal(Math.Round(e.Low, 10), projection.GetProperty("low").GetDecimal());
        Assert.Equal(Math.Round(e.High, 10), projection.GetProperty("high").GetDecimal());
        Assert.Equal(7, projection.GetProperty("trend_days").GetInt32());
        Assert.Equal(e.Balance, json.GetProperty("balance_usd").GetDecimal());
        var rec = json.GetProperty("reconciliation");
        Assert.Equal(("2025-03-01", "2025-03-14"), (rec.GetProperty("start").GetString(), rec.GetProperty("end").GetString()));
        Assert.Equal((e.MonthToDate, e.MonthToDate, 0m), (rec.GetProperty("billed_usd").GetDecimal(), rec.GetProperty("request_log_usd").GetDecimal(), rec.GetProperty("difference_usd").GetDecimal()));
        Assert.Equal(e.Daily.Select(d => (d.Key.ToString("yyyy-MM-dd", Inv), d.Value)),
            json.GetProperty("daily").EnumerateArray().Select(d => (d.GetProperty("day").GetString()!, d.GetProperty("usd").GetDecimal())));
        Assert.Equal(e.ByLineItem.OrderBy(p => p.Key, StringComparer.Ordinal),
            json.GetProperty("by_line_item").EnumerateArray().Select(i => KeyValuePair.Create(i.GetProperty("key").GetString()!, i.GetProperty("usd").GetDecimal())).OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal(e.ByKeyName.OrderBy(p => p.Key, StringComparer.Ordinal),
            json.GetProperty("by_key").EnumerateArray().Select(i => KeyValuePair.Create(i.GetProperty("name").GetString()!, i.GetProperty("usd").GetDecimal())).OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal(e.ByTag.OrderBy(p => p.Key, StringComparer.Ordinal),
            json.GetProperty("by_tag").EnumerateArray().Select(i => KeyValuePair.Create(i.GetProperty("name").GetString()!, i.GetProperty("usd").GetDecimal())).OrderBy(p => p.Key, StringComparer.Ordinal));
    }

    [Fact]
    public async Task Csv_has_one_row_per_figure_day_key_line_item_and_tag_and_start_moves_the_reconciliation()
    {
        var e = await ComputeAsync();

        var rows = CsvReader.Records((await CliRunner.RunAsync("billing", "--demo", "--view", "cost", "--start", "2025-03-10", "--format", "csv")).Ok().Stdout);

        Assert.Equal(["dimension", "key", "name", "usd"], rows[0].Keys);
        decimal Figure(string dimension, string key) => decimal.Parse(Assert.Single(rows, r => r["dimension"] == dimension && r["key"] == key)["usd"], NumberStyles.Float, Inv);
        Assert.Equal(e.MonthToDate, Figure("billing", "month_to_date"));
        Assert.Equal(e.PreviousMonth, Figure("billing", "previous_month"));
        Assert.Equal(e.Projected, Figure("billing", "projected_month_end"));
        Assert.Equal((e.Low, e.High), (Figure("billing", "projected_low"), Figure("billing", "projected_high")));
        Assert.Equal(e.Balance, Figure("billing", "balance_usd"));
        var window = e.Between(new DateOnly(2025, 3, 10), Today);
        Assert.True(window > 10m && window < e.MonthToDate);
        Assert.Equal((window, window, 0m), (Figure("billing", "reconciliation_billed"), Figure("billing", "reconciliation_request_logs"), Figure("billing", "reconciliation_difference")));
        Assert.Equal("billed minus request logs, 2025-03-10 to 2025-03-14", Assert.Single(rows, r => r["key"] == "reconciliation_difference")["name"]);
        Assert.Equal(e.Daily.Select(d => (d.Key.ToString("yyyy-MM-dd", Inv), d.Value)), rows.Where(r => r["dimension"] == "billing_day").Select(r => (r["key"], decimal.Parse(r["usd"], NumberStyles.Float, Inv))));
        foreach (var (item, usd) in e.ByLineItem)
        {
            Assert.Equal(usd, Figure("billing_line_item", item));
        }
        Assert.Equal(e.ByKeyName.OrderBy(p => p.Key, StringComparer.Ordinal), rows.Where(r => r["dimension"] == "billing_key").Select(r => KeyValuePair.Create(r["name"], decimal.Parse(r["usd"], NumberStyles.Float, Inv))).OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal(e.ByTag["prod"], Figure("billing_tag", "prod"));
    }

    [Fact]
    public async Task A_bill_that_differs_from_the_logs_shows_the_difference_and_no_reconcile_reads_no_logs()
    {
        // The invoice says $1.50 more on March 12th than the logs do.
        var api = new FakeUsageApi(new FakeUsageApiOptions { Seed = FakeUsageApi.DemoSeed, Days = 20, TimeProvider = new FakeTimeProvider(CliRunner.Now) });
        var transport = new BillingSurcharge(api, new DateOnly(2025, 3, 12), 1.5m);
        var env = new CliEnvironment { GetVariable = _ => null, DemoClock = new FakeTimeProvider(CliRunner.Now), Clock = new FakeTimeProvider(CliRunner.Now), Width = 220, ConfigureClient = o => { o.Transport = transport; o.BaseAddress = FakeUsageApi.BaseAddress; } };
        var logs = api.GetRequests(P).Where(r => Day(r) >= new DateOnly(2025, 3, 10)).Sum(Usd);

        var json = JsonDocument.Parse((await CliRunner.RunAsync(env, "billing", "--api-key", "owner-key-123456", "--project", P, "--view", "cost", "--start", "2025-03-10", "--format", "json")).Ok().Stdout).RootElement;
        var table = (await CliRunner.RunAsync(env, "billing", "--api-key", "owner-key-123456", "--project", P, "--view", "cost", "--start", "2025-03-10")).Ok();
        api.ClearRecordedRequests();
        var quick = JsonDocument.Parse((await CliRunner.RunAsync(env, "billing", "--api-key", "owner-key-123456", "--project", P, "--view", "cost", "--no-reconcile", "--format", "json")).Ok().Stdout).RootElement;

        var rec = json.GetProperty("reconciliation");
        Assert.Equal((logs + 1.5m, logs, 1.5m), (rec.GetProperty("billed_usd").GetDecimal(), rec.GetProperty("request_log_usd").GetDecimal(), rec.GetProperty("difference_usd").GetDecimal()));
        Assert.Contains($"Billed {Cents(logs + 1.5m)} · request logs {Cents(logs)} · difference $1.50 (2025-03-10 to 2025-03-14)", table.Stdout, StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, quick.GetProperty("reconciliation").ValueKind);
        Assert.DoesNotContain(api.RecordedRequests, r => r.Path.EndsWith("/requests", StringComparison.Ordinal));
        Assert.Contains(api.RecordedRequests, r => r.Path.EndsWith("/billing/breakdown", StringComparison.Ordinal) && r.QueryValues("grouping").SequenceEqual(["accessor", "line_item", "tags"]));
    }

    [Theory]
    [InlineData("--view 'bars' is not known; use rows or cost.", "billing", "--demo", "--view", "bars")]
    [InlineData("--group-by does not apply to --view cost", "billing", "--demo", "--view", "cost", "--group-by", "accessor")]
    [InlineData("--end does not apply to --view cost", "billing", "--demo", "--view", "cost", "--end", "2025-03-10")]
    [InlineData("--tag does not apply to --view cost", "billing", "--demo", "--view", "cost", "--tag", "prod")]
    [InlineData("--no-reconcile goes with --view cost.", "billing", "--demo", "--no-reconcile")]
    public async Task Options_that_do_not_fit_the_cost_view_give_one_line_and_exit_2(string expected, params string[] args)
        => Assert.Contains(expected, (await CliRunner.RunAsync(args)).Fails(2), StringComparison.Ordinal);

    [Fact]
    public async Task A_key_that_may_not_read_billing_gets_one_line_saying_so()
    {
        var api = new FakeUsageApi(new FakeUsageApiOptions { Seed = FakeUsageApi.DemoSeed, Days = 2, TimeProvider = new FakeTimeProvider(CliRunner.Now) });
        api.Faults.AppliesTo = r => r.Path.Contains("/billing/", StringComparison.Ordinal);
        api.Faults.FailNext(1, 403);
        var env = new CliEnvironment { GetVariable = _ => null, DemoClock = new FakeTimeProvider(CliRunner.Now), Clock = new FakeTimeProvider(CliRunner.Now), ConfigureClient = o => { o.Transport = api; o.BaseAddress = FakeUsageApi.BaseAddress; o.Retry.MaxRetries = 0; } };

        var message = (await CliRunner.RunAsync(env, "billing", "--api-key", "member-key-123456", "--project", P, "--view", "cost")).Fails(1);

        Assert.Contains("may not read billing (403", message, StringComparison.Ordinal);
        Assert.DoesNotContain("member-key-123456", message, StringComparison.Ordinal);
    }

    /// <summary>Adds <c>usd</c> to one day's first row of every billing breakdown the fake answers.</summary>
    private sealed class BillingSurcharge(HttpMessageHandler inner, DateOnly day, decimal usd) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (!request.RequestUri!.AbsolutePath.EndsWith("/billing/breakdown", StringComparison.Ordinal) || !response.IsSuccessStatusCode)
            {
                return response;
            }
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!;
            var row = body["results"]!.AsArray().First(r => r!["grouping"]!["start"]!.GetValue<string>() == day.ToString("yyyy-MM-dd", Inv))!;
            row["dollars"] = (decimal.Parse(row["dollars"]!.ToString(), NumberStyles.Float, Inv) + usd).ToString(Inv);
            response.Content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
            return response;
        }
    }
}
