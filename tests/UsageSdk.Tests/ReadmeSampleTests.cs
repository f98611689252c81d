using UsageSdk.Tests.Infrastructure;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace UsageSdk.Tests;

/// <summary>The code sample of docs/client.md ("Calls") compiles and does what its comments say.</summary>
public sealed class ReadmeSampleTests(WireMockFixture wm) : CoreTestBase(wm)
{
    /// <summary>The docs/client.md block without its first line (the client, which points at WireMock here).</summary>
    private const string ReadmeCode = """
        var failed = new RequestsQuery()
            .From(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.FromHours(2)))   // start=2025-01-01T00%3A00%3A00%2B02%3A00; end: pinned
            .WithStatus(RequestStatus.Failed)
            .WithPageSize(500);
        string? token = checkpoint;                                  // null the first time
        try
        {
            await foreach (Page<UsageRequest> page in client.GetRequestsAsync(projectId, failed).AsPages(token))
            {
                foreach (UsageRequest r in page.Values)
                    Console.WriteLine($"{r.RequestId} {r.State} {r.EffectiveCode} {r.Response?.Message}");
                checkpoint = page.ContinuationToken;                 // names the NEXT page; null after the last one
            }
        }
        catch (UsageApiException e) when (e.ContinuationToken is not null)
        {
            checkpoint = e.ContinuationToken;                        // resumes at the page that failed
        }
        UsageBreakdown byModel = await client.GetBreakdownAsync(projectId, new UsageQuery()
            .Between(new DateOnly(2025, 1, 1), new DateOnly(2025, 1, 31))   // start=2025-01-01&end=2025-01-31
            .WithTags("dev", "prod")                                        // tag=dev&tag=prod
            .WithoutFeature(UsageFeature.Diarize)                           // diarize=false
            .GroupBy(UsageGrouping.Models));                                // grouping=models
        """;

    [Fact]
    public void The_client_docs_sample_is_the_code_this_test_runs()
    {
        var doc = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "docs", "client.md")).Replace("\r\n", "\n");
        var section = doc[doc.IndexOf("\n## Calls\n", StringComparison.Ordinal)..];
        var start = section.IndexOf("```csharp\n", StringComparison.Ordinal) + "```csharp\n".Length;
        var block = section[start..section.IndexOf("```", start, StringComparison.Ordinal)].TrimEnd('\n');

        Assert.StartsWith("var client = new UsageClient(new UsageClientOptions { ApiKey = apiKey });\n", block);
        Assert.Equal(ReadmeCode.Replace("\r\n", "\n"), block[(block.IndexOf('\n') + 1)..]);
    }

    [Fact]
    public async Task The_client_docs_sample_runs_and_resumes_after_a_failed_page()
    {
        StubPage(0, """{"page":0,"limit":500,"requests":[{"request_id":"f1","created":"2025-01-02T00:00:00Z","code":500,"response":{"message":"boom"}}""" +
            string.Concat(Enumerable.Range(2, 499).Select(i => $$""",{"request_id":"f{{i}}","created":"2025-01-02T00:00:00Z","code":400}""")) + "]}");
        Server.Given(Request.Create().WithPath("/v1/projects/proj-1/requests").WithParam("page", "1").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(503).WithBody("down"));
        StubJson("/v1/projects/proj-1/usage/breakdown", """{"results":[]}""");
        var projectId = Project;
        var apiKey = Key;
        string? checkpoint = null;
        var Console = new StringWriter(); // the sample's Console.WriteLine lands here

        // ---- the docs/client.md sample (only the client line differs: WireMock instead of api.deepgram.com)
        var client = new UsageClient(new UsageClientOptions { ApiKey = apiKey, BaseAddress = Wm.BaseAddress, Retry = new UsageRetryOptions { MaxRetries = 0 } });
        var failed = new RequestsQuery()
            .From(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.FromHours(2)))   // start=2025-01-01T00%3A00%3A00%2B02%3A00; end: pinned
            .WithStatus(RequestStatus.Failed)
            .WithPageSize(500);
        string? token = checkpoint;                                  // null the first time
        try
        {
            await foreach (Page<UsageRequest> page in client.GetRequestsAsync(projectId, failed).AsPages(token))
            {
                foreach (UsageRequest r in page.Values)
                {
                    Console.WriteLine($"{r.RequestId} {r.State} {r.EffectiveCode} {r.Response?.Message}");
                }

                checkpoint = page.ContinuationToken;                 // names the NEXT page; null after the last one
            }
        }
        catch (UsageApiException e) when (e.ContinuationToken is not null)
        {
            checkpoint = e.ContinuationToken;                        // resumes at the page that failed
        }
        UsageBreakdown byModel = await client.GetBreakdownAsync(projectId, new UsageQuery()
            .Between(new DateOnly(2025, 1, 1), new DateOnly(2025, 1, 31))   // start=2025-01-01&end=2025-01-31
            .WithTags("dev", "prod")                                        // tag=dev&tag=prod
            .WithoutFeature(UsageFeature.Diarize)                           // diarize=false
            .GroupBy(UsageGrouping.Models));                                // grouping=models
        // ----

        var lines = Console.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(500, lines.Length);
        Assert.Equal("f1 Error 500 boom", lines[0]);
        Assert.Empty(byModel.Results);
        Assert.NotNull(checkpoint);
        var queries = RawQueries;
        Assert.StartsWith("start=2025-01-01T00%3A00%3A00%2B02%3A00&end=", queries[0]);
        Assert.EndsWith("&limit=500&page=0&status=failed", queries[0]);
        Assert.EndsWith("&limit=500&page=1&status=failed", queries[1]);
        Assert.Equal("start=2025-01-01&end=2025-01-31&grouping=models&tag=dev&tag=prod&diarize=false", queries[2]);

        // The checkpoint resumes at the page that failed (page 1), with the same window, also with the query built anew
        // (as the next run of the program would: the end is open, so the token's pinned end is used).
        Server.Reset();
        StubPage(1, """{"page":1,"limit":500,"requests":[]}""");
        await foreach (var _ in client.GetRequestsAsync(projectId, failed).AsPages(checkpoint))
        {
        }
        var rebuilt = new RequestsQuery().From(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.FromHours(2))).WithStatus(RequestStatus.Failed).WithPageSize(500);
        await foreach (var _ in client.GetRequestsAsync(projectId, rebuilt).AsPages(checkpoint))
        {
        }
        Assert.Equal(new[] { queries[1], queries[1] }, RawQueries);
    }
}
