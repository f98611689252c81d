using UsageSdk.Tests.Infrastructure;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace UsageSdk.Tests;

/// <summary>Paths, the Authorization header, and construction of the client.</summary>
public sealed class TransportTests(WireMockFixture wm) : CoreTestBase(wm)
{
    private void StubAll()
    {
        Server.Given(Request.Create().WithPath("/*").UsingGet())
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody("""{"request_id":"r","requests":[]}"""));
    }

    private static async Task CallAllFiveAsync(UsageClient client)
    {
        await foreach (var _ in client.GetRequestsAsync("proj-1", new RequestsQuery().WithPageSize(1)))
        {
        }
        await client.GetRequestAsync("proj-1", "req-1");
        await client.GetSummaryAsync("proj-1");
        await client.GetBreakdownAsync("proj-1");
        await client.GetFieldsAsync("proj-1");
    }

    [Fact]
    public async Task Each_call_goes_to_its_path_with_GET()
    {
        StubAll();

        await CallAllFiveAsync(NewClient());

        Assert.Equal(
            ["/v1/projects/proj-1/requests", "/v1/projects/proj-1/requests/req-1", "/v1/projects/proj-1/usage", "/v1/projects/proj-1/usage/breakdown", "/v1/projects/proj-1/usage/fields"],
            Sent.Select(e => e.RequestMessage!.Path));
        Assert.All(Sent, e => Assert.Equal("GET", e.RequestMessage!.Method));
        Assert.Equal(["", "", "", ""], RawQueries.Skip(1)); // GET-one takes no query; the others send none without filters
    }

    [Fact]
    public async Task Ids_with_dots_dashes_and_underscores_go_into_the_path_unchanged()
    {
        StubAll();

        await NewClient().GetRequestAsync("a1b2c3d4-0000-4000-8000-00000000abcd", "req_1.v2");

        Assert.Equal("/v1/projects/a1b2c3d4-0000-4000-8000-00000000abcd/requests/req_1.v2", Assert.Single(Sent).RequestMessage!.Path);
    }

    [Fact]
    public async Task An_api_key_is_sent_as_Token()
    {
        StubAll();

        await CallAllFiveAsync(NewClient());

        Assert.Equal(5, Sent.Count);
        Assert.All(Sent, e => Assert.Equal($"Token {Key}", e.RequestMessage!.Headers!["Authorization"].Single()));
    }

    [Fact]
    public async Task An_access_token_is_sent_as_Bearer()
    {
        StubAll();

        await CallAllFiveAsync(NewClient(accessToken: "eyJhbGciOi.jwt-body.sig"));

        Assert.Equal(5, Sent.Count);
        Assert.All(Sent, e => Assert.Equal("Bearer eyJhbGciOi.jwt-body.sig", e.RequestMessage!.Headers!["Authorization"].Single()));
    }

    [Fact]
    public void The_key_only_constructor_targets_api_deepgram_com()
    {
        var client = new UsageClient("only-a-key-123456");

        Assert.Equal(new Uri("https://api.deepgram.com"), client.BaseAddress);
        Assert.Equal(UsageClientOptions.DefaultBaseAddress, new UsageClientOptions().BaseAddress);
    }

    [Fact]
    public async Task A_base_address_with_a_path_prefix_keeps_the_prefix()
    {
        StubAll();
        var client = new UsageClient(new UsageClientOptions
        {
            ApiKey = Key,
            BaseAddress = new Uri(Wm.BaseAddress, "/gateway/deepgram/"),
            Retry = new UsageRetryOptions { MaxRetries = 0 },
        });

        await client.GetSummaryAsync(Project);

        Assert.Equal("/gateway/deepgram/v1/projects/proj-1/usage", Assert.Single(Sent).RequestMessage!.Path);
    }

    [Fact]
    public async Task A_user_agent_product_is_appended()
    {
        StubAll();
        var client = new UsageClient(new UsageClientOptions { ApiKey = Key, BaseAddress = Wm.BaseAddress, UserAgent = "my-app/1.2" });

        await client.GetFieldsAsync(Project);

        var agent = string.Join(" ", Assert.Single(Sent).RequestMessage!.Headers!["User-Agent"]);
        Assert.StartsWith("UsageSdk/", agent);
        Assert.EndsWith("my-app/1.2", agent);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void A_missing_key_is_a_clear_error(string? key)
    {
        var e = Assert.Throws<ArgumentException>(() => new UsageClient(key!));
        Assert.Equal("apiKey", e.ParamName);
        Assert.Contains("API key is missing", e.Message);

        var o = Assert.Throws<ArgumentException>(() => new UsageClient(new UsageClientOptions { ApiKey = key, BaseAddress = Wm.BaseAddress }));
        Assert.Equal("options", o.ParamName);
        Assert.Contains("UsageClientOptions.ApiKey is not set", o.Message);
        Assert.Empty(Server.LogEntries);
    }

    [Fact]
    public void Both_a_key_and_a_token_are_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => new UsageClient(new UsageClientOptions { ApiKey = "k-123456", AccessToken = "t-123456" }));
        Assert.Contains("not both", e.Message);
    }

    [Fact]
    public void The_client_copies_its_options()
    {
        var options = new UsageClientOptions { ApiKey = Key, BaseAddress = Wm.BaseAddress };
        var client = new UsageClient(options);

        options.BaseAddress = new Uri("https://elsewhere.example");

        Assert.Equal(Wm.BaseAddress, client.BaseAddress);
    }

    [Fact]
    public void Neither_the_options_nor_the_client_show_the_credential()
    {
        var options = new UsageClientOptions { ApiKey = Key, BaseAddress = Wm.BaseAddress };
        var client = new UsageClient(options);
        var tokenOptions = new UsageClientOptions { AccessToken = "secret-jwt-value-42" };

        Assert.DoesNotContain(Key, options.ToString());
        Assert.Contains("API key (redacted)", options.ToString());
        Assert.DoesNotContain(Key, client.ToString());
        Assert.DoesNotContain("secret-jwt-value-42", tokenOptions.ToString());
        Assert.Contains("access token (redacted)", tokenOptions.ToString());
    }
}
