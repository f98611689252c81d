using System.Globalization;
using System.Text.Json;
using System.Xml.Linq;
using Microsoft.Extensions.Time.Testing;
using UsageSdk.Reports;
using UsageSdk.Testing;
using CliApp = UsageSdk.Cli.Cli;

namespace UsageSdk.Cli.Tests.Commands;

/// <summary>
/// <c>usage report --demo</c> against figures computed here, independently of <see cref="UsageReport"/>, from the
/// requests the demo API generated.
/// </summary>
public sealed class ReportCliTests
{
    /// <summary>Wednesday 2025-06-18 15:30 UTC: the default window is 2025-06-12 00:00 to now.</summary>
    private static readonly DateTimeOffset Now = new(2025, 6, 18, 15, 30, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset WindowStart = new(2025, 6, 12, 0, 0, 0, TimeSpan.Zero);
    private const string ContractProject = "2b7e151a-628a-4ed2-a6ab-f7158809cf4f";

    private static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter(CultureInfo.InvariantCulture);
        using var stderr = new StringWriter(CultureInfo.InvariantCulture);
        var env = new CliEnvironment { DemoClock = new FakeTimeProvider(Now), GetVariable = _ => null };
        var code = await CliApp.RunAsync(args, stdout, stderr, env);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>The demo project's requests in the default window, straight from the generator.</summary>
    private static (FakeUsageApi Api, List<UsageRequest> Requests) Expected(string project = FakeUsageApi.DemoProjectId)
    {
        var api = new FakeUsageApi(new FakeUsageApiOptions { Seed = FakeUsageApi.DemoSeed, TimeProvider = new FakeTimeProvider(Now) });
        var list = api.GetRequests(project).Where(r => r.Created >= WindowStart && r.Created <= Now).ToList();
        return (api, list);
    }

    [Fact]
    public async Task Json_numbers_match_the_generated_requests()
    {
        var (code, output, err) = await RunAsync("report", "--demo", "--format", "json");
        Assert.True(code == 0, err);
        var (api, requests) = Expected();
        Assert.True(requests.Count > 500, $"the demo week should be busy; got {requests.Count}");

        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        var totals = root.GetProperty("totals");
        Assert.Equal("2025-06-12T00:00:00Z", root.GetProperty("start").GetString());
        Assert.Equal(requests.Count, totals.GetProperty("requests").GetInt64());
        Assert.Equal(requests.Sum(r => r.Response?.TokenDetails.Sum(t => t.Input ?? 0) ?? 0), totals.GetProperty("tokens_in").GetInt64());
        Assert.Equal(requests.Sum(r => r.Response?.TokenDetails.Sum(t => t.Output ?? 0) ?? 0), totals.GetProperty("tokens_out").GetInt64());
        Assert.Equal(requests.Sum(r => r.Response?.Details?.Usd ?? 0m), totals.GetProperty("billed_usd").GetDecimal());
        Assert.Equal(requests.Count(r => r.Response?.Details?.Usd is not null), totals.GetProperty("billed_requests").GetInt64());
        Assert.Equal(requests.Sum(r => r.Response?.TtsDetails?.SpeechSegments.Sum(s => (long)(s.Characters ?? 0)) ?? 0), totals.GetProperty("tts_characters").GetInt64());
        Assert.Equal(Math.Round(requests.Sum(r => r.Response?.Details?.TotalAudio ?? 0) / 3600, 6), totals.GetProperty("audio_hours").GetDouble(), 5);
        var states = totals.GetProperty("states");
        Assert.Equal(requests.Count(r => r.State == RequestLogState.Error), states.GetProperty("error").GetInt64());
        Assert.Equal(requests.Count(r => r.State == RequestLogState.Success), states.GetProperty("success").GetInt64());
        Assert.Equal(requests.Count(r => r.State == RequestLogState.Lost), states.GetProperty("lost").GetInt64());
        Assert.Equal(requests.Count(r => r.State == RequestLogState.Pending), states.GetProperty("pending").GetInt64());

        // Per API key, named after the demo's keys.
        var keys = root.GetProperty("groups").GetProperty("api_key").EnumerateArray().ToList();
        var project = api.Projects.Single(p => p.ProjectId == FakeUsageApi.DemoProjectId);
        foreach (var key in project.ApiKeys)
        {
            var group = keys.Single(g => g.GetProperty("key").GetString() == key.ApiKeyId);
            Assert.Equal(key.Name, group.GetProperty("name").GetString());
            Assert.Equal(requests.Count(r => r.ApiKeyId == key.ApiKeyId), group.GetProperty("requests").GetInt64());
            Assert.Equal(requests.Where(r => r.ApiKeyId == key.ApiKeyId).Sum(r => r.Response?.Details?.Usd ?? 0m), group.GetProperty("billed_usd").GetDecimal());
        }
        // Per model, named: a request counts in each model it used (a voice agent lists three; a failed one counts
        // against the model= of its path), while tokens, characters and audio are attributed and add up to the totals.
        var models = root.GetProperty("groups").GetProperty("model").EnumerateArray().ToList();
        foreach (var m in api.Models)
        {
            var expected = requests.Count(r => r.Response?.Details?.Models.Contains(m.ModelId) == true
                || (r.Response?.Details?.Models.Count is null or 0 && QueryModel(r.Path) == m.Name)
                || r.Response?.TokenDetails.Any(t => t.Model == m.Name) == true);
            var group = models.SingleOrDefault(g => g.GetProperty("key").GetString() == m.ModelId);
            Assert.Equal(expected, group.ValueKind == JsonValueKind.Undefined ? 0 : group.GetProperty("requests").GetInt64());
            if (expected > 0)
            {
                Assert.Equal(m.Name, group.GetProperty("name").GetString());
            }
        }
        Assert.Equal(totals.GetProperty("tokens_in").GetInt64(), models.Sum(g => g.GetProperty("tokens_in").GetInt64()));
        Assert.Equal(totals.GetProperty("tokens_out").GetInt64(), models.Sum(g => g.GetProperty("tokens_out").GetInt64()));
        Assert.Equal(totals.GetProperty("tts_characters").GetInt64(), models.Sum(g => g.GetProperty("tts_characters").GetInt64()));
        Assert.Equal(totals.GetProperty("audio_hours").GetDouble(), models.Sum(g => g.GetProperty("audio_hours").GetDouble()), 4);
        Assert.True(models.Sum(g => g.GetProperty("requests").GetInt64()) > requests.Count); // requests overlap, and the report says so
        var overlap = root.GetProperty("group_overlaps").GetProperty("model");
        // The demo key reads billing: per-model billed cost comes from the line items and adds up (issue 22.2).
        Assert.Equal(["requests"], overlap.GetProperty("metrics").EnumerateArray().Select(x => x.GetString()));
        Assert.Contains("billed cost (from the billing line items)", overlap.GetProperty("note").GetString());
        Assert.Equal(totals.GetProperty("billed_usd").GetDecimal(), models.Sum(g => g.GetProperty("billed_usd").GetDecimal()));
        // Requests per hour and per day.
        var hourly = root.GetProperty("hourly").EnumerateArray().ToList();
        Assert.Equal(6 * 24 + 16, hourly.Count); // 2025-06-12 00:00 .. 2025-06-18 15:00
        var busiest = requests.GroupBy(r => new DateTimeOffset(r.Created.UtcDateTime.Date.AddHours(r.Created.UtcDateTime.Hour), TimeSpan.Zero))
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First();
        Assert.Equal(busiest.Key.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), root.GetProperty("peak_hour").GetProperty("start").GetString());
        Assert.Equal(busiest.Count(), root.GetProperty("peak_hour").GetProperty("requests").GetInt32());
        var daily = root.GetProperty("daily").EnumerateArray().Select(d => d.GetProperty("requests").GetInt64()).ToList();
        Assert.Equal(Enumerable.Range(0, 7).Select(i => (long)requests.Count(r => r.Created.UtcDateTime.Date == WindowStart.UtcDateTime.Date.AddDays(i))), daily);
    }

    /// <summary>The <c>model=</c> of a request path, read here independently of the report's own reader.</summary>
    private static string? QueryModel(string? path)
        => path?.Split('?', 2) is [_, var query] ? query.Split('&').Select(p => p.Split('=', 2)).Where(p => p[0] == "model").Select(p => Uri.UnescapeDataString(p[1])).FirstOrDefault() : null;

    [Fact]
    public async Task Table_shows_charts_tables_and_billed_cost_in_cents()
    {
        var (code, output, err) = await RunAsync("report", "--demo");
        Assert.True(code == 0, err);
        Assert.Equal("", err);
        var (_, requests) = Expected();
        var billed = requests.Sum(r => r.Response?.Details?.Usd ?? 0m);

        Assert.Contains("Usage report · project " + FakeUsageApi.DemoProjectId + " (demo data)", output);
        Assert.Contains("2025-06-12 00:00 – 2025-06-18 16:00 UTC", output);
        Assert.Matches(@"Requests\s+" + requests.Count.ToString("#,0", CultureInfo.InvariantCulture) + " ", output);
        Assert.Matches(@"Billed cost\s+" + System.Text.RegularExpressions.Regex.Escape(UsageMoney.Format(billed)) + " ", output);
        Assert.Matches(@"^\$\d{1,3}(,\d{3})*\.\d\d$", UsageMoney.Format(billed));
        Assert.DoesNotContain("¤", output);
        Assert.Contains("Requests per hour", output);
        Assert.Contains("Thu 06-12", output);
        Assert.Contains("Tokens in vs out per day", output);
        Assert.Contains("Per API key", output);
        Assert.Contains("web-backend", output);
        Assert.Contains("Per model", output);
        Assert.Contains("nova-3", output);
        // Per key: names, a total-tokens column and cents.
        var (api, _) = Expected();
        foreach (var key in api.Projects.Single(p => p.ProjectId == FakeUsageApi.DemoProjectId).ApiKeys)
        {
            var mine = requests.Where(r => r.ApiKeyId == key.ApiKeyId).ToList();
            var tokens = mine.Sum(r => r.Response?.TokenDetails.Sum(t => (t.Input ?? 0) + (t.Output ?? 0)) ?? 0);
            // The per-key table comes first; the cost view's month-to-date table lists the key again.
            var row = output.Split('\n').First(l => l.Contains("│ " + key.Name + " ", StringComparison.Ordinal));
            Assert.Contains(" " + tokens.ToString("#,0", CultureInfo.InvariantCulture) + " │", row);
            Assert.Contains(" " + UsageMoney.Format(mine.Sum(r => r.Response?.Details?.Usd ?? 0m)) + " │", row);
        }
        Assert.Contains("│ Requests * │", output); // per model: a voice agent counts in each of its models
        Assert.DoesNotContain("│ Billed * │", output); // billed per model from the line items: it adds up
        Assert.Contains("* Per model, tokens, audio hours, TTS characters and billed cost (from the billing line items) go to the model that used them", output.Replace("\n", " ", StringComparison.Ordinal));
        Assert.Contains("Log states", output);
        Assert.DoesNotContain("\u001b[", output); // no colours when stdout is not a terminal
    }

    [Fact]
    public async Task Html_page_is_written_and_carries_the_totals()
    {
        var path = Path.Combine(Path.GetTempPath(), $"usage-report-{Guid.NewGuid():N}.html");
        try
        {
            var (code, output, err) = await RunAsync("report", "--demo", "--html", path, "--by", "tag");
            Assert.True(code == 0, err);
            Assert.Contains("HTML report written to " + path, output);
            Assert.Contains("Per tag", output);
            var (_, requests) = Expected();

            var doc = XDocument.Parse(File.ReadAllText(path));
            XNamespace h = "http://www.w3.org/1999/xhtml";
            XNamespace s = "http://www.w3.org/2000/svg";
            Assert.True(doc.Descendants(s + "svg").Count() >= 4);
            var cards = doc.Descendants(h + "div").Where(d => (string?)d.Attribute("class") == "card").ToList();
            Assert.Contains(cards, c => c.Value.StartsWith("Requests" + requests.Count.ToString("#,0", CultureInfo.InvariantCulture), StringComparison.Ordinal));
            Assert.Contains("Project " + FakeUsageApi.DemoProjectId + " (demo data)", doc.Root!.Value);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Csv_by_model_lists_every_model_and_a_total_row()
    {
        var (code, output, err) = await RunAsync("report", "--demo", "--format", "csv", "--by", "model");
        Assert.True(code == 0, err);
        var (api, requests) = Expected();

        var lines = output.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("dimension,key,name,requests,tokens_in,tokens_out", lines[0]);
        var nova3 = api.Models.Single(m => m.Name == "nova-3");
        var row = lines.Single(l => l.StartsWith("model," + nova3.ModelId + ",nova-3,", StringComparison.Ordinal)).Split(',');
        Assert.Equal(requests.Count(r => r.Response?.Details?.Models.Contains(nova3.ModelId) == true || (r.Response?.Details?.Models.Count is null or 0 && QueryModel(r.Path) == "nova-3"))
            .ToString(CultureInfo.InvariantCulture), row[3]);
        Assert.Equal(requests.Where(r => r.Response?.Details?.Models.FirstOrDefault() == nova3.ModelId).Sum(r => r.Response!.Details!.TotalAudio ?? 0) / 3600,
            double.Parse(row[7], CultureInfo.InvariantCulture), 5); // the voice agents' audio goes to their speech model, nova-3
        Assert.StartsWith("total,,total," + requests.Count.ToString(CultureInfo.InvariantCulture) + ",", lines[^1]);
    }

    [Fact]
    public async Task Prices_estimate_a_contract_project_without_touching_billed_cost()
    {
        var path = Path.Combine(Path.GetTempPath(), $"prices-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """
            { "source": "test list prices", "models": {
                "nova-3": { "per_audio_hour": 0.258 }, "nova-2": { "per_audio_hour": 0.258 },
                "*": { "per_audio_hour": 0.30, "per_million_input_tokens": 0.6, "per_million_output_tokens": 2.4, "per_million_characters": 30 } } }
            """);
        try
        {
            var (code, output, err) = await RunAsync("report", "--demo", "--project", ContractProject, "--prices", path, "--format", "json");
            Assert.True(code == 0, err);
            var (_, requests) = Expected(ContractProject);
            using var doc = JsonDocument.Parse(output);
            var totals = doc.RootElement.GetProperty("totals");

            Assert.Equal(0m, totals.GetProperty("billed_usd").GetDecimal()); // the contract project's usd is 0 or absent
            Assert.Equal(requests.Count(r => r.Response?.Details?.Usd is null), totals.GetProperty("requests_without_usd").GetInt64());
            Assert.Equal(requests.Count(r => r.Response?.Details?.Usd is null), totals.GetProperty("estimated_requests").GetInt64()); // "*" prices them all
            Assert.True(totals.GetProperty("estimated_usd").GetDecimal() > 0);
            Assert.Equal("test list prices", doc.RootElement.GetProperty("price_source").GetString());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Example_price_table_estimates_the_contract_demo_project()
    {
        var repoRoot = typeof(ReportCliTests).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>().Single(a => a.Key == "RepoRoot").Value!;
        var path = Path.Combine(repoRoot, "src", "UsageSdk.Cli", "Reports", "prices.example.json");
        Assert.Equal(8, UsagePriceTable.Load(path).Models.Count);

        var (code, output, err) = await RunAsync("report", "--demo", "--project", ContractProject, "--prices", path);
        Assert.True(code == 0, err);
        Assert.Contains("Estimated cost", output);
        Assert.Contains("not billed", output);
        Assert.Matches(@"Billed cost\s+\$0\.00 ", output);
        Assert.Contains("example list prices (USD), not a quote", output);
    }

    [Fact]
    public async Task Budget_breaches_are_listed()
    {
        var (code, output, err) = await RunAsync("report", "--demo", "--budget-usd", "5", "--format", "json");
        Assert.True(code == 0, err);
        var (_, requests) = Expected();

        var expectedDays = requests.GroupBy(r => DateOnly.FromDateTime(r.Created.UtcDateTime))
            .Where(g => g.Sum(r => r.Response?.Details?.Usd ?? 0m) > 5m).Select(g => g.Key.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Order().ToList();
        using var doc = JsonDocument.Parse(output);
        var days = doc.RootElement.GetProperty("budget_breaches").EnumerateArray().Select(b => b.GetProperty("day").GetString()!).ToList();
        Assert.NotEmpty(expectedDays);
        Assert.Equal(expectedDays, days);
    }

    [Theory]
    [InlineData("--by", "colour")]
    [InlineData("--top", "0")]
    [InlineData("--prices", "/nonexistent/prices.json")]
    [InlineData("--format", "jsonl")]
    [InlineData("--budget-usd", "lots")]
    [InlineData("--budget-per-key", null)]
    [InlineData("--html", "/nonexistent-folder/report.html")]
    [InlineData("--names", "/nonexistent/names.json")]
    public async Task Bad_flags_exit_2_with_one_line(string flag, string? value)
    {
        string[] args = value is null ? ["report", "--demo", flag] : ["report", "--demo", flag, value];
        var (code, output, err) = await RunAsync(args);

        Assert.Equal(CliApp.ExitUsage, code);
        Assert.Equal("", output);
        Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("usage: ", err);
    }

    [Fact]
    public async Task Names_file_names_keys_and_models_and_wins_over_the_api()
    {
        var (api, requests) = Expected();
        var key = api.Projects.Single(p => p.ProjectId == FakeUsageApi.DemoProjectId).ApiKeys[0];
        var nova3 = api.Models.Single(m => m.Name == "nova-3");
        var path = Path.Combine(Path.GetTempPath(), $"names-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, $$"""{ "keys": { "{{key.ApiKeyId}}": "Storefront API" }, "models": { "{{nova3.ModelId}}": "Nova 3 (general)" } }""");
        try
        {
            var (code, output, err) = await RunAsync("report", "--demo", "--names", path, "--format", "json");
            Assert.True(code == 0, err);
            using var doc = JsonDocument.Parse(output);
            var groups = doc.RootElement.GetProperty("groups");
            Assert.Equal("Storefront API", groups.GetProperty("api_key").EnumerateArray().Single(g => g.GetProperty("key").GetString() == key.ApiKeyId).GetProperty("name").GetString());
            var novaRow = groups.GetProperty("model").EnumerateArray().Single(g => g.GetProperty("key").GetString() == nova3.ModelId);
            Assert.Equal("Nova 3 (general)", novaRow.GetProperty("name").GetString());
            // Renamed, nova-3 still gets the failed requests that asked for it by its API name (model=nova-3).
            var novaErrors = requests.Count(r => r.State == RequestLogState.Error && QueryModel(r.Path) == "nova-3");
            Assert.True(novaErrors > 0, "the demo week has failed nova-3 requests");
            Assert.Equal(novaErrors, novaRow.GetProperty("states").GetProperty("error").GetInt64());
            Assert.DoesNotContain(groups.GetProperty("model").EnumerateArray(), g => g.GetProperty("key").GetString() == "nova-3");
            // The other keys keep the demo API's names.
            var other = api.Projects.Single(p => p.ProjectId == FakeUsageApi.DemoProjectId).ApiKeys[1];
            Assert.Equal(other.Name, groups.GetProperty("api_key").EnumerateArray().Single(g => g.GetProperty("key").GetString() == other.ApiKeyId).GetProperty("name").GetString());

            (code, output, err) = await RunAsync("report", "--demo", "--names", path);
            Assert.True(code == 0, err);
            Assert.Contains("│ Storefront API ", output);
            Assert.Contains("│ Nova 3 (general) ", output);

            File.WriteAllText(path, """{ "key": { "a": "b" } }""");
            (code, output, err) = await RunAsync("report", "--demo", "--names", path);
            Assert.Equal(CliApp.ExitUsage, code);
            Assert.StartsWith("usage: --names " + path + ":", err);
            Assert.Contains("key", err);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Example_prices_split_the_voice_agents_cost_so_the_per_model_cost_adds_up()
    {
        var repoRoot = typeof(ReportCliTests).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>().Single(a => a.Key == "RepoRoot").Value!;
        var path = Path.Combine(repoRoot, "src", "UsageSdk.Cli", "Reports", "prices.example.json");
        var (code, output, err) = await RunAsync("report", "--demo", "--prices", path, "--format", "json");
        Assert.True(code == 0, err);
        var (_, requests) = Expected();

        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        var models = root.GetProperty("groups").GetProperty("model").EnumerateArray().ToList();
        var billed = requests.Sum(r => r.Response?.Details?.Usd ?? 0m);
        Assert.Equal(billed, root.GetProperty("totals").GetProperty("billed_usd").GetDecimal());
        Assert.Equal(billed, models.Sum(g => g.GetProperty("billed_usd").GetDecimal()));
        Assert.Equal(0m, root.GetProperty("unsplit_model_usd").GetDecimal());
        Assert.Equal(["requests"], root.GetProperty("group_overlaps").GetProperty("model").GetProperty("metrics").EnumerateArray().Select(x => x.GetString()));
    }
}
