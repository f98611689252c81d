using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using UsageSdk.Cli.Tests.Infrastructure;
using UsageSdk.Testing;

namespace UsageSdk.Cli.Tests.Commands;

/// <summary>Issue 22.4 and 22.2: <c>usage report</c>'s cost view, reconciliation and per-model billed cost on the demo.</summary>
public sealed class ReportCostViewCommandTests
{
    [Fact]
    public async Task Demo_report_json_reconciles_to_zero_and_per_model_cost_adds_up_without_overlap()
    {
        var json = JsonDocument.Parse((await CliRunner.RunAsync("report", "--demo", "--format", "json")).Ok().Stdout).RootElement;

        var totalBilled = json.GetProperty("totals").GetProperty("billed_usd").GetDecimal();
        var cost = json.GetProperty("cost_view");
        Assert.True(cost.GetProperty("available").GetBoolean());
        var rec = cost.GetProperty("reconciliation");
        Assert.Equal(("2025-03-08", "2025-03-14"), (rec.GetProperty("start").GetString(), rec.GetProperty("end").GetString()));
        Assert.Equal(totalBilled, rec.GetProperty("request_log_usd").GetDecimal());
        Assert.Equal(totalBilled, rec.GetProperty("billed_usd").GetDecimal());
        Assert.Equal(0m, rec.GetProperty("difference_usd").GetDecimal());
        var projection = cost.GetProperty("projection");
        Assert.True(projection.GetProperty("low").GetDecimal() <= projection.GetProperty("month_end").GetDecimal());
        Assert.True(projection.GetProperty("month_end").GetDecimal() <= projection.GetProperty("high").GetDecimal());
        Assert.Equal(7, projection.GetProperty("trend_days").GetInt32());
        var expectedMtd = CliRunner.DemoRequests.Where(r => r.Created >= new DateTimeOffset(2025, 3, 1, 0, 0, 0, TimeSpan.Zero)).Sum(r => r.Response?.Details?.Usd ?? 0m);
        Assert.Equal(expectedMtd, cost.GetProperty("month_to_date").GetDecimal());

        Assert.True(json.GetProperty("model_costs_are_billed").GetBoolean());
        var models = json.GetProperty("groups").GetProperty("model").EnumerateArray().ToList();
        Assert.InRange(models.Sum(m => m.GetProperty("billed_usd").GetDecimal()) - totalBilled, -0.01m, 0.01m);
        var overlaps = json.GetProperty("group_overlaps");
        if (overlaps.TryGetProperty("model", out var modelOverlap))
        {
            Assert.DoesNotContain("billed_usd", modelOverlap.GetProperty("metrics").EnumerateArray().Select(m => m.GetString()));
        }
    }

    [Fact]
    public async Task Demo_report_table_shows_the_cost_view_projection_and_reconciliation_line()
    {
        var result = (await CliRunner.RunAsync("report", "--demo")).Ok();

        Assert.Contains("Cost view", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Projected month end", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("difference $0.00 (2025-03-08 to 2025-03-14)", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("billed cost (from the billing line items)", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Billed per line item, month to date", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Billed *", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_report_csv_has_billing_rows()
    {
        var rows = CsvReader.Records((await CliRunner.RunAsync("report", "--demo", "--format", "csv")).Ok().Stdout);

        var diff = Assert.Single(rows, r => r["dimension"] == "billing" && r["key"] == "reconciliation_difference");
        Assert.Equal(0m, decimal.Parse(diff["billed_usd"], CultureInfo.InvariantCulture));
        Assert.Contains(rows, r => r["dimension"] == "billing" && r["key"] == "projected_month_end");
        Assert.Contains(rows, r => r["dimension"] == "billing_line_item" && r["key"] == "streaming::nova-3");
    }

    [Fact]
    public async Task A_key_that_may_not_read_billing_gets_one_line_and_the_report_still_works()
    {
        var api = new FakeUsageApi(new FakeUsageApiOptions { Seed = FakeUsageApi.DemoSeed, Days = 3, TimeProvider = new FakeTimeProvider(CliRunner.Now) });
        api.Faults.AppliesTo = r => r.Path.Contains("/billing/", StringComparison.Ordinal);
        api.Faults.FailNext(1, 403);
        var env = new CliEnvironment { GetVariable = _ => null, DemoClock = new FakeTimeProvider(CliRunner.Now), Clock = new FakeTimeProvider(CliRunner.Now), Width = 220, ConfigureClient = o => { o.Transport = api; o.BaseAddress = FakeUsageApi.BaseAddress; o.Retry.MaxRetries = 0; } };

        var table = (await CliRunner.RunAsync(env, "report", "--api-key", "member-key-123456", "--project", FakeUsageApi.DemoProjectId)).Ok();

        Assert.Single(table.StdoutLines, l => l.Contains("billing isn't readable with this API key (403)", StringComparison.Ordinal));
        Assert.Contains("Per model", table.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Reconciliation", table.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("member-key-123456", table.Stdout, StringComparison.Ordinal);
    }
}
