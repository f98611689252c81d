// Native AOT smoke test: pages through request logs over real HTTP on loopback (an in-process HttpListener on
// 127.0.0.1 serving three pages), reads the other four calls, then runs the same client kinds against FakeUsageApi and
// through AddUsageClient, syncs a SQLite archive and exports it to CSV, and builds a report. Exit code 0 and
// "AOT smoke OK" when every check holds; otherwise 1 and the failed check.
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using UsageSdk;
using UsageSdk.Archive;
using UsageSdk.Reports;
using UsageSdk.Testing;

try
{
    await LoopbackAsync();
    await FakeApiAsync();
    await DependencyInjectionAsync();
    await ArchiveExportAndReportAsync();
    Console.WriteLine("AOT smoke OK");
    return 0;
}
catch (Exception e)
{
    Console.Error.WriteLine("AOT smoke FAILED: " + e);
    return 1;
}

static async Task LoopbackAsync()
{
    const string project = "3b2f7f8e-6c1d-4f5a-9e2b-7d8c9a0b1c2d";
    var port = FreePort();
    using var listener = new HttpListener();
    listener.Prefixes.Add($"http://127.0.0.1:{port}/");
    listener.Start();
    var seen = new List<string>();
    var server = ServeAsync(listener, seen);

    var client = new UsageClient(new UsageClientOptions { ApiKey = "aot-smoke-key", BaseAddress = new Uri($"http://127.0.0.1:{port}") });
    var query = new RequestsQuery()
        .Between(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.FromHours(2)), new DateTimeOffset(2025, 2, 1, 0, 0, 0, TimeSpan.Zero))
        .WithPageSize(3).WithStatus(RequestStatus.Succeeded);

    var ids = new List<string>();
    decimal usd = 0;
    await foreach (var r in client.GetRequestsAsync(project, query))
    {
        ids.Add(r.RequestId!);
        usd += r.Response?.Details?.Usd ?? 0;
    }
    Check(ids.SequenceEqual(["r7", "r6", "r5", "r4", "r3", "r2", "r1"]), $"paged ids: {string.Join(",", ids)}");
    Check(usd == 0.07m, $"usd sum {usd}");
    Check(seen.Count(s => s.Contains("/requests?", StringComparison.Ordinal)) == 3, "three page calls");
    Check(seen.All(s => s.Contains("Token aot-smoke-key", StringComparison.Ordinal)), "auth header on every call");

    // Resume from the continuation token of the first page.
    string? token = null;
    await foreach (var page in client.GetRequestsAsync(project, query).AsPages())
    {
        token = page.ContinuationToken;
        break;
    }
    Check(token is not null, "continuation token");
    var resumed = new List<string>();
    await foreach (var page in client.GetRequestsAsync(project, query).AsPages(token))
    {
        resumed.AddRange(page.Values.Select(v => v.RequestId!));
    }
    Check(resumed.SequenceEqual(["r4", "r3", "r2", "r1"]), $"resumed ids: {string.Join(",", resumed)}");

    var one = await client.GetRequestAsync(project, "r1");
    Check(one.RequestId == "r1" && one.Callback?.Attempts == 2 && one.Response?.Details?.GetConfigBoolean("diarize") == true, "GET one (wrapped, object callback, config)");
    var summary = await client.GetSummaryAsync(project, new UsageQuery().Between(new DateOnly(2025, 1, 1), new DateOnly(2025, 1, 2)).WithTags("dev").WithFeature(UsageFeature.Diarize));
    Check(summary.Results.Count == 2 && summary.Results[0].Hours == 1.5 && summary.Results[1].Tokens?.In == 10, "summary");
    var breakdown = await client.GetBreakdownAsync(project, new UsageQuery().GroupBy(UsageGrouping.Models));
    Check(breakdown.Results.Single().Hours == 1619.72 && breakdown.Results[0].Grouping?.Models.Single() == "m1", "breakdown (hours as a string)");
    var fields = await client.GetFieldsAsync(project);
    Check(fields.Languages.SequenceEqual(["en"]) && fields.Models.Single().ModelId == "m1", "fields");

    var failure = await Catch(() => client.GetRequestAsync(project, "missing"));
    Check(failure is UsageApiException { Status: 404, ErrorCode: "PROJECT_NOT_FOUND" }, $"404 as UsageApiException: {failure}");

    listener.Stop();
    await server;
}

static async Task FakeApiAsync()
{
    using var fake = new FakeUsageApi(new FakeUsageApiOptions { Seed = 7, Days = 3, RequestsPerDay = 400, TimeProvider = FixedClock.Noon });
    var client = fake.CreateClient();
    var count = 0;
    await foreach (var _ in client.GetRequestsAsync(FakeUsageApi.DemoProjectId, new RequestsQuery().WithPageSize(100)))
    {
        count++;
    }
    Check(count == fake.GetRequests(FakeUsageApi.DemoProjectId).Count && count > 100, $"FakeUsageApi listing: {count}");
    var breakdown = await client.GetBreakdownAsync(FakeUsageApi.DemoProjectId, new UsageQuery().GroupBy(UsageGrouping.Tags));
    Check(breakdown.Results.Count > 0, "FakeUsageApi breakdown");
}

static async Task DependencyInjectionAsync()
{
    using var fake = new FakeUsageApi(new FakeUsageApiOptions { Seed = 3, Days = 1, RequestsPerDay = 50, TimeProvider = FixedClock.Noon });
    var services = new ServiceCollection();
    services.AddUsageClient(o =>
    {
        o.ApiKey = FakeUsageApi.DefaultApiKey;
        o.BaseAddress = FakeUsageApi.BaseAddress;
    }).ConfigurePrimaryHttpMessageHandler(() => fake);
    await using var provider = services.BuildServiceProvider();
    var client = provider.GetRequiredService<UsageClient>();
    var fields = await client.GetFieldsAsync(FakeUsageApi.DemoProjectId);
    Check(fields.Models.Count > 0, "AddUsageClient + IHttpClientFactory");
}

static async Task ArchiveExportAndReportAsync()
{
    using var fake = new FakeUsageApi(new FakeUsageApiOptions { Seed = 5, Days = 2, RequestsPerDay = 300, TimeProvider = FixedClock.Noon });
    var expected = fake.GetRequests(FakeUsageApi.DemoProjectId);
    var folder = Directory.CreateTempSubdirectory("usagesdk-aot-smoke-");
    try
    {
        // SQLite (its native library, loaded by the AOT binary) and the archive's source-generated JSON.
        await using (var archive = UsageArchive.Open(Path.Combine(folder.FullName, "usage.db"), fake.CreateClient(), new UsageArchiveOptions { TimeProvider = FixedClock.Noon }))
        {
            var sync = await archive.SyncAsync(FakeUsageApi.DemoProjectId);
            Check(sync.Added == expected.Count && expected.Count > 100, $"archive sync added {sync.Added} of {expected.Count}");

            // CSV: the header and one record per request (a record may span lines: quoted line breaks).
            using var csv = new MemoryStream();
            var exported = await archive.ExportAsync(FakeUsageApi.DemoProjectId, null, csv, ExportFormat.Csv);
            var text = Encoding.UTF8.GetString(csv.ToArray());
            Check(exported.Items == expected.Count, $"CSV export items {exported.Items}");
            Check(text.StartsWith(string.Join(',', UsageExport.RequestColumns) + "\r\n", StringComparison.Ordinal), "CSV header");
            Check(expected.All(r => text.Contains("\r\n" + r.RequestId + ",", StringComparison.Ordinal)), "every request id starts a CSV record");

            var report = await archive.GetReportAsync(FakeUsageApi.DemoProjectId);
            Check(report.Totals.Requests == expected.Count, $"report over the archive: {report.Totals.Requests} requests");
        }

        var built = new UsageReportBuilder();
        built.AddRange(expected);
        Check(built.Build().Totals.Requests == expected.Count, "UsageReportBuilder");
    }
    finally
    {
        folder.Delete(recursive: true);
    }
}

static async Task ServeAsync(HttpListener listener, List<string> seen)
{
    while (listener.IsListening)
    {
        HttpListenerContext ctx;
        try
        {
            ctx = await listener.GetContextAsync();
        }
        catch (Exception) when (!listener.IsListening)
        {
            return;
        }
        var path = ctx.Request.Url!.AbsolutePath;
        var q = ctx.Request.QueryString;
        lock (seen)
        {
            seen.Add($"{ctx.Request.Url.PathAndQuery} {ctx.Request.Headers["Authorization"]}");
        }
        var (status, body) = path switch
        {
            _ when path.EndsWith("/requests", StringComparison.Ordinal) => (200, RequestsPage(int.Parse(q["page"] ?? "0"), int.Parse(q["limit"] ?? "10"))),
            _ when path.EndsWith("/requests/r1", StringComparison.Ordinal) => (200, "{\"request\":" + Request(1) + "}"),
            _ when path.EndsWith("/usage", StringComparison.Ordinal) => (200, """{"start":"2025-01-01","end":"2025-01-02","resolution":{"units":"day","amount":1},"results":[{"start":"2025-01-01","end":"2025-01-01","hours":1.5,"total_hours":3,"requests":4},{"start":"2025-01-02","end":"2025-01-02","hours":0,"total_hours":0,"requests":1,"tokens":{"in":10,"out":2}}]}"""),
            _ when path.EndsWith("/usage/breakdown", StringComparison.Ordinal) => (200, """{"start":"2025-01-16","end":"2025-01-23","resolution":{"units":"day","amount":1},"results":[{"hours":"1619.72","total_hours":"1621.74","agent_hours":"0","tokens_in":0,"tokens_out":0,"tts_characters":5,"requests":373381.0,"grouping":{"start":"2025-01-16","end":"2025-01-16","models":["m1"],"tags":null}}]}"""),
            _ when path.EndsWith("/usage/fields", StringComparison.Ordinal) => (200, """{"tags":["dev"],"models":[{"name":"nova","language":"en","version":"1","model_id":"m1"}],"processing_methods":["sync"],"languages":["en"],"features":["diarize"]}"""),
            _ => (404, """{"err_code":"PROJECT_NOT_FOUND","err_msg":"Project not found."}"""),
        };
        var bytes = Encoding.UTF8.GetBytes(body);
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json";
        ctx.Response.ContentLength64 = bytes.Length;
        await ctx.Response.OutputStream.WriteAsync(bytes);
        ctx.Response.Close();
    }
}

static string RequestsPage(int page, int limit)
{
    // Seven requests, newest first (r7 … r1), served limit at a time.
    var items = Enumerable.Range(1, 7).Reverse().Skip(page * limit).Take(limit).Select(Request);
    return $"{{\"page\":{page},\"limit\":{limit},\"requests\":[{string.Join(",", items)}]}}";
}

static string Request(int i)
    => $$$"""{"request_id":"r{{{i}}}","project_uuid":"p","created":"2025-01-0{{{i}}}T10:00:00.123456Z","path":"/v1/listen","api_key_id":"k","code":200,"response":{"details":{"usd":0.01,"duration":1.5,"config":{"diarize":"true"}},"code":200,"completed":"2025-01-0{{{i}}}T10:00:01Z"},"callback":{"attempts":2,"code":200,"completed":"2025-01-0{{{i}}}T10:00:02Z"}}""";

static int FreePort()
{
    var l = new TcpListener(IPAddress.Loopback, 0);
    l.Start();
    var port = ((IPEndPoint)l.LocalEndpoint).Port;
    l.Stop();
    return port;
}

static async Task<Exception?> Catch(Func<Task> action)
{
    try
    {
        await action();
        return null;
    }
    catch (Exception e)
    {
        return e;
    }
}

static void Check(bool condition, string what)
{
    if (!condition)
    {
        throw new InvalidOperationException("check failed: " + what);
    }
}

/// <summary>
/// A clock stopped at noon UTC on a fixed day, so the fake's data does not depend on when the smoke runs (on the real
/// clock, just after midnight the fake's one day of data was a few minutes old and had no models yet).
/// </summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public static readonly FixedClock Noon = new(new DateTimeOffset(2026, 3, 10, 12, 0, 0, TimeSpan.Zero));

    public override DateTimeOffset GetUtcNow() => now;
}
