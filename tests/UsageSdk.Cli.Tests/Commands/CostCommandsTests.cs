using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using UsageSdk.Cli.Tests.Infrastructure;
using UsageSdk.Testing;

namespace UsageSdk.Cli.Tests.Commands;

/// <summary>
/// <c>usage projects|keys|billing|balances</c>, repeated <c>--accessor</c> for request logs and <c>--all-projects</c> on
/// report, export and archive sync (issue 22.1, 22.5), on the demo API, checked against the SDK's own calls.
/// </summary>
public sealed class CostCommandsTests
{
    private const string P = FakeUsageApi.DemoProjectId;
    private static readonly UsageClient Sdk = CliRunner.Demo.CreateClient();
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    // ------------------------------------------------------------------ projects, keys

    [Fact]
    public async Task Projects_lists_ids_and_names_in_every_format()
    {
        var table = (await CliRunner.RunAsync("projects", "--demo")).Ok();
        var csv = (await CliRunner.RunAsync("projects", "--demo", "--format", "csv")).Ok();
        var json = (await CliRunner.RunAsync("projects", "--demo", "--format", "json")).Ok();

        var expected = CliRunner.Demo.Projects.Select(p => (p.ProjectId, p.Name)).ToList();
        Assert.Equal(expected.Select(p => p.ProjectId), table.TableRows("").Select(r => r[0]).Where(c => Guid.TryParse(c, out _)));
        Assert.Contains("Acme Voice (production)", table.Stdout, StringComparison.Ordinal);
        Assert.Equal(expected, CsvReader.Records(csv.Stdout).Select(r => (r["project_id"], r["name"])));
        Assert.Equal(expected, JsonDocument.Parse(json.Stdout).RootElement.EnumerateArray().Select(e => (e.GetProperty("project_id").GetString()!, e.GetProperty("name").GetString()!)));
    }

    [Fact]
    public async Task Projects_needs_no_project()
    {
        var api = new FakeUsageApi(new FakeUsageApiOptions { Seed = 3, Days = 1, TimeProvider = new FakeTimeProvider(CliRunner.Now) });
        var env = new CliEnvironment { GetVariable = _ => null, DemoClock = new FakeTimeProvider(CliRunner.Now), ConfigureClient = o => { o.Transport = api; o.BaseAddress = FakeUsageApi.BaseAddress; } };

        var result = (await CliRunner.RunAsync(env, "projects", "--api-key", "k", "--format", "csv")).Ok();

        Assert.Equal(api.Projects.Select(p => p.ProjectId), CsvReader.Records(result.Stdout).Select(r => r["project_id"]));
    }

    [Fact]
    public async Task Keys_show_names_ids_and_scopes_never_a_secret()
    {
        var keys = await Sdk.GetKeysAsync(P);

        var table = (await CliRunner.RunAsync("keys", "--demo")).Ok();
        var csv = CsvReader.Records((await CliRunner.RunAsync("keys", "--demo", "--format", "csv")).Ok().Stdout);
        var json = JsonDocument.Parse((await CliRunner.RunAsync("keys", "--demo", "--format", "json")).Ok().Stdout).RootElement;

        Assert.Equal(["web-backend", "batch-transcriber", "voice-agent", "mobile-app"], table.TableRows("").Select(r => r[0]).Where(c => keys.Any(k => k.Comment == c)));
        Assert.Equal(keys.Select(k => (k.ApiKeyId!, k.Comment!, string.Join(";", k.Scopes))), csv.Select(r => (r["api_key_id"], r["comment"], r["scopes"])));
        Assert.Equal(keys.Select(k => k.ApiKeyId), json.EnumerateArray().Select(e => e.GetProperty("api_key").GetProperty("api_key_id").GetString()));
        Assert.DoesNotContain("\"key\"", json.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_of_all_projects_have_a_project_column()
    {
        var csv = CsvReader.Records((await CliRunner.RunAsync("keys", "--demo", "--all-projects", "--format", "csv")).Ok().Stdout);
        var json = JsonDocument.Parse((await CliRunner.RunAsync("keys", "--demo", "--all-projects", "--format", "json")).Ok().Stdout).RootElement;

        var expected = CliRunner.Demo.Projects.SelectMany(p => p.ApiKeys.Select(k => (p.ProjectId, k.ApiKeyId, k.Name))).ToList();
        Assert.Equal(9, expected.Count);
        Assert.Equal(expected, csv.Select(r => (r["project_id"], r["api_key_id"], r["comment"])));
        Assert.Equal(expected.Select(e => e.ProjectId), json.EnumerateArray().Select(e => e.GetProperty("project_id").GetString()));
    }

    // ------------------------------------------------------------------ billing

    [Fact]
    public async Task Billing_table_shows_cents_and_csv_and_json_the_exact_dollars()
    {
        string[] args = ["billing", "--demo", "--start", "2025-03-01", "--end", "2025-03-14"];
        var sdk = await Sdk.GetBillingBreakdownAsync(P, new BillingQuery().Between(new DateOnly(2025, 3, 1), new DateOnly(2025, 3, 14)));

        var table = (await CliRunner.RunAsync(args)).Ok();
        var csv = CsvReader.Records((await CliRunner.RunAsync([.. args, "--format", "csv"])).Ok().Stdout);
        var json = (await CliRunner.RunAsync([.. args, "--format", "json"])).Ok();

        var rows = table.TableRows("2025-03");
        Assert.Equal(14, rows.Count);
        Assert.Equal(sdk.Results.Select(r => "$" + decimal.Round(r.Dollars, 2, MidpointRounding.AwayFromZero).ToString("#,0.00", Inv)), rows.Select(r => r[^1]));
        Assert.Equal("$" + decimal.Round(sdk.TotalDollars, 2, MidpointRounding.AwayFromZero).ToString("#,0.00", Inv), Assert.Single(table.TableRows("Total"))[^1]);
        Assert.Equal(sdk.Results.Select(r => r.Dollars), csv.Select(r => decimal.Parse(r["dollars"], NumberStyles.Float, Inv)));
        Assert.Contains(csv, r => r["dollars"].Split('.') is [_, { Length: > 2 }]); // more than cents: exact
        Assert.Equal(JsonSerializer.Serialize(sdk, UsageJson.BillingBreakdown), JsonSerializer.Serialize(JsonSerializer.Deserialize(json.Stdout, UsageJson.BillingBreakdown)!, UsageJson.BillingBreakdown));
    }

    [Fact]
    public async Task Billing_groups_by_repeated_group_by_and_filters_like_the_SDK()
    {
        var key = CliRunner.Demo.Projects[0].ApiKeys[0];
        var q = new BillingQuery().Between(new DateOnly(2025, 3, 10), new DateOnly(2025, 3, 14)).WithTag("prod").WithAccessor(key.Accessor)
            .GroupBy(BillingGrouping.Accessor, BillingGrouping.LineItem);
        var sdk = await Sdk.GetBillingBreakdownAsync(P, q);

        var csv = CsvReader.Records((await CliRunner.RunAsync("billing", "--demo", "--start", "2025-03-10", "--end", "2025-03-14", "--tag", "prod",
            "--accessor", key.Accessor, "--group-by", "accessor", "--group-by", "line-item", "--format", "csv")).Ok().Stdout);
        var table = (await CliRunner.RunAsync("billing", "--demo", "--start", "2025-03-10", "--end", "2025-03-14", "--group-by", "line_item")).Ok();

        Assert.True(sdk.Results.Count > 3);
        Assert.Equal(sdk.Results.Select(r => (r.Grouping!.Start!.Value.ToString("yyyy-MM-dd", Inv), r.Grouping.Accessor, r.Grouping.LineItem, r.Dollars)),
            csv.Select(r => (r["start"], (string?)r["accessor"], (string?)r["line_item"], decimal.Parse(r["dollars"], NumberStyles.Float, Inv))));
        Assert.Contains("Nova-3 (Stream)", table.Stdout, StringComparison.Ordinal); // the line item's description from /billing/fields
        Assert.Contains("grouped by line_item", table.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--group-by 'models' is not a billing grouping", "billing", "--demo", "--group-by", "models")]
    [InlineData("--deployment 'moon' is not known", "billing", "--demo", "--deployment", "moon")]
    [InlineData("--end 2025-03-01 is before --start 2025-03-10", "billing", "--demo", "--start", "2025-03-10", "--end", "2025-03-01")]
    [InlineData("--all-projects exports request logs", "export", "summary", "--demo", "--all-projects")]
    public async Task Bad_billing_and_all_projects_flags_give_one_line_and_exit_2(string expected, params string[] args)
        => Assert.Contains(expected, (await CliRunner.RunAsync(args)).Fails(2), StringComparison.Ordinal);

    [Fact]
    public async Task A_key_that_may_not_read_billing_gets_one_line_saying_so()
    {
        var api = new FakeUsageApi(new FakeUsageApiOptions { Seed = FakeUsageApi.DemoSeed, Days = 1, TimeProvider = new FakeTimeProvider(CliRunner.Now) });
        api.Faults.FailNext(2, 403);
        var env = new CliEnvironment { GetVariable = _ => null, DemoClock = new FakeTimeProvider(CliRunner.Now), ConfigureClient = o => { o.Transport = api; o.BaseAddress = FakeUsageApi.BaseAddress; o.Retry.MaxRetries = 0; } };

        var billing = (await CliRunner.RunAsync(env, "billing", "--api-key", "member-key-123456", "--project", P)).Fails(1);
        var balances = (await CliRunner.RunAsync(env, "balances", "--api-key", "member-key-123456", "--project", P)).Fails(1);

        Assert.Contains("may not read billing (403", billing, StringComparison.Ordinal);
        Assert.Contains("billing:read", balances, StringComparison.Ordinal);
        Assert.DoesNotContain("member-key-123456", billing + balances, StringComparison.Ordinal);
    }

    // ------------------------------------------------------------------ balances

    [Fact]
    public async Task Balances_show_the_credit_left_and_one_balance_by_id()
    {
        var b = Assert.Single(await Sdk.GetBalancesAsync(P));

        var table = (await CliRunner.RunAsync("balances", "--demo")).Ok();
        var csv = Assert.Single(CsvReader.Records((await CliRunner.RunAsync("balances", "--demo", "--format", "csv")).Ok().Stdout));
        var one = JsonDocument.Parse((await CliRunner.RunAsync("balances", b.BalanceId!, "--demo", "--format", "json")).Ok().Stdout).RootElement;

        Assert.Equal("$" + decimal.Round(b.Amount, 2, MidpointRounding.AwayFromZero).ToString("#,0.00", Inv), Assert.Single(table.TableRows(b.BalanceId!))[1]);
        Assert.Equal((b.BalanceId, b.Amount, "usd"), (csv["balance_id"], decimal.Parse(csv["amount"], Inv), csv["units"]));
        Assert.Equal(b.Amount, Assert.Single(one.EnumerateArray().ToList()).GetProperty("amount").GetDecimal());
    }

    // ------------------------------------------------------------------ --accessor repeated for request logs

    [Fact]
    public async Task Requests_list_with_repeated_accessors_merges_their_logs_newest_first()
    {
        var keys = CliRunner.Demo.Projects[0].ApiKeys;
        var (a, b) = (keys[1].Accessor, keys[3].Accessor);
        var expected = CliRunner.DemoRequests.Where(r => (r.Accessor == a || r.Accessor == b) && r.Created >= CliRunner.Now.AddDays(-2)).Select(r => r.RequestId).ToList();

        var result = (await CliRunner.RunAsync("requests", "list", "--demo", "--accessor", a, "--accessor", b, "--start", CliRunner.Now.AddDays(-2).ToString("O", Inv), "--format", "jsonl")).Ok();

        var ids = result.StdoutLines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("request_id").GetString()).ToList();
        Assert.True(expected.Count > 20);
        Assert.Equal(expected, ids);
    }

    // ------------------------------------------------------------------ --all-projects

    private static string Compact(JsonElement e)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            e.WriteTo(w);
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    [Fact]
    public async Task Report_for_all_projects_has_a_section_per_project()
    {
        var table = (await CliRunner.RunAsync("report", "--demo", "--all-projects")).Ok();
        var json = JsonDocument.Parse((await CliRunner.RunAsync("report", "--demo", "--all-projects", "--format", "json")).Ok().Stdout).RootElement;
        var csv = CsvReader.Records((await CliRunner.RunAsync("report", "--demo", "--all-projects", "--format", "csv")).Ok().Stdout);

        foreach (var p in CliRunner.Demo.Projects)
        {
            Assert.Contains($"Usage report · project {p.Name} ({p.ProjectId})", table.Stdout, StringComparison.Ordinal);
        }
        var sections = json.GetProperty("projects").EnumerateArray().ToList();
        Assert.Equal(CliRunner.Demo.Projects.Select(p => p.ProjectId), sections.Select(s => s.GetProperty("project_id").GetString()));
        var single = JsonDocument.Parse((await CliRunner.RunAsync("report", "--demo", "--format", "json")).Ok().Stdout).RootElement;
        Assert.Equal(Compact(single), Compact(sections[0].GetProperty("report")));
        Assert.Equal(CliRunner.Demo.Projects.Select(p => p.ProjectId), csv.Where(r => r["dimension"] == "total").Select(r => r["project_id"]));
    }

    [Fact]
    public async Task Export_of_all_projects_has_every_projects_logs_with_a_project_column()
    {
        var start = CliRunner.Now.AddDays(-3);
        var expected = CliRunner.Demo.Projects.SelectMany(p => CliRunner.Demo.GetRequests(p.ProjectId).Where(r => r.Created >= start && r.Created <= CliRunner.Now).Select(r => (p.ProjectId, r.RequestId!))).ToList();

        var csv = CsvReader.Records((await CliRunner.RunAsync("export", "--demo", "--all-projects", "--start", start.ToString("O", Inv), "--format", "csv")).Ok().Stdout);
        var jsonl = (await CliRunner.RunAsync("export", "--demo", "--all-projects", "--start", start.ToString("O", Inv), "--format", "jsonl")).Ok();

        Assert.Equal(3, expected.Select(e => e.ProjectId).Distinct().Count());
        Assert.Equal(expected, csv.Select(r => (r["project_id"], r["request_id"])));
        Assert.Equal(expected, jsonl.StdoutLines.Select(l => JsonDocument.Parse(l).RootElement).Select(e => (e.GetProperty("project_uuid").GetString()!, e.GetProperty("request_id").GetString()!)));
    }

    [Fact]
    public async Task Archive_sync_of_all_projects_syncs_each_project()
    {
        var db = Path.Combine(Path.GetTempPath(), $"usagesdk-cost-{Guid.NewGuid():N}.db");
        try
        {
            var json = JsonDocument.Parse((await CliRunner.RunAsync("archive", "sync", "--demo", "--all-projects", "--db", db, "--lookback-days", "2", "--no-usage", "--format", "json")).Ok().Stdout).RootElement;

            var synced = json.GetProperty("projects").EnumerateArray().ToList();
            Assert.Equal(CliRunner.Demo.Projects.Select(p => p.ProjectId), synced.Select(s => s.GetProperty("project_id").GetString()));
            Assert.All(synced, s => Assert.True(s.GetProperty("items").GetInt64() > 0));
        }
        finally
        {
            foreach (var f in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(db) + "*"))
            {
                File.Delete(f);
            }
        }
    }
}
