using System.Globalization;
using UsageSdk.Tests.Infrastructure;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace UsageSdk.Tests;

/// <summary>The README's quick start compiles and runs (against WireMock instead of api.deepgram.com).</summary>
public sealed class QuickStartTests(WireMockFixture wm) : CoreTestBase(wm)
{
    /// <summary>The README block, line for line, except the client line (which points at WireMock here).</summary>
    private const string ReadmeCode = """
        using UsageSdk;

        string projectId = args[0];                                                    // your project's id
        var client = new UsageClient(Environment.GetEnvironmentVariable("DEEPGRAM_API_KEY")!);
        var query = new RequestsQuery().Between(DateTimeOffset.UtcNow.AddDays(-7), DateTimeOffset.UtcNow);
        decimal cost = 0;
        await foreach (UsageRequest r in client.GetRequestsAsync(projectId, query))   // every page, lazily
            cost += r.Response?.Details?.Usd ?? 0;
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        UsageSummary summary = await client.GetSummaryAsync(projectId, new UsageQuery().Between(today.AddDays(-29), today));
        Console.WriteLine($"${cost:0.00} over the last 7 days; {summary.Results.Sum(x => x.Hours):0.0} audio hours in 30 days");
        """;

    [Fact]
    public void The_readme_quick_start_is_the_code_this_test_runs()
    {
        var readme = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "README.md")).Replace("\r\n", "\n");
        var section = readme[readme.IndexOf("\n### Quick start\n", StringComparison.Ordinal)..];
        var start = section.IndexOf("```csharp\n", StringComparison.Ordinal) + "```csharp\n".Length;
        var block = section[start..section.IndexOf("```", start, StringComparison.Ordinal)].TrimEnd('\n');

        Assert.Equal(ReadmeCode.Replace("\r\n", "\n"), block);
    }

    [Fact]
    public async Task The_readme_quick_start_runs()
    {
        Server.Given(Request.Create().WithPath("/v1/projects/proj-1/requests").WithParam("page", "0").UsingGet())
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(
                """{"page":0,"limit":1000,"requests":[""" + ItemJson("a") + """,{"request_id":"b","created":"2025-02-28T09:00:00Z","response":{"details":{"usd":0.24}}}]}"""));
        Server.Given(Request.Create().WithPath("/v1/projects/proj-1/usage").UsingGet())
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(
                """{"start":"2025-01-01","end":"2025-01-31","resolution":{"units":"day","amount":1},"results":[{"hours":1.25,"total_hours":2},{"hours":"2.5","total_hours":3}]}"""));
        string[] args = [Project];
        var Console = new StringWriter(CultureInfo.CurrentCulture); // the quick start's Console.WriteLine lands here

        // ---- the README quick start (only the client line differs: WireMock instead of api.deepgram.com)
        string projectId = args[0];                                                    // your project's id
        var client = new UsageClient(new UsageClientOptions { ApiKey = Key, BaseAddress = Wm.BaseAddress });
        var query = new RequestsQuery().Between(DateTimeOffset.UtcNow.AddDays(-7), DateTimeOffset.UtcNow);
        decimal cost = 0;
        await foreach (UsageRequest r in client.GetRequestsAsync(projectId, query))   // every page, lazily
        {
            cost += r.Response?.Details?.Usd ?? 0;
        }

        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        UsageSummary summary = await client.GetSummaryAsync(projectId, new UsageQuery().Between(today.AddDays(-29), today));
        Console.WriteLine($"${cost:0.00} over the last 7 days; {summary.Results.Sum(x => x.Hours):0.0} audio hours in 30 days");
        // ----

        Assert.Equal(0.25m, cost);
        Assert.Equal($"${0.25m:0.00} over the last 7 days; {3.75:0.0} audio hours in 30 days{Environment.NewLine}", Console.ToString());
        Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"start={today.AddDays(-29):yyyy-MM-dd}&end={today:yyyy-MM-dd}"), RawQueries[^1]);
        Assert.Equal(2, Sent.Count);
    }
}
