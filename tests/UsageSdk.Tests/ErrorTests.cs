using System.Net;
using System.Net.Sockets;
using UsageSdk.Tests.Infrastructure;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace UsageSdk.Tests;

/// <summary>The three error shapes, the request-id header, Retry-After on the exception, truncation, attempts and redaction (the Retry-After waits: Internal/RetryTests).</summary>
public sealed class ErrorTests(WireMockFixture wm) : CoreTestBase(wm)
{
    private const string SummaryPath = "/v1/projects/proj-1/usage";

    private void StubError(int status, string body, string contentType, params (string Name, string Value)[] headers)
    {
        var response = Response.Create().WithStatusCode(status).WithHeader("Content-Type", contentType).WithBody(body);
        foreach (var (name, value) in headers)
        {
            response = response.WithHeader(name, value);
        }
        Server.Given(Request.Create().WithPath("/v1/*").UsingGet()).RespondWith(response);
    }

    [Fact]
    public async Task A_text_plain_body_becomes_the_message_with_the_request_id_header()
    {
        StubError(404, "UUID parsing failed: invalid character: expected an optional prefix of `urn:uuid:`\n", "text/plain", ("dg-request-id", "hdr-req-1"));

        var e = await Assert.ThrowsAsync<UsageApiException>(() => NewClient().GetSummaryAsync(Project));

        Assert.Equal(404, e.Status);
        Assert.Null(e.ErrorCode);
        Assert.Equal("UUID parsing failed: invalid character: expected an optional prefix of `urn:uuid:`", e.ErrorMessage);
        Assert.Null(e.Details);
        Assert.Equal("hdr-req-1", e.RequestId);
        Assert.Null(e.RetryAfter);
        Assert.Equal("UUID parsing failed: invalid character: expected an optional prefix of `urn:uuid:`\n", e.ResponseContent);
        Assert.Equal(1, e.Attempts);
        Assert.Null(e.ContinuationToken);
        Assert.Contains("404", e.Message);
        Assert.Contains("UUID parsing failed", e.Message);
        Assert.Contains("hdr-req-1", e.Message);
    }

    [Fact]
    public async Task The_legacy_shape_gives_err_code_err_msg_request_id_and_Retry_After()
    {
        StubError(429, """{"err_code":"TOO_MANY_REQUESTS","err_msg":"Too many requests. Please try again later","request_id":"body-req-1"}""", "application/json",
            ("Retry-After", "7"), ("dg-request-id", "hdr-req-2"));

        var e = await Assert.ThrowsAsync<UsageApiException>(() => NewClient().GetSummaryAsync(Project));

        Assert.Equal(429, e.Status);
        Assert.Equal("TOO_MANY_REQUESTS", e.ErrorCode);
        Assert.Equal("Too many requests. Please try again later", e.ErrorMessage);
        Assert.Equal("body-req-1", e.RequestId); // the body's id wins over the header's
        Assert.Equal(TimeSpan.FromSeconds(7), e.RetryAfter);
        Assert.Null(e.Details);
        Assert.Equal(1, e.Attempts);
        Assert.Contains("TOO_MANY_REQUESTS", e.Message);
    }

    [Fact]
    public async Task The_legacy_shape_without_request_id_falls_back_to_the_x_dg_request_id_header()
    {
        StubError(404, """{"err_code":"PROJECT_NOT_FOUND","err_msg":"Project not found."}""", "application/json", ("x-dg-request-id", "hdr-req-3"));

        var e = await Assert.ThrowsAsync<UsageApiException>(() => NewClient().GetBreakdownAsync(Project));

        Assert.Equal(404, e.Status);
        Assert.Equal("PROJECT_NOT_FOUND", e.ErrorCode);
        Assert.Equal("Project not found.", e.ErrorMessage);
        Assert.Equal("hdr-req-3", e.RequestId);
    }

    [Fact]
    public async Task The_modern_shape_gives_category_message_details_and_request_id()
    {
        StubError(403, """{"category":"UNAUTHORIZED","message":"Authentication failed.","details":"The key lacks the usage:read scope.","request_id":"body-req-4"}""", "application/json");

        var e = await Assert.ThrowsAsync<UsageApiException>(() => NewClient().GetFieldsAsync(Project));

        Assert.Equal(403, e.Status);
        Assert.Equal("UNAUTHORIZED", e.ErrorCode);
        Assert.Equal("Authentication failed.", e.ErrorMessage);
        Assert.Equal("The key lacks the usage:read scope.", e.Details);
        Assert.Equal("body-req-4", e.RequestId);
    }

    [Fact]
    public async Task A_JSON_error_sent_as_text_plain_is_still_read_as_JSON()
    {
        StubError(400, """{"category":"INVALID_JSON","message":"Bad filter."}""", "text/plain");

        var e = await Assert.ThrowsAsync<UsageApiException>(() => NewClient().GetSummaryAsync(Project));

        Assert.Equal("INVALID_JSON", e.ErrorCode);
        Assert.Equal("Bad filter.", e.ErrorMessage);
    }

    [Fact]
    public async Task A_large_body_is_cut_at_8_KB()
    {
        var body = new string('x', 20_000);
        StubError(500, body, "text/plain");

        var e = await Assert.ThrowsAsync<UsageApiException>(() => NewClient().GetSummaryAsync(Project));

        Assert.Equal(8192, e.ResponseContent!.Length);
        Assert.Equal(body[..8192], e.ResponseContent);
        Assert.True(e.Message.Length < 1000, "the message stays short");
    }

    [Fact]
    public async Task Each_of_the_five_calls_maps_errors_the_same_way()
    {
        StubError(401, """{"err_code":"INVALID_AUTH","err_msg":"Invalid credentials.","request_id":"r-5"}""", "application/json");
        var client = NewClient();

        var errors = new List<UsageApiException>
        {
            await Assert.ThrowsAsync<UsageApiException>(async () => { await foreach (var _ in client.GetRequestsAsync(Project)) { } }),
            await Assert.ThrowsAsync<UsageApiException>(() => client.GetRequestAsync(Project, "req-1")),
            await Assert.ThrowsAsync<UsageApiException>(() => client.GetSummaryAsync(Project)),
            await Assert.ThrowsAsync<UsageApiException>(() => client.GetBreakdownAsync(Project)),
            await Assert.ThrowsAsync<UsageApiException>(() => client.GetFieldsAsync(Project)),
        };

        Assert.All(errors, e =>
        {
            Assert.Equal(401, e.Status);
            Assert.Equal("INVALID_AUTH", e.ErrorCode);
            Assert.Equal("Invalid credentials.", e.ErrorMessage);
            Assert.Equal("r-5", e.RequestId);
        });
        Assert.Equal(5, Sent.Count);
    }

    [Fact]
    public async Task Attempts_counts_every_try_of_a_retried_call()
    {
        StubError(503, """{"category":"UNAVAILABLE","message":"Try later."}""", "application/json");

        var e = await Assert.ThrowsAsync<UsageApiException>(() => NewClient(maxRetries: 2).GetSummaryAsync(Project));

        Assert.Equal(503, e.Status);
        Assert.Equal(3, e.Attempts);
        Assert.Equal(3, Sent.Count);
        Assert.Contains("Tried 3 times", e.Message);
    }

    [Fact]
    public async Task A_non_retried_status_is_tried_once()
    {
        StubError(400, "bad", "text/plain");

        var e = await Assert.ThrowsAsync<UsageApiException>(() => NewClient(maxRetries: 3).GetSummaryAsync(Project));

        Assert.Equal(1, e.Attempts);
        Assert.Single(Sent);
    }

    [Fact]
    public async Task No_response_at_all_is_status_0()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // nothing listens there now
        var client = new UsageClient(new UsageClientOptions { ApiKey = Key, BaseAddress = new Uri($"http://127.0.0.1:{port}"), Retry = new UsageRetryOptions { MaxRetries = 0 } });

        var e = await Assert.ThrowsAsync<UsageApiException>(() => client.GetSummaryAsync(Project));

        Assert.Equal(0, e.Status);
        Assert.Null(e.ResponseContent);
        Assert.NotNull(e.InnerException);
        Assert.Contains("could not be reached", e.Message);
    }

    [Fact]
    public async Task A_success_with_a_body_that_is_not_JSON_is_a_UsageApiException()
    {
        Server.Given(Request.Create().WithPath(SummaryPath).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithHeader("dg-request-id", "hdr-9").WithBody("<html>gateway</html>"));

        var e = await Assert.ThrowsAsync<UsageApiException>(() => NewClient().GetSummaryAsync(Project));

        Assert.Equal(200, e.Status);
        Assert.Equal("hdr-9", e.RequestId);
        Assert.IsAssignableFrom<System.Text.Json.JsonException>(e.InnerException);
    }

    [Fact]
    public async Task The_key_never_appears_in_the_exception_even_when_the_server_echoes_it()
    {
        StubError(401, $$"""{"err_code":"INVALID_AUTH","err_msg":"Invalid credentials: Token {{Key}}","request_id":"r-6"}""", "application/json");

        var e = await Assert.ThrowsAsync<UsageApiException>(() => NewClient().GetSummaryAsync(Project));

        Assert.DoesNotContain(Key, e.Message);
        Assert.DoesNotContain(Key, e.ToString());
        Assert.DoesNotContain(Key, e.ResponseContent);
        Assert.DoesNotContain(Key, e.ErrorMessage);
        Assert.Contains("[REDACTED]", e.ResponseContent);
    }

    [Fact]
    public async Task The_access_token_never_appears_in_the_exception()
    {
        const string Jwt = "eyJhbGciOiJIUzI1NiJ9.payload.signature";
        StubError(403, $"Bearer {Jwt} is expired", "text/plain");

        var e = await Assert.ThrowsAsync<UsageApiException>(() => NewClient(accessToken: Jwt).GetSummaryAsync(Project));

        Assert.DoesNotContain(Jwt, e.ToString());
        Assert.DoesNotContain(Jwt, e.ResponseContent);
    }

    [Fact]
    public void The_exception_constructors_and_factory_set_every_property()
    {
        var e = new UsageApiException("m", 418, "TEAPOT", "rid", new InvalidOperationException("inner"));
        var f = UsageModelFactory.UsageApiException(429, "TOO_MANY_REQUESTS", "slow down", "rid-2", TimeSpan.FromSeconds(3), "{}", 4, "v1.token");

        Assert.Equal((418, "TEAPOT", "rid"), (e.Status, e.ErrorCode, e.RequestId));
        Assert.IsType<InvalidOperationException>(e.InnerException);
        Assert.Equal(429, f.Status);
        Assert.Equal("TOO_MANY_REQUESTS", f.ErrorCode);
        Assert.Equal("slow down", f.ErrorMessage);
        Assert.Equal("rid-2", f.RequestId);
        Assert.Equal(TimeSpan.FromSeconds(3), f.RetryAfter);
        Assert.Equal("{}", f.ResponseContent);
        Assert.Equal(4, f.Attempts);
        Assert.Equal("v1.token", f.ContinuationToken);
        Assert.Contains("429", f.Message);
    }
}
