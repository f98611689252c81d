using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using UsageSdk.Internal;
using UsageSdk.Tests.Infrastructure;

namespace UsageSdk.Tests.Internal;

/// <summary>
/// The key goes to the API's origin only (issue 17). Two loopback servers on different ports: the API answers 302 to
/// the other, which answers 503. The client's own transport does not follow the redirect (a UsageApiException names the
/// target); a transport that follows it anyway never takes the key there, and every retry goes back to the API.
/// </summary>
public sealed class RedirectTests : IAsyncLifetime
{
    private const string Key = Clients.Key;
    private const string QuerySecret = "s3cr3t-signature-in-the-query";
    private readonly LoopbackServer _api;
    private readonly LoopbackServer _other;

    public RedirectTests()
    {
        _other = new LoopbackServer((_, s, ct) => LoopbackServer.AnswerAsync(s, 503, """{"err_code":"BUSY","err_msg":"busy"}""", ct));
        _api = new LoopbackServer((_, s, ct) => LoopbackServer.AnswerAsync(s, 302, "", ct, ("Location", Target + "?sig=" + QuerySecret)));
    }

    /// <summary>Where the API redirects to: the other server, another port of 127.0.0.1.</summary>
    private string Target => new Uri(_other.BaseAddress, "landing/usage").ToString();

    private void Configure(UsageClientOptions o)
    {
        o.ApiKey = Key;
        o.BaseAddress = _api.BaseAddress;
        o.Retry.MaxRetries = 2;
        o.Retry.Delay = TimeSpan.Zero;
    }

    [Fact]
    public async Task A_redirect_to_another_origin_is_not_followed_and_the_exception_names_the_target()
    {
        var options = new UsageClientOptions();
        Configure(options);

        var e = await Assert.ThrowsAsync<UsageApiException>(() => new UsageClient(options).GetSummaryAsync(Clients.Project));

        AssertRedirectRefused(e);
    }

    [Fact]
    public async Task A_redirect_to_another_origin_is_not_followed_under_AddUsageClient()
    {
        var services = new ServiceCollection();
        services.AddUsageClient(Configure);
        await using var provider = services.BuildServiceProvider();

        var e = await Assert.ThrowsAsync<UsageApiException>(() => provider.GetRequiredService<UsageClient>().GetSummaryAsync(Clients.Project));

        AssertRedirectRefused(e);
    }

    [Fact]
    public async Task A_transport_that_follows_redirects_never_takes_the_key_to_the_other_host_and_every_retry_goes_to_the_API()
    {
        using var following = new SocketsHttpHandler { AllowAutoRedirect = true };
        var options = new UsageClientOptions { Transport = following };
        Configure(options);

        var e = await Assert.ThrowsAsync<UsageApiException>(() => new UsageClient(options).GetSummaryAsync(Clients.Project));

        AssertFollowedWithoutTheKey(e);
    }

    [Fact]
    public async Task A_primary_handler_that_follows_redirects_under_AddUsageClient_never_takes_the_key_to_the_other_host()
    {
        var services = new ServiceCollection();
        services.AddUsageClient(Configure).ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = true });
        await using var provider = services.BuildServiceProvider();

        var e = await Assert.ThrowsAsync<UsageApiException>(() => provider.GetRequiredService<UsageClient>().GetSummaryAsync(Clients.Project));

        AssertFollowedWithoutTheKey(e);
    }

    [Theory]
    [InlineData("https://usage.example.invalid/v1/projects/p/usage", true)]
    [InlineData("https://USAGE.Example.Invalid:443/v1/projects/p/usage", true)]
    [InlineData("http://usage.example.invalid/v1/projects/p/usage", false)] // same host, plain http
    [InlineData("https://usage.example.invalid:8443/v1/projects/p/usage", false)]
    [InlineData("https://other.example.invalid/v1/projects/p/usage", false)]
    [InlineData("https://usage.example.invalid.attacker.example/v1/projects/p/usage", false)]
    public async Task The_auth_handler_sends_the_key_only_to_the_origin_of_BaseAddress(string uri, bool sent)
    {
        var transport = new RecordingHandler();
        using var invoker = new HttpMessageInvoker(new AuthHandler(Clients.Options(transport)) { InnerHandler = transport });
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Authorization = new AuthenticationHeaderValue("Token", Key); // as left by an earlier try

        using var _ = await invoker.SendAsync(request, CancellationToken.None);

        Assert.Equal(sent ? "Token " + Key : null, Assert.Single(transport.Authorizations));
    }

    private void AssertRedirectRefused(UsageApiException e)
    {
        Assert.Equal(302, e.Status);
        Assert.Equal(1, e.Attempts);
        Assert.Contains("redirected to " + Target + ";", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(QuerySecret, e.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Key, e.ToString(), StringComparison.Ordinal);
        Assert.Equal("Token " + Key, Assert.Single(_api.Requests).Header("Authorization"));
        Assert.Empty(_other.Requests);
    }

    private void AssertFollowedWithoutTheKey(UsageApiException e)
    {
        Assert.Equal(503, e.Status);
        Assert.Equal(3, e.Attempts);
        // Every try went to the API (with the key); the redirect's target got each of them without it.
        Assert.Equal(3, _api.Requests.Count);
        Assert.All(_api.Requests, r => Assert.Equal(("GET", "/v1/projects/" + Clients.Project + "/usage", "Token " + Key), (r.Method, r.Target, r.Header("Authorization"))));
        Assert.Equal(3, _other.Requests.Count);
        Assert.All(_other.Requests, r => Assert.Equal(("/landing/usage?sig=" + QuerySecret, null), (r.Target, r.Header("Authorization"))));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        await _other.DisposeAsync();
    }
}
