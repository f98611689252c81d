using System.Text.Json;
using UsageSdk.Cli.Commands;
using UsageSdk.Cli.Tests.Infrastructure;
using UsageSdk.Testing;

namespace UsageSdk.Cli.Tests.Commands;

/// <summary><c>usage requests list|get</c> on the demo API, in every format, with the output parsed and checked.</summary>
public sealed class CliRequestsTests
{
    private static List<UsageRequest> Expected(Func<UsageRequest, bool>? where = null)
        => CliRunner.DemoRequests.Where(r => where?.Invoke(r) ?? true).ToList();

    [Fact]
    public async Task Table_shows_the_newest_requests_with_a_footer()
    {
        var result = (await CliRunner.RunAsync("requests", "list", "--demo")).Ok();

        var rows = result.TableRows();
        Assert.Equal(RequestsCommand.DefaultTableLimit, rows.Count);
        Assert.Equal(Expected().Take(rows.Count).Select(r => r.RequestId), rows.Select(r => r[1]));
        Assert.Contains("Request ID", result.Stdout);
        Assert.Contains($"{RequestsCommand.DefaultTableLimit} requests, newest first", result.Stdout);
        Assert.Contains("More request logs exist", result.Stdout);
        Assert.DoesNotContain("\u001b[", result.Stdout); // no colours when stdout is not a terminal
    }

    [Fact]
    public async Task Json_is_an_array_of_wire_objects_that_read_back_as_sdk_models()
    {
        var result = (await CliRunner.RunAsync("requests", "list", "--demo", "--format", "json", "--limit", "40")).Ok();

        using var doc = JsonDocument.Parse(result.Stdout);
        var items = doc.RootElement.EnumerateArray().ToList();
        Assert.Equal(40, items.Count);
        Assert.All(items, e => Assert.True(e.TryGetProperty("request_id", out _) && e.TryGetProperty("project_uuid", out _)));
        var models = items.Select(e => UsageJson.DeserializeRequest(e.GetRawText(), CliRunner.Now)).ToList();
        Assert.Equal(Expected().Take(40).Select(r => r.RequestId), models.Select(r => r.RequestId));
        Assert.Equal(40, models.Select(m => m.RequestId).Distinct().Count());
        Assert.Equal(Expected().Take(40).Select(UsageJson.Serialize), models.Select(UsageJson.Serialize));
        Assert.Equal(FakeUsageApi.DemoProjectId, models[0].ProjectId);
    }

    [Fact]
    public async Task Jsonl_lists_every_failed_request()
    {
        var result = (await CliRunner.RunAsync("requests", "list", "--demo", "--status", "failed", "--format", "jsonl")).Ok();

        var models = result.StdoutLines.Select(l => UsageJson.DeserializeRequest(l, CliRunner.Now)).ToList();
        var expected = Expected(r => r.EffectiveCode >= 400);
        Assert.True(expected.Count > 10);
        Assert.Equal(expected.Select(r => r.RequestId), models.Select(r => r.RequestId));
        Assert.All(models, m => Assert.Equal(RequestLogState.Error, m.State));
    }

    [Fact]
    public async Task Csv_has_a_header_and_one_row_per_request()
    {
        var result = (await CliRunner.RunAsync("requests", "list", "--demo", "--endpoint", "speak", "--format", "csv")).Ok();

        var records = CsvReader.Records(result.Stdout);
        var expected = Expected(r => r.Path!.StartsWith("/v1/speak", StringComparison.Ordinal));
        Assert.Equal(expected.Count, records.Count);
        Assert.Equal(expected.Select(r => r.RequestId), records.Select(r => r["request_id"]));
        Assert.All(records, r => Assert.Equal("speak", r["endpoint"]));
        var first = expected.First(r => r.Response?.TtsDetails is not null);
        var row = records.Single(r => r["request_id"] == first.RequestId);
        Assert.Equal(first.Response!.TtsDetails!.Characters.ToString(System.Globalization.CultureInfo.InvariantCulture), row["tts_characters"]);
        Assert.Equal(first.Response.Details!.Usd!.Value, decimal.Parse(row["usd"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.EndsWith("\r\n", result.Stdout);
    }

    [Fact]
    public async Task Tag_model_and_feature_filters_apply_on_the_client()
    {
        var nova3 = CliRunner.Demo.Models.Single(m => m.Name == "nova-3").ModelId;
        var result = (await CliRunner.RunAsync("requests", "list", "--demo", "--tag", "customer:acme", "--model", nova3, "--feature", "diarize", "--feature", "punctuate=false", "--format", "jsonl")).Ok();

        var expected = Expected(r => r.Response?.Details is { } d && d.Tags.Contains("customer:acme") && d.Models.Contains(nova3) && d.Features.Contains("diarize") && !d.Features.Contains("punctuate"));
        Assert.NotEmpty(expected);
        Assert.Equal(expected.Select(r => r.RequestId), result.StdoutLines.Select(l => UsageJson.DeserializeRequest(l).RequestId));
    }

    [Fact]
    public async Task Dates_select_a_day_or_a_window_with_an_offset()
    {
        var day = (await CliRunner.RunAsync("requests", "list", "--demo", "--start", "2025-03-10", "--end", "2025-03-10", "--format", "jsonl")).Ok();
        Assert.Equal(Expected(r => r.Created.UtcDateTime.Date == new DateTime(2025, 3, 10)).Count, day.StdoutLines.Length);

        var window = (await CliRunner.RunAsync("requests", "list", "--demo", "--start", "2025-03-10T11:00:00+02:00", "--end", "2025-03-10T13:30:00+02:00", "--format", "jsonl")).Ok();
        var from = new DateTimeOffset(2025, 3, 10, 9, 0, 0, TimeSpan.Zero);
        var to = new DateTimeOffset(2025, 3, 10, 11, 30, 0, TimeSpan.Zero);
        var expected = Expected(r => r.Created >= from && r.Created <= to);
        Assert.NotEmpty(expected);
        Assert.Equal(expected.Select(r => r.RequestId), window.StdoutLines.Select(l => UsageJson.DeserializeRequest(l).RequestId));
    }

    [Fact]
    public async Task Limit_stops_early_in_every_format()
    {
        var result = (await CliRunner.RunAsync("requests", "list", "--demo", "--limit", "3", "--format", "jsonl")).Ok();
        Assert.Equal(3, result.StdoutLines.Length);
        var table = (await CliRunner.RunAsync("requests", "list", "--demo", "--limit", "30")).Ok();
        Assert.Equal(30, table.TableRows().Count);
    }

    [Fact]
    public async Task Other_demo_projects_can_be_chosen()
    {
        var staging = CliRunner.Demo.Projects.Single(p => p.Name.Contains("staging", StringComparison.Ordinal));
        var result = (await CliRunner.RunAsync("requests", "list", "--demo", "--project", staging.ProjectId, "--format", "jsonl", "--limit", "5")).Ok();
        Assert.All(result.StdoutLines, l => Assert.Equal(staging.ProjectId, UsageJson.DeserializeRequest(l).ProjectId));
    }

    [Fact]
    public async Task Get_shows_one_request_in_each_format()
    {
        var r = Expected(x => x.Response?.TokenDetails.Count > 0 && x.Response.Details is not null)[0];

        var table = (await CliRunner.RunAsync("requests", "get", r.RequestId!, "--demo")).Ok();
        Assert.Contains(r.RequestId!, table.Stdout);
        Assert.Contains("Tokens (", table.Stdout);
        Assert.Contains(r.Path!, table.Stdout);

        var json = (await CliRunner.RunAsync("requests", "get", r.RequestId!, "--demo", "--format", "json")).Ok();
        Assert.Equal(UsageJson.Serialize(r), UsageJson.Serialize(UsageJson.DeserializeRequest(json.Stdout)));

        var jsonl = (await CliRunner.RunAsync("requests", "get", r.RequestId!, "--demo", "--format", "jsonl")).Ok();
        Assert.Single(jsonl.StdoutLines);

        var csv = (await CliRunner.RunAsync("requests", "get", r.RequestId!, "--demo", "--format", "csv")).Ok();
        var record = Assert.Single(CsvReader.Records(csv.Stdout));
        Assert.Equal(r.RequestId, record["request_id"]);
        Assert.Equal(r.Response!.TokenDetails.Sum(t => t.Input ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture), record["tokens_in"]);
    }

    [Fact]
    public async Task Output_writes_a_file_and_nothing_to_stdout()
    {
        var path = Path.Combine(Path.GetTempPath(), $"usage-cli-{Guid.NewGuid():N}.csv");
        try
        {
            var result = await CliRunner.RunAsync("requests", "list", "--demo", "--limit", "12", "--format", "csv", "--output", path);
            Assert.Equal(0, result.ExitCode);
            Assert.Equal("", result.Stdout);
            Assert.Equal("", result.Stderr);
            var records = CsvReader.Records(await File.ReadAllTextAsync(path));
            Assert.Equal(Expected().Take(12).Select(r => r.RequestId), records.Select(r => r["request_id"]));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Progress_goes_to_stderr_only_when_it_is_a_terminal()
    {
        var env = new CliEnvironment { GetVariable = _ => null, DemoClock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(CliRunner.Now), StderrIsTerminal = true };
        var result = await CliRunner.RunAsync(env, "requests", "list", "--demo", "--format", "jsonl");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Read 1,000 request logs", result.Stderr);
        Assert.EndsWith("\r", result.Stderr); // the line is cleared at the end
        Assert.Equal(CliRunner.DemoRequests.Count, result.StdoutLines.Length);
        Assert.All(result.StdoutLines, l => Assert.StartsWith("{\"request_id\":", l));
    }
}
