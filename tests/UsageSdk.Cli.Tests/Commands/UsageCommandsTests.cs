using System.Globalization;
using System.Text.Json;
using UsageSdk.Cli.Tests.Infrastructure;
using UsageSdk.Testing;

namespace UsageSdk.Cli.Tests.Commands;

/// <summary><c>usage summary|breakdown|fields</c> on the demo API, checked against the same calls made with the SDK.</summary>
public sealed class CliUsageTests
{
    private static readonly UsageClient Sdk = CliRunner.Demo.CreateClient();
    private const string P = FakeUsageApi.DemoProjectId;
    private static readonly UsageQuery Range = new UsageQuery().Between(new DateOnly(2025, 3, 1), new DateOnly(2025, 3, 14));

    [Fact]
    public async Task Summary_json_is_the_wire_object()
    {
        var result = (await CliRunner.RunAsync("summary", "--demo", "--start", "2025-03-01", "--end", "2025-03-14", "--format", "json")).Ok();

        var fromCli = JsonSerializer.Deserialize(result.Stdout, UsageJson.UsageSummary)!;
        var fromSdk = await Sdk.GetSummaryAsync(P, Range);
        Assert.Equal(14, fromCli.Results.Count);
        Assert.Equal(JsonSerializer.Serialize(fromSdk, UsageJson.UsageSummary), JsonSerializer.Serialize(fromCli, UsageJson.UsageSummary));
        Assert.Contains("\"total_hours\"", result.Stdout);
    }

    [Fact]
    public async Task Summary_table_csv_and_jsonl_agree()
    {
        var sdk = await Sdk.GetSummaryAsync(P, Range.WithTags("customer:acme"));
        var total = sdk.Results.Sum(r => r.Requests ?? 0);
        string[] args = ["summary", "--demo", "--start", "2025-03-01", "--end", "2025-03-14", "--tag", "customer:acme"];

        var table = (await CliRunner.RunAsync(args)).Ok();
        Assert.Equal(14, table.TableRows("2025-03").Count);
        var totals = Assert.Single(table.TableRows("Total"));
        Assert.Equal(total.ToString("#,0", CultureInfo.InvariantCulture), totals[1]);

        var csv = (await CliRunner.RunAsync([.. args, "--format", "csv"])).Ok();
        var records = CsvReader.Records(csv.Stdout);
        Assert.Equal(["start", "end", "requests", "hours", "total_hours", "tokens_in", "tokens_out", "tts_characters", "tts_requests"], CsvReader.Read(csv.Stdout)[0]);
        Assert.Equal(total, records.Sum(r => long.Parse(r["requests"], CultureInfo.InvariantCulture)));
        Assert.Equal(sdk.Results.Sum(r => r.Hours), records.Sum(r => double.Parse(r["hours"], CultureInfo.InvariantCulture)), 6);

        var jsonl = (await CliRunner.RunAsync([.. args, "--format", "jsonl"])).Ok();
        Assert.Equal(14, jsonl.StdoutLines.Length);
        Assert.Equal(total, jsonl.StdoutLines.Sum(l => JsonDocument.Parse(l).RootElement.GetProperty("requests").GetInt64()));
    }

    [Fact]
    public async Task Breakdown_by_models_in_csv_adds_up_and_the_table_names_the_models()
    {
        var sdk = await Sdk.GetBreakdownAsync(P, Range.GroupBy(UsageGrouping.Models));
        string[] args = ["breakdown", "--demo", "--start", "2025-03-01", "--end", "2025-03-14", "--group-by", "model"];

        var csv = (await CliRunner.RunAsync([.. args, "--format", "csv"])).Ok();
        var records = CsvReader.Records(csv.Stdout);
        Assert.Equal(sdk.Results.Count, records.Count);
        Assert.Equal(sdk.Results.Sum(r => r.Requests ?? 0), records.Sum(r => long.Parse(r["requests"], CultureInfo.InvariantCulture)));
        Assert.Equal(sdk.Results.Select(r => string.Join(";", r.Grouping!.Models)), records.Select(r => r["models"]));
        Assert.All(records, r => Assert.Equal("", r["accessor"]));

        var table = (await CliRunner.RunAsync(args)).Ok();
        Assert.Equal(sdk.Results.Count, table.TableRows("2025-03").Count);
        Assert.Contains(table.TableRows("2025-03"), row => row[1] == "nova-3");
        Assert.Contains("grouped by models", table.Stdout);
    }

    [Fact]
    public async Task Breakdown_json_jsonl_and_limit()
    {
        var sdk = await Sdk.GetBreakdownAsync(P, Range.GroupBy(UsageGrouping.Accessor).WithEndpoints(Endpoint.Listen));
        string[] args = ["breakdown", "--demo", "--start", "2025-03-01", "--end", "2025-03-14", "--group-by", "accessor", "--endpoint", "listen"];

        var json = (await CliRunner.RunAsync([.. args, "--format", "json"])).Ok();
        var fromCli = JsonSerializer.Deserialize(json.Stdout, UsageJson.UsageBreakdown)!;
        Assert.Equal(JsonSerializer.Serialize(sdk, UsageJson.UsageBreakdown), JsonSerializer.Serialize(fromCli, UsageJson.UsageBreakdown));

        var jsonl = (await CliRunner.RunAsync([.. args, "--format", "jsonl", "--limit", "5"])).Ok();
        Assert.Equal(5, jsonl.StdoutLines.Length);
        Assert.All(jsonl.StdoutLines, l => Assert.NotEqual(JsonValueKind.Null, JsonDocument.Parse(l).RootElement.GetProperty("grouping").GetProperty("accessor").ValueKind));
    }

    [Fact]
    public async Task Fields_in_each_format()
    {
        var sdk = await Sdk.GetFieldsAsync(P);

        var table = (await CliRunner.RunAsync("fields", "--demo")).Ok();
        Assert.All(sdk.Models, m => Assert.Contains(m.ModelId!, table.Stdout));
        Assert.Contains("customer:acme", table.Stdout);

        var json = (await CliRunner.RunAsync("fields", "--demo", "--format", "json")).Ok();
        var fromCli = JsonSerializer.Deserialize(json.Stdout, UsageJson.UsageFields)!;
        Assert.Equal(sdk.Tags, fromCli.Tags);
        Assert.Equal(sdk.Models.Select(m => m.ModelId), fromCli.Models.Select(m => m.ModelId));
        Assert.Contains("\"processing_methods\"", json.Stdout);

        var csv = (await CliRunner.RunAsync("fields", "--demo", "--format", "csv")).Ok();
        var records = CsvReader.Records(csv.Stdout);
        Assert.Equal(sdk.Models.Count, records.Count(r => r["field"] == "model"));
        Assert.Equal(sdk.Tags, records.Where(r => r["field"] == "tag").Select(r => r["value"]));
        Assert.Equal(sdk.Features, records.Where(r => r["field"] == "feature").Select(r => r["value"]));
    }
}
