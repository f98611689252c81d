using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using UsageSdk.Tests.Infrastructure;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace UsageSdk.Tests.Internal;

/// <summary>Logs at Trace level (IHttpClientFactory's header logging included) carry retries and waits, never the key.</summary>
public sealed class LoggingTests : IClassFixture<WireMockFixture>
{
    private const string Key = "dg-test-key-4f1c-logging-5a5a5a";
    private readonly WireMockFixture _wm;

    public LoggingTests(WireMockFixture wm)
    {
        _wm = wm;
        _wm.Server.Reset();
    }

    private static IEnumerable<string> Texts(IEnumerable<FakeLogRecord> records)
    {
        foreach (var r in records)
        {
            yield return r.Category + " " + r.Message;
            yield return r.Exception?.ToString() ?? "";
            foreach (var s in r.StructuredState ?? [])
            {
                yield return s.Key + "=" + s.Value;
            }
            foreach (var scope in r.Scopes)
            {
                yield return scope?.ToString() ?? "";
            }
        }
    }

    [Fact]
    public async Task Trace_logs_of_a_DI_client_have_retries_and_rate_limit_waits_and_no_key()
    {
        const string project = "proj-logs-di";
        _wm.Sequence(TestApi.SummaryPath(project), TestApi.Status(503), TestApi.Status(429).WithHeader("Retry-After", "0"), TestApi.Ok());
        _wm.Server.Given(Request.Create().WithPath($"/v1/projects/{project}/usage/breakdown"))
            .RespondWith(Response.Create().WithStatusCode(401).WithBody("Invalid credentials: Token " + Key));
        var collector = new FakeLogCollector();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new FakeLoggerProvider(collector)));
        services.AddUsageClient(o => { o.ApiKey = Key; o.BaseAddress = _wm.BaseAddress; o.Retry.Delay = TimeSpan.Zero; });
        using var sp = services.BuildServiceProvider();
        var client = sp.GetRequiredService<UsageClient>();

        await client.GetSummaryAsync(project);
        await Assert.ThrowsAsync<UsageApiException>(() => client.GetBreakdownAsync(project));

        var records = collector.GetSnapshot();
        var retry = Assert.Single(records, r => r.Id.Id == 4001);
        Assert.Equal(LogLevel.Warning, retry.Level);
        Assert.Equal(UsageClientDiagnostics.LoggerCategory, retry.Category);
        Assert.Contains("503", retry.Message);
        var waited = Assert.Single(records, r => r.Id.Id == 4002);
        Assert.Contains("rate limited", waited.Message);
        // IHttpClientFactory logged the request headers at Trace (the Authorization header is added below its logging).
        Assert.Contains(records, r => r.Level == LogLevel.Trace && r.Message.Contains("Request Headers", StringComparison.Ordinal));
        Assert.All(Texts(records), text => Assert.DoesNotContain(Key, text));
    }

    [Fact]
    public async Task A_client_without_DI_logs_to_the_options_logger_factory_without_the_key()
    {
        const string project = "proj-logs-plain";
        _wm.Sequence(TestApi.SummaryPath(project), TestApi.Status(500), TestApi.Ok());
        var collector = new FakeLogCollector();
        using var factory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new FakeLoggerProvider(collector)));
        var options = new UsageClientOptions { ApiKey = Key, BaseAddress = _wm.BaseAddress, LoggerFactory = factory };
        options.Retry.Delay = TimeSpan.Zero;

        await new UsageClient(options).GetSummaryAsync(project);

        var retry = Assert.Single(collector.GetSnapshot(), r => r.Id.Id == 4001);
        Assert.Equal(500, retry.GetStructuredStateValue("Status") is { } s ? int.Parse(s, System.Globalization.CultureInfo.InvariantCulture) : 0);
        Assert.All(Texts(collector.GetSnapshot()), text => Assert.DoesNotContain(Key, text));
    }

    [Fact]
    public async Task A_body_fetched_again_is_logged_as_a_retry_numbered_within_the_calls_budget()
    {
        const string project = "proj-logs-mixed";
        _wm.Sequence(TestApi.SummaryPath(project), TestApi.Ok(TestApi.SummaryJson[..(TestApi.SummaryJson.Length / 2)]), TestApi.Status(503), TestApi.Ok());
        var collector = new FakeLogCollector();
        using var factory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new FakeLoggerProvider(collector)));
        var options = new UsageClientOptions { ApiKey = Key, BaseAddress = _wm.BaseAddress, LoggerFactory = factory };
        options.Retry.Delay = TimeSpan.Zero;
        options.Retry.MaxRetries = 2;

        await new UsageClient(options).GetSummaryAsync(project);

        var retries = collector.GetSnapshot().Where(r => r.Id.Id == 4001).ToList();
        Assert.Equal(2, retries.Count);
        Assert.Equal(["1", "2"], retries.Select(r => r.GetStructuredStateValue("Retry")));
        Assert.All(retries, r => Assert.Equal("2", r.GetStructuredStateValue("MaxRetries")));
        Assert.Equal(["0", "503"], retries.Select(r => r.GetStructuredStateValue("Status")));
        Assert.Equal("body JsonException", retries[0].GetStructuredStateValue("Error"));
        Assert.All(Texts(collector.GetSnapshot()), text => Assert.DoesNotContain(Key, text));
    }
}
