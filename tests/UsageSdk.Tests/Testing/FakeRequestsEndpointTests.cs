using System.Net;
using System.Text.Json;
using UsageSdk.Testing;

namespace UsageSdk.Tests.Testing;

/// <summary>/requests and /requests/{id} of the fake, through the real UsageClient and on the wire.</summary>
public sealed class FakeRequestsEndpointTests
{
    private readonly FakeUsageApi _api = FakeSetup.Create();

    [Fact]
    public async Task Client_lists_every_request_newest_first_across_pages()
    {
        var client = FakeSetup.Client(_api);
        var listed = await FakeSetup.ListAsync(client, FakeSetup.P, new RequestsQuery().WithPageSize(97));

        var expected = _api.GetRequests(FakeSetup.P);
        Assert.Equal(expected.Select(r => r.RequestId), listed.Select(r => r.RequestId));
        var pages = _api.RecordedRequests.Where(r => r.Path.EndsWith("/requests", StringComparison.Ordinal)).ToList();
        Assert.Equal(expected.Count / 97 + 1, pages.Count);
        Assert.Equal(Enumerable.Range(0, pages.Count).Select(i => i.ToString()), pages.Select(p => p.QueryValues("page").Single()));
        Assert.All(pages, p => Assert.Equal("97", p.QueryValues("limit").Single()));
    }

    [Fact]
    public async Task Pages_are_zero_based_and_limit_defaults_to_10()
    {
        using var http = FakeSetup.Raw(_api);
        var all = _api.GetRequests(FakeSetup.P);

        using var first = JsonDocument.Parse(await http.GetStringAsync($"/v1/projects/{FakeSetup.P}/requests"));
        Assert.Equal(0, first.RootElement.GetProperty("page").GetInt32());
        Assert.Equal(10, first.RootElement.GetProperty("limit").GetInt32());
        Assert.Equal(all.Take(10).Select(r => r.RequestId), first.RootElement.GetProperty("requests").EnumerateArray().Select(e => e.GetProperty("request_id").GetString()));

        using var third = JsonDocument.Parse(await http.GetStringAsync($"/v1/projects/{FakeSetup.P}/requests?page=2&limit=5"));
        Assert.Equal(all.Skip(10).Take(5).Select(r => r.RequestId), third.RootElement.GetProperty("requests").EnumerateArray().Select(e => e.GetProperty("request_id").GetString()));

        using var beyond = JsonDocument.Parse(await http.GetStringAsync($"/v1/projects/{FakeSetup.P}/requests?page=100000&limit=1000"));
        Assert.Equal(0, beyond.RootElement.GetProperty("requests").GetArrayLength());
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=1001")]
    [InlineData("limit=abc")]
    [InlineData("page=-1")]
    [InlineData("status=ok")]
    [InlineData("method=batch")]
    [InlineData("start=2025-03-10T00:00:00+02:00")] // '+' not encoded: the server reads a space
    public async Task Bad_parameters_are_a_400_with_a_json_error(string query)
    {
        using var http = FakeSetup.Raw(_api);
        using var response = await http.GetAsync($"/v1/projects/{FakeSetup.P}/requests?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("INVALID_QUERY_PARAMETER", body.RootElement.GetProperty("err_code").GetString());
        Assert.False(string.IsNullOrEmpty(body.RootElement.GetProperty("err_msg").GetString()));
    }

    [Fact]
    public async Task Limit_1000_is_allowed()
    {
        var api = FakeSetup.Create(days: 20, perDay: 80); // more than 1,000 logs, so a page of 1,000 is full
        var all = api.GetRequests(FakeSetup.P);
        Assert.True(all.Count > 1000, $"the fixture has {all.Count} logs: too few to fill a page of 1,000");
        using var http = FakeSetup.Raw(api);

        using var first = JsonDocument.Parse(await http.GetStringAsync($"/v1/projects/{FakeSetup.P}/requests?limit=1000"));
        using var second = JsonDocument.Parse(await http.GetStringAsync($"/v1/projects/{FakeSetup.P}/requests?limit=1000&page=1"));

        Assert.Equal(1000, first.RootElement.GetProperty("limit").GetInt32());
        Assert.Equal(all.Take(1000).Select(r => r.RequestId), first.RootElement.GetProperty("requests").EnumerateArray().Select(e => e.GetProperty("request_id").GetString()));
        Assert.Equal(all.Skip(1000).Select(r => r.RequestId), second.RootElement.GetProperty("requests").EnumerateArray().Select(e => e.GetProperty("request_id").GetString()));
    }

    [Fact]
    public async Task Status_filter_splits_succeeded_and_failed()
    {
        var client = FakeSetup.Client(_api);
        var failed = await FakeSetup.ListAsync(client, FakeSetup.P, new RequestsQuery().WithStatus(RequestStatus.Failed));
        var succeeded = await FakeSetup.ListAsync(client, FakeSetup.P, new RequestsQuery().WithStatus(RequestStatus.Succeeded));

        Assert.NotEmpty(failed);
        Assert.All(failed, r => Assert.True(r.EffectiveCode >= 400));
        Assert.All(succeeded, r => Assert.True(r.EffectiveCode < 300));
        Assert.Equal(_api.GetRequests(FakeSetup.P).Count(r => r.EffectiveCode >= 400), failed.Count);
        Assert.Equal(_api.GetRequests(FakeSetup.P).Count(r => r.EffectiveCode < 300), succeeded.Count);
    }

    [Fact]
    public async Task Accessor_method_endpoint_and_deployment_filters()
    {
        var client = FakeSetup.Client(_api);
        var all = _api.GetRequests(FakeSetup.P);
        var accessor = all[0].Accessor!;

        var byAccessor = await FakeSetup.ListAsync(client, FakeSetup.P, new RequestsQuery().WithAccessor(accessor));
        Assert.Equal(all.Where(r => r.Accessor == accessor).Select(r => r.RequestId), byAccessor.Select(r => r.RequestId));

        var streaming = await FakeSetup.ListAsync(client, FakeSetup.P, new RequestsQuery().WithMethod(ProcessingMethod.Streaming));
        Assert.Equal(all.Count(r => r.Response?.Details?.Method == ProcessingMethod.Streaming), streaming.Count);

        var speak = await FakeSetup.ListAsync(client, FakeSetup.P, new RequestsQuery().WithEndpoint(Endpoint.Speak));
        Assert.Equal(all.Count(r => FakeSetup.Endpoint(r) == "speak"), speak.Count);
        Assert.All(speak, r => Assert.StartsWith("/v1/speak", r.Path));

        var beta = await FakeSetup.ListAsync(client, FakeSetup.P, new RequestsQuery().WithDeployment(Deployment.Beta));
        Assert.Equal(all.Count(r => r.Deployment == Deployment.Beta), beta.Count);
    }

    [Fact]
    public async Task Repeated_accessor_keys_are_ored()
    {
        var all = _api.GetRequests(FakeSetup.P);
        var accessors = all.Select(r => r.Accessor!).Distinct().Take(2).ToArray();
        using var http = FakeSetup.Raw(_api);
        using var doc = JsonDocument.Parse(await http.GetStringAsync($"/v1/projects/{FakeSetup.P}/requests?limit=1000&accessor={accessors[0]}&accessor={accessors[1]}"));
        Assert.Equal(Math.Min(1000, all.Count(r => accessors.Contains(r.Accessor))), doc.RootElement.GetProperty("requests").GetArrayLength());
    }

    [Fact]
    public async Task Start_and_end_with_an_offset_select_the_window()
    {
        var client = FakeSetup.Client(_api);
        var from = new DateTimeOffset(2025, 3, 10, 11, 0, 0, TimeSpan.FromHours(2));  // 09:00 UTC
        var to = new DateTimeOffset(2025, 3, 10, 13, 30, 0, TimeSpan.FromHours(2));   // 11:30 UTC
        var listed = await FakeSetup.ListAsync(client, FakeSetup.P, new RequestsQuery().Between(from, to));

        var expected = _api.GetRequests(FakeSetup.P).Where(r => r.Created >= from && r.Created <= to).Select(r => r.RequestId).ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, listed.Select(r => r.RequestId));
        Assert.Contains("%2B02%3A00", _api.RecordedRequests[^1].Query);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Small_pages_of_a_window_list_exactly_the_window_with_and_without_filters(bool filtered)
    {
        var client = FakeSetup.Client(_api);
        var from = new DateTimeOffset(2025, 3, 9, 0, 0, 0, TimeSpan.Zero);
        var to = new DateTimeOffset(2025, 3, 10, 12, 0, 0, TimeSpan.Zero);
        var query = new RequestsQuery().Between(from, to).WithPageSize(7);
        if (filtered)
        {
            query = query.WithMethod(ProcessingMethod.Sync);
        }
        var listed = await FakeSetup.ListAsync(client, FakeSetup.P, query);

        var expected = _api.GetRequests(FakeSetup.P)
            .Where(r => r.Created >= from && r.Created <= to && (!filtered || r.Response?.Details?.Method == ProcessingMethod.Sync))
            .Select(r => r.RequestId).ToList();
        Assert.True(expected.Count > 7 * 3, $"only {expected.Count} requests in the window");
        Assert.Equal(expected, listed.Select(r => r.RequestId));
    }

    [Fact]
    public async Task Date_only_end_covers_the_whole_day()
    {
        using var http = FakeSetup.Raw(_api);
        using var doc = JsonDocument.Parse(await http.GetStringAsync($"/v1/projects/{FakeSetup.P}/requests?start=2025-03-11&end=2025-03-11&limit=1000"));
        var expected = _api.GetRequests(FakeSetup.P).Count(r => r.Created.UtcDateTime.Date == new DateTime(2025, 3, 11));
        Assert.True(expected > 0);
        Assert.Equal(expected, doc.RootElement.GetProperty("requests").GetArrayLength());
    }

    [Fact]
    public async Task Wire_shape_has_microsecond_created_and_pending_response_null_or_empty()
    {
        var busy = FakeSetup.Create(days: 2, perDay: 600);
        using var http = FakeSetup.Raw(busy);
        using var doc = JsonDocument.Parse(await http.GetStringAsync($"/v1/projects/{FakeSetup.P}/requests?limit=1000"));
        var items = doc.RootElement.GetProperty("requests").EnumerateArray().ToList();
        Assert.All(items, e => Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$", e.GetProperty("created").GetString()));
        Assert.All(items, e => Assert.True(e.TryGetProperty("response", out _)));
        Assert.Contains(items, e => e.GetProperty("response").ValueKind == JsonValueKind.Null);
        Assert.Contains(items, e => e.GetProperty("response").ValueKind == JsonValueKind.Object && !e.GetProperty("response").EnumerateObject().Any());
        Assert.All(items.Where(e => e.GetProperty("response") is { ValueKind: JsonValueKind.Object } r && r.TryGetProperty("completed", out _)),
            e => Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$", e.GetProperty("response").GetProperty("completed").GetString()));
    }

    [Fact]
    public async Task Get_one_request_flat_or_wrapped_and_404_when_unknown()
    {
        var client = FakeSetup.Client(_api);
        var expected = _api.GetRequests(FakeSetup.P).First(r => r.Response?.Details is not null);

        var flat = await client.GetRequestAsync(FakeSetup.P, expected.RequestId!);
        Assert.Equal(UsageJson.Serialize(expected), UsageJson.Serialize(flat));

        _api.WrapSingleRequest = true;
        var wrapped = await client.GetRequestAsync(FakeSetup.P, expected.RequestId!);
        Assert.Equal(expected.RequestId, wrapped.RequestId);
        using var http = FakeSetup.Raw(_api);
        using var doc = JsonDocument.Parse(await http.GetStringAsync($"/v1/projects/{FakeSetup.P}/requests/{expected.RequestId}"));
        Assert.Equal(expected.RequestId, doc.RootElement.GetProperty("request").GetProperty("request_id").GetString());

        var e = await Assert.ThrowsAsync<UsageApiException>(() => client.GetRequestAsync(FakeSetup.P, "00000000-0000-0000-0000-000000000000"));
        Assert.Equal(404, e.Status);
        Assert.Equal("REQUEST_NOT_FOUND", e.ErrorCode);
    }

    [Fact]
    public async Task Added_and_replaced_requests_are_served_and_logs_past_90_days_are_not()
    {
        var project = "11111111-2222-4333-8444-555555555555";
        var recent = UsageModelFactory.UsageRequest("r-new", project, FakeSetup.Now.AddHours(-1), "/v1/listen", code: 200,
            response: UsageModelFactory.RequestResponse(UsageModelFactory.RequestDetails(usd: 0.5m, duration: 60), code: 200, completed: FakeSetup.Now.AddHours(-1)));
        var old = UsageModelFactory.UsageRequest("r-old", project, FakeSetup.Now.AddDays(-91), "/v1/listen", code: 200,
            response: UsageModelFactory.RequestResponse(UsageModelFactory.RequestDetails(usd: 0.25m, duration: 30), code: 200, completed: FakeSetup.Now.AddDays(-91)));
        _api.AddRequests(recent, old);
        var client = FakeSetup.Client(_api);

        Assert.Equal(["r-new"], (await FakeSetup.ListAsync(client, project)).Select(r => r.RequestId));
        var summary = await client.GetSummaryAsync(project, new UsageQuery().Between(DateOnly.FromDateTime(FakeSetup.Now.AddDays(-100).UtcDateTime), DateOnly.FromDateTime(FakeSetup.Now.UtcDateTime)));
        Assert.Equal(2, summary.Results.Sum(r => r.Requests));

        _api.ReplaceRequests(project, [old]);
        Assert.Empty(await FakeSetup.ListAsync(client, project));
        _api.ClearRequests(project);
        Assert.Empty(_api.GetRequests(project));
    }
}
