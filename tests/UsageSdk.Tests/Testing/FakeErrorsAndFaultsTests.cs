using System.Net;
using Microsoft.Extensions.Time.Testing;
using UsageSdk.Testing;

namespace UsageSdk.Tests.Testing;

/// <summary>Authentication, the three error shapes, fault injection and request recording.</summary>
public sealed class FakeErrorsAndFaultsTests
{
    private readonly FakeUsageApi _api = FakeSetup.Create(days: 2, perDay: 40);

    [Fact]
    public async Task Missing_authorization_is_401()
    {
        using var http = FakeSetup.Raw(_api, key: null);
        using var response = await http.GetAsync($"/v1/projects/{FakeSetup.P}/usage");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("INVALID_AUTH", await response.Content.ReadAsStringAsync());
        Assert.True(response.Headers.Contains("dg-request-id"));
    }

    [Fact]
    public async Task Accepted_keys_reject_other_keys()
    {
        var api = new FakeUsageApi(new FakeUsageApiOptions { Days = 1, AcceptedKeys = ["right-key"], TimeProvider = new FakeTimeProvider(FakeSetup.Now) });
        var wrong = api.CreateClient(o => { o.ApiKey = "wrong-key"; o.Retry.MaxRetries = 0; });
        var e = await Assert.ThrowsAsync<UsageApiException>(() => wrong.GetFieldsAsync(FakeSetup.P));
        Assert.Equal(401, e.Status);
        var right = api.CreateClient(o => o.ApiKey = "right-key");
        Assert.NotNull(await right.GetFieldsAsync(FakeSetup.P));
    }

    [Theory]
    [InlineData(FakeErrorShape.Legacy, "PROJECT_NOT_FOUND", "Project not found.")]
    [InlineData(FakeErrorShape.Modern, "NOT_FOUND", "Project not found.")]
    [InlineData(FakeErrorShape.Text, null, null)]
    public async Task Unknown_project_is_404_in_the_chosen_shape(FakeErrorShape shape, string? code, string? message)
    {
        var api = FakeSetup.Create(days: 1, perDay: 5, shape: shape);
        var client = FakeSetup.Client(api);
        var e = await Assert.ThrowsAsync<UsageApiException>(() => client.GetSummaryAsync("00000000-1111-4222-8333-444444444444"));
        Assert.Equal(404, e.Status);
        Assert.Equal(code, e.ErrorCode);
        if (message is not null)
        {
            Assert.Equal(message, e.ErrorMessage);
            Assert.NotNull(e.RequestId);
        }
        else
        {
            Assert.Equal("Project not found.", e.ResponseContent);
        }
    }

    [Fact]
    public async Task Project_id_that_is_not_a_uuid_is_a_text_404()
    {
        using var http = FakeSetup.Raw(_api);
        using var response = await http.GetAsync("/v1/projects/not-a-uuid/requests");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("UUID parsing failed", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task FailNext_answers_errors_then_recovers_and_the_client_retries()
    {
        _api.Faults.FailNext(2, 503);
        var client = _api.CreateClient(o => o.Retry.Delay = TimeSpan.Zero);
        var fields = await client.GetFieldsAsync(FakeSetup.P);

        Assert.NotEmpty(fields.Tags);
        Assert.Equal([503, 503, 200], _api.RecordedRequests.Select(r => r.StatusCode));
        Assert.Equal(0, _api.Faults.Pending);
    }

    [Fact]
    public async Task RateLimitNext_sends_429_with_retry_after()
    {
        _api.Faults.RateLimitNext(1, TimeSpan.FromSeconds(7));
        var e = await Assert.ThrowsAsync<UsageApiException>(() => FakeSetup.Client(_api).GetFieldsAsync(FakeSetup.P));
        Assert.Equal(429, e.Status);
        Assert.Equal(TimeSpan.FromSeconds(7), e.RetryAfter);
        Assert.Equal("TOO_MANY_REQUESTS", e.ErrorCode);
    }

    [Fact]
    public async Task Truncated_and_reset_bodies_fail_without_retries_and_are_read_again_with_them()
    {
        _api.Faults.TruncateNext(1, keepBytes: 40);
        var e = await Assert.ThrowsAsync<UsageApiException>(() => FakeSetup.Client(_api).GetFieldsAsync(FakeSetup.P));
        Assert.Equal(200, e.Status);

        _api.Faults.ResetNext(1, afterBytes: 20);
        var reset = await Assert.ThrowsAsync<UsageApiException>(() => FakeSetup.Client(_api).GetFieldsAsync(FakeSetup.P));
        Assert.IsAssignableFrom<IOException>(reset.InnerException);

        _api.ClearRecordedRequests();
        _api.Faults.ResetNext(1, afterBytes: 20);
        var fields = await _api.CreateClient(o => o.Retry.Delay = TimeSpan.Zero).GetFieldsAsync(FakeSetup.P);
        Assert.NotEmpty(fields.Models);
        Assert.Equal(2, _api.RecordedRequests.Count);
    }

    [Fact]
    public async Task Latency_runs_on_the_fake_clock()
    {
        var clock = new FakeTimeProvider(FakeSetup.Now);
        var api = FakeSetup.Create(days: 1, perDay: 5, clock: clock);
        api.Faults.Latency = TimeSpan.FromSeconds(2);
        var call = FakeSetup.Client(api).GetFieldsAsync(FakeSetup.P);
        await Task.Yield();
        Assert.False(call.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.NotNull(await call);
    }

    [Fact]
    public async Task Failure_rate_is_deterministic_for_a_seed()
    {
        async Task<List<int>> RunAsync()
        {
            var api = FakeSetup.Create(days: 1, perDay: 5);
            api.Faults.SetFailureRate(0.4, 500, seed: 3);
            using var http = FakeSetup.Raw(api);
            var codes = new List<int>();
            for (var i = 0; i < 30; i++)
            {
                using var response = await http.GetAsync($"/v1/projects/{FakeSetup.P}/usage/fields");
                codes.Add((int)response.StatusCode);
            }
            return codes;
        }

        var first = await RunAsync();
        Assert.Equal(first, await RunAsync());
        Assert.Contains(500, first);
        Assert.Contains(200, first);
    }

    [Fact]
    public async Task Faults_can_target_some_requests_only()
    {
        _api.Faults.AppliesTo = r => r.Path.EndsWith("/usage", StringComparison.Ordinal);
        _api.Faults.FailNext(1, 500);
        var client = FakeSetup.Client(_api);
        Assert.NotNull(await client.GetFieldsAsync(FakeSetup.P));
        var e = await Assert.ThrowsAsync<UsageApiException>(() => client.GetSummaryAsync(FakeSetup.P));
        Assert.Equal(500, e.Status);
    }

    [Fact]
    public async Task Requests_are_recorded_without_the_key()
    {
        var client = _api.CreateClient(o => o.ApiKey = "super-secret-key-123");
        await client.GetSummaryAsync(FakeSetup.P, new UsageQuery().Between(new DateOnly(2025, 3, 13), new DateOnly(2025, 3, 14)).WithTags("dev", "prod").WithFeature(UsageFeature.Diarize, false));

        var r = Assert.Single(_api.RecordedRequests);
        Assert.Equal("GET", r.Method);
        Assert.Equal($"/v1/projects/{FakeSetup.P}/usage", r.Path);
        Assert.Equal(["dev", "prod"], r.QueryValues("tag"));
        Assert.Equal(["false"], r.QueryValues("diarize"));
        Assert.Equal("2025-03-13", r.QueryValues("start").Single());
        Assert.Equal("Token [redacted]", r.Headers["Authorization"]);
        Assert.Contains("UsageSdk", r.Headers["User-Agent"]);
        Assert.DoesNotContain("super-secret-key-123", string.Join("|", r.Headers.Values) + r.Query + r);
        Assert.Equal(FakeSetup.Now, r.Time);
        Assert.Equal(200, r.StatusCode);
    }
}
