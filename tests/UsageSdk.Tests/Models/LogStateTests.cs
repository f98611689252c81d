using UsageSdk.Tests.Infrastructure;

namespace UsageSdk.Tests.Models;

/// <summary>UsageRequest.State by the documented rule, on the client's clock.</summary>
public sealed class LogStateTests(WireMockFixture wm) : CoreTestBase(wm)
{
    private const string RequestPath = "/v1/projects/proj-1/requests/req-1";

    // The clock is 2025-03-01T12:00:00Z; `ageSeconds` sets `created` that long before it.
    [Theory]
    // no response recorded: by age (PendingFor 15 min, LostAfter 24 h)
    [InlineData("null", null, 0, RequestLogState.Pending)]
    [InlineData("null", null, 899, RequestLogState.Pending)]
    [InlineData("null", null, 900, RequestLogState.Unknown)]
    [InlineData("{}", null, 3600, RequestLogState.Unknown)]
    [InlineData("{}", null, 86399, RequestLogState.Unknown)]
    [InlineData("{}", null, 86400, RequestLogState.Lost)]
    [InlineData("null", null, 864000, RequestLogState.Lost)]
    [InlineData("{}", null, -60, RequestLogState.Pending)]                                // created in the future: still pending
    [InlineData("""{"code":200}""", null, 3600, RequestLogState.Unknown)]               // a code alone is no outcome
    // errors: a code >= 400 at the top or in the response, or a message
    [InlineData("null", 500, 0, RequestLogState.Error)]
    [InlineData("null", 400, 86400, RequestLogState.Error)]
    [InlineData("""{"code":404}""", null, 0, RequestLogState.Error)]
    [InlineData("""{"code":"429"}""", null, 0, RequestLogState.Error)]
    [InlineData("""{"message":"Bad audio"}""", null, 0, RequestLogState.Error)]
    [InlineData("""{"message":"Bad audio","code":200}""", 200, 0, RequestLogState.Error)]
    [InlineData("""{"details":{"usd":1},"code":502}""", null, 0, RequestLogState.Error)]
    // success: details or a completion time, code absent or below 400
    [InlineData("""{"details":{"usd":0.1},"code":200}""", null, 0, RequestLogState.Success)]
    [InlineData("""{"details":{}}""", null, 864000, RequestLogState.Success)]
    [InlineData("""{"completed":"2025-03-01T11:00:00Z"}""", null, 3600, RequestLogState.Success)]
    [InlineData("""{"details":{"usd":0},"code":399}""", 201, 0, RequestLogState.Success)]
    [InlineData("""{"message":""}""", null, 0, RequestLogState.Pending)]                  // an empty message is no message
    public async Task State_follows_the_rule(string responseJson, int? topCode, int ageSeconds, RequestLogState expected)
    {
        var clock = NewClock();
        var created = clock.GetUtcNow().AddSeconds(-ageSeconds).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var code = topCode is { } c ? $",\"code\":{c}" : "";
        StubJson(RequestPath, $$"""{"request_id":"req-1","created":"{{created}}","response":{{responseJson}}{{code}}}""");

        var r = await NewClient(clock).GetRequestAsync(Project, "req-1");

        Assert.Equal(expected, r.State);
    }

    [Fact]
    public async Task State_is_derived_on_the_clients_clock_when_the_item_is_read()
    {
        var clock = NewClock();
        StubJson(RequestPath, """{"request_id":"req-1","created":"2025-03-01T11:55:00Z","response":null}""");
        var client = NewClient(clock);

        var first = await client.GetRequestAsync(Project, "req-1");
        clock.Advance(TimeSpan.FromMinutes(10));
        var second = await client.GetRequestAsync(Project, "req-1");
        clock.Advance(TimeSpan.FromDays(1));
        var third = await client.GetRequestAsync(Project, "req-1");

        Assert.Equal(RequestLogState.Pending, first.State);
        Assert.Equal(RequestLogState.Unknown, second.State);
        Assert.Equal(RequestLogState.Lost, third.State);
        Assert.Equal(RequestLogState.Pending, first.State); // a read item keeps its state
    }

    [Fact]
    public async Task The_ages_come_from_the_options()
    {
        var clock = NewClock();
        StubJson(RequestPath, """{"request_id":"req-1","created":"2025-03-01T11:58:00Z","response":{}}""");
        var client = new UsageClient(new UsageClientOptions
        {
            ApiKey = Key,
            BaseAddress = Wm.BaseAddress,
            TimeProvider = clock,
            LogStates = new RequestLogStateOptions { PendingFor = TimeSpan.FromMinutes(1), LostAfter = TimeSpan.FromMinutes(2) },
        });

        var r = await client.GetRequestAsync(Project, "req-1");

        Assert.Equal(RequestLogState.Lost, r.State);
    }

    [Fact]
    public void Default_ages_are_15_minutes_and_24_hours()
    {
        var o = new RequestLogStateOptions();

        Assert.Equal(TimeSpan.FromMinutes(15), o.PendingFor);
        Assert.Equal(TimeSpan.FromHours(24), o.LostAfter);
    }

    [Fact]
    public void Derive_is_usable_on_its_own()
    {
        var created = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var pending = UsageModelFactory.UsageRequest("r", created: created);
        var failed = UsageModelFactory.UsageRequest("r", created: created, response: UsageModelFactory.RequestResponse(code: 500));
        var rules = new RequestLogStateOptions();

        Assert.Equal(RequestLogState.Pending, rules.Derive(pending, created.AddMinutes(14)));
        Assert.Equal(RequestLogState.Unknown, rules.Derive(pending, created.AddMinutes(15)));
        Assert.Equal(RequestLogState.Lost, rules.Derive(pending, created.AddHours(24)));
        Assert.Equal(RequestLogState.Error, rules.Derive(failed, created.AddHours(48)));
        Assert.Throws<ArgumentNullException>(() => rules.Derive(null!, created));
    }

    [Fact]
    public void Bad_state_ages_are_refused_by_the_client()
    {
        var e = Assert.Throws<ArgumentException>(() => new UsageClient(new UsageClientOptions
        {
            ApiKey = Key,
            LogStates = new RequestLogStateOptions { PendingFor = TimeSpan.FromHours(2), LostAfter = TimeSpan.FromHours(1) },
        }));

        Assert.Contains("LogStates", e.Message);
    }
}
