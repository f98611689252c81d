using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using UsageSdk.Archive;
using UsageSdk.Archive.Tests.Infrastructure;
using UsageSdk.Testing;

namespace UsageSdk.Cli.Tests.Commands;

public sealed class CliArchiveTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 2, 3, 4, 5, 6, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await UsageSdk.Cli.Cli.RunAsync(args, stdout, stderr, new CliEnvironment { DemoClock = new FakeTimeProvider(Now) });
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static List<UsageRequest> Demo()
    {
        var api = new FakeUsageApi(new FakeUsageApiOptions { Seed = FakeUsageApi.DemoSeed, TimeProvider = new FakeTimeProvider(Now) });
        return api.GetRequests(FakeUsageApi.DemoProjectId).Where(r => r.Created <= Now && r.Created >= Now.AddDays(-90)).ToList();
    }

    [Fact]
    public async Task Export_writes_every_request_log_to_CSV_and_says_so()
    {
        var file = _dir.File("requests.csv");

        var (code, stdout, stderr) = await RunAsync("export", "--demo", "--format", "csv", "--output", file);

        Assert.True(code == 0, stderr);
        var lines = File.ReadAllLines(file);
        var demo = Demo();
        Assert.Equal(string.Join(',', UsageExport.RequestColumns), lines[0]);
        Assert.Equal(demo.Count, lines.Length - 1);
        Assert.StartsWith(demo[0].RequestId + ",", lines[1], StringComparison.Ordinal);
        Assert.Equal($"Exported {demo.Count:#,0} request logs ({demo.Count / 1000 + 1} pages) to {file}", stdout[..stdout.LastIndexOf(" in ", StringComparison.Ordinal)]);
    }

    [Fact]
    public async Task A_corrupt_archive_is_one_line_naming_the_condition_and_the_file_with_exit_1()
    {
        var db = _dir.File("corrupt.db");
        File.WriteAllText(db, string.Concat(Enumerable.Repeat("not a database ", 400)));

        foreach (var command in new[] { "sync", "status", "query" })
        {
            var (code, stdout, stderr) = await RunAsync("archive", command, "--demo", "--db", db);

            Assert.Equal(1, code);
            Assert.Equal("", stdout);
            Assert.Equal($"usage: The archive {db} is damaged or not a SQLite database (corrupt): SQLite Error 26: 'file is not a database'.\n", stderr);
        }
    }

    [Fact]
    public async Task A_read_only_archive_is_one_line_naming_the_condition_and_the_file_with_exit_1()
    {
        var db = _dir.File("ro.db");
        await new SqliteArchiveStore(db).InitializeAsync();

        var (code, stdout, stderr) = await RunAsync("archive", "sync", "--demo", "--no-usage", "--db", $"Data Source={db};Mode=ReadOnly");

        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        Assert.Equal($"usage: The archive {db} is read-only (file, folder or file system): SQLite Error 8: 'attempt to write a readonly database'.\n", stderr);
    }

    [Fact]
    public async Task Archive_sync_then_query_returns_the_API_logs_and_status_reports_them()
    {
        var db = _dir.File("usage.db");
        var demo = Demo();

        var sync = await RunAsync("archive", "sync", "--demo", "--db", db, "--no-usage", "--format", "json");
        var query = await RunAsync("archive", "query", "--demo", "--db", db, "--status", "failed", "--format", "jsonl");
        var status = await RunAsync("archive", "status", "--demo", "--db", db, "--format", "json");
        var jsonExport = await RunAsync("export", "--demo", "--format", "json");

        Assert.True(sync.Code == 0, sync.Err);
        using (var doc = JsonDocument.Parse(sync.Out))
        {
            Assert.Equal(demo.Count, doc.RootElement.GetProperty("added").GetInt64());
            Assert.Equal(demo.Count, doc.RootElement.GetProperty("archived").GetProperty("requests").GetInt64());
        }
        Assert.True(query.Code == 0, query.Err);
        var failed = demo.Where(r => r.EffectiveCode >= 400).Select(r => r.RequestId).ToList();
        Assert.NotEmpty(failed);
        Assert.Equal(failed, query.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => UsageJson.DeserializeRequest(l).RequestId));
        using (var doc = JsonDocument.Parse(status.Out))
        {
            Assert.Equal(demo.Count, doc.RootElement.GetProperty("archived").GetProperty("requests").GetInt64());
            Assert.Equal(0, doc.RootElement.GetProperty("archived").GetProperty("gaps").GetArrayLength());
        }
        Assert.Equal(2, jsonExport.Code);
        Assert.Equal("usage: export writes csv or jsonl (--format csv|jsonl); for one JSON document use 'usage requests list --format json' (see 'usage export --help').", jsonExport.Err.Trim());
    }

    [Fact]
    public async Task Archive_report_names_keys_from_a_names_file()
    {
        var db = _dir.File("named.db");
        var sync = await RunAsync("archive", "sync", "--demo", "--db", db, "--no-usage");
        Assert.True(sync.Code == 0, sync.Err);
        var keys = new FakeUsageApi(new FakeUsageApiOptions { Seed = FakeUsageApi.DemoSeed, Days = 0, TimeProvider = new FakeTimeProvider(Now) })
            .Projects.Single(p => p.ProjectId == FakeUsageApi.DemoProjectId).ApiKeys;
        var names = _dir.File("names.json");
        File.WriteAllText(names, $$"""{ "keys": { "{{keys[0].ApiKeyId}}": "Storefront" } }""");

        var (code, stdout, stderr) = await RunAsync("archive", "report", "--demo", "--db", db, "--names", names, "--format", "json");

        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var rows = doc.RootElement.GetProperty("groups").GetProperty("api_key").EnumerateArray().ToDictionary(g => g.GetProperty("key").GetString()!, g => g.GetProperty("name").GetString());
        Assert.Equal("Storefront", rows[keys[0].ApiKeyId]);        // named by the file
        Assert.Equal(keys[1].ApiKeyId, rows[keys[1].ApiKeyId]);     // offline, the others keep their ids
    }
}
