using System.Net;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using UsageSdk.Tests.Infrastructure;

namespace UsageSdk.Tests.DependencyInjection;

/// <summary>AddUsageClient in a Generic Host: configuration from JSON, validation at start, named/keyed registrations.</summary>
public sealed class HostingTests : IClassFixture<WireMockFixture>
{
    private const string KeyA = "dg-test-key-4f1c-hosting-aaaa";
    private const string KeyB = "dg-test-key-4f1c-hosting-bbbb";
    private readonly WireMockFixture _wm;

    public HostingTests(WireMockFixture wm)
    {
        _wm = wm;
        _wm.Server.Reset();
    }

    private static HostApplicationBuilder Builder(string json)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json)));
        return builder;
    }

    [Fact]
    public async Task A_host_registers_the_client_in_one_line_from_appsettings_json_and_it_works()
    {
        var path = TestApi.SummaryPath("proj-host-json");
        _wm.Sequence(path, TestApi.Ok());
        var builder = Builder($$"""
            {
              "UsageSdk": {
                "ApiKey": "{{KeyA}}",
                "BaseAddress": "{{_wm.BaseAddress}}",
                "Timeout": "00:00:42",
                "UserAgent": "host-test/1.0",
                "Retry": { "MaxRetries": 5, "Delay": "00:00:00.250", "MaxRetryAfter": "00:00:09", "TryTimeout": "00:00:11" },
                "LogStates": { "PendingFor": "00:05:00" }
              }
            }
            """);

        builder.Services.AddUsageClient(builder.Configuration.GetSection("UsageSdk"));

        using var host = builder.Build();
        await host.StartAsync();
        var client = host.Services.GetRequiredService<UsageClient>();
        var summary = await client.GetSummaryAsync("proj-host-json");
        await host.StopAsync();

        Assert.Equal(2, summary.Results.Count);
        Assert.Equal(["Token " + KeyA], _wm.AuthorizationHeaders(path));
        var agent = _wm.Server.LogEntries.Single(e => e.RequestMessage?.Path == path).RequestMessage!.Headers!["User-Agent"].ToString();
        Assert.Contains("host-test/1.0", agent);
        Assert.Equal(_wm.BaseAddress, client.BaseAddress);
        var o = client.Options;
        Assert.Equal(TimeSpan.FromSeconds(42), o.Timeout);
        Assert.Equal(5, o.Retry.MaxRetries);
        Assert.Equal(TimeSpan.FromMilliseconds(250), o.Retry.Delay);
        Assert.Equal(TimeSpan.FromSeconds(9), o.Retry.MaxRetryAfter);
        Assert.Equal(TimeSpan.FromSeconds(11), o.Retry.TryTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), o.Retry.MaxDelay); // absent key keeps the default
        Assert.Equal(TimeSpan.FromMinutes(5), o.LogStates.PendingFor);
    }

    [Fact]
    public async Task Invalid_options_fail_at_start_with_messages_naming_the_settings()
    {
        var builder = Builder("""{ "UsageSdk": { "BaseAddress": "https://api.deepgram.com", "Retry": { "MaxRetries": 99 } } }""");
        builder.Services.AddUsageClient(builder.Configuration.GetSection("UsageSdk"));
        using var host = builder.Build(); // building does not resolve the options yet

        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("UsageClientOptions.ApiKey is not set", e.Message);
        Assert.Contains("UsageClientOptions.Retry.MaxRetries must be from 0 to 20", e.Message);
        Assert.Contains("configuration section 'UsageSdk'", e.Message);
    }

    [Fact]
    public async Task A_malformed_base_address_fails_at_start_naming_the_setting()
    {
        var builder = Builder("""{ "Usage": { "ApiKey": "dg-test-key-4f1c-hosting-cccc", "BaseAddress": "not a url" } }""");
        builder.Services.AddUsageClient("main", builder.Configuration.GetSection("Usage"));
        using var host = builder.Build();

        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("UsageClient 'main' (configuration section 'Usage'): UsageClientOptions.BaseAddress 'not a url' is not an absolute URI", e.Message);
    }

    [Fact]
    public async Task Invalid_options_in_code_fail_at_start_and_the_key_is_not_in_the_message()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddUsageClient("x", o => { o.ApiKey = "dg-test-key-4f1c-hosting-dddd"; o.AccessToken = "dg-test-token-4f1c-hosting-eeee"; o.Timeout = TimeSpan.Zero; });
        using var host = builder.Build();

        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("UsageClient 'x': Set UsageClientOptions.ApiKey or UsageClientOptions.AccessToken, not both.", e.Message);
        Assert.Contains("UsageClientOptions.Timeout must be positive", e.Message);
        Assert.DoesNotContain("dg-test-key-4f1c", e.Message);
        Assert.DoesNotContain("dg-test-token-4f1c", e.Message);
    }

    [Fact]
    public async Task Two_named_registrations_do_not_share_keys_addresses_or_retry_policies()
    {
        using var other = new WireMockFixture();
        var pathA = TestApi.SummaryPath("proj-a");
        var pathB = TestApi.SummaryPath("proj-b");
        _wm.Sequence(pathA, TestApi.Status(503));
        other.Sequence(pathB, TestApi.Status(503));
        var services = new ServiceCollection();
        services.AddUsageClient("a", o => { o.ApiKey = KeyA; o.BaseAddress = _wm.BaseAddress; o.Retry.MaxRetries = 0; });
        services.AddUsageClient("b", o => { o.ApiKey = KeyB; o.BaseAddress = other.BaseAddress; o.Retry.MaxRetries = 2; o.Retry.Delay = TimeSpan.Zero; });
        services.AddTransient<NeedsB>();
        using var sp = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });

        var a = sp.GetRequiredKeyedService<UsageClient>("a");
        var b = sp.GetRequiredService<NeedsB>().Client; // [FromKeyedServices("b")]
        var ea = await Assert.ThrowsAsync<UsageApiException>(() => a.GetSummaryAsync("proj-a"));
        var eb = await Assert.ThrowsAsync<UsageApiException>(() => b.GetSummaryAsync("proj-b"));

        Assert.Equal(1, ea.Attempts);
        Assert.Equal(3, eb.Attempts);
        Assert.Equal(["Token " + KeyA], _wm.AuthorizationHeaders(pathA));
        Assert.Equal(Enumerable.Repeat("Token " + KeyB, 3), other.AuthorizationHeaders(pathB));
        Assert.Equal(0, _wm.Hits(pathB));
        Assert.Equal(0, other.Hits(pathA));
        Assert.Null(sp.GetService<UsageClient>()); // only named clients were registered
    }

    private sealed class NeedsB([FromKeyedServices("b")] UsageClient client)
    {
        public UsageClient Client { get; } = client;
    }

    [Fact]
    public void The_client_is_transient_and_the_factory_makes_named_clients()
    {
        var services = new ServiceCollection();
        services.AddUsageClient(o => o.ApiKey = KeyA);
        services.AddUsageClient("b", o => { o.ApiKey = KeyB; o.BaseAddress = new Uri("https://b.example.test"); });
        using var sp = services.BuildServiceProvider();

        Assert.NotSame(sp.GetRequiredService<UsageClient>(), sp.GetRequiredService<UsageClient>());
        var factory = sp.GetRequiredService<IUsageClientFactory>();
        Assert.Same(factory, sp.GetRequiredService<IUsageClientFactory>()); // singleton: safe to hold in a hosted service
        Assert.Equal(new Uri("https://b.example.test"), factory.CreateClient("b").BaseAddress);
        Assert.Equal(UsageClientOptions.DefaultBaseAddress, factory.CreateClient("").BaseAddress);
        var e = Assert.Throws<InvalidOperationException>(() => factory.CreateClient("c"));
        Assert.Contains("No UsageClient named 'c'", e.Message);
        Assert.Contains("'b'", e.Message);
    }

    [Fact]
    public async Task Handlers_added_on_the_builder_run_per_try_inside_the_retries_and_never_see_the_key()
    {
        var path = TestApi.SummaryPath("proj-user-handler");
        _wm.Sequence(path, TestApi.Status(503), TestApi.Status(503), TestApi.Ok());
        var seen = new SpyHandler();
        var services = new ServiceCollection();
        services.AddUsageClient(o => { o.ApiKey = KeyA; o.BaseAddress = _wm.BaseAddress; o.Retry.Delay = TimeSpan.Zero; })
            .AddHttpMessageHandler(() => seen);
        using var sp = services.BuildServiceProvider();

        await sp.GetRequiredService<UsageClient>().GetSummaryAsync("proj-user-handler");

        Assert.Equal(3, seen.Calls);
        Assert.Equal(3, _wm.Hits(path));
        Assert.False(seen.SawAuthorization);
    }

    private sealed class SpyHandler : DelegatingHandler
    {
        public int Calls;
        public bool SawAuthorization;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Calls);
            SawAuthorization |= request.Headers.Authorization is not null;
            return base.SendAsync(request, cancellationToken);
        }
    }

    [Fact]
    public async Task Retries_can_be_replaced_by_the_users_own_and_attempts_still_count_every_try()
    {
        var path = TestApi.SummaryPath("proj-replaced");
        _wm.Sequence(path, TestApi.Status(503));
        var services = new ServiceCollection();
        services.AddUsageClient(o => { o.ApiKey = KeyA; o.BaseAddress = _wm.BaseAddress; o.Retry.Enabled = false; })
            .AddHttpMessageHandler(() => new FixedRetryHandler(tries: 4));
        using var sp = services.BuildServiceProvider();

        var e = await Assert.ThrowsAsync<UsageApiException>(() => sp.GetRequiredService<UsageClient>().GetSummaryAsync("proj-replaced"));

        Assert.Equal(503, e.Status);
        Assert.Equal(4, e.Attempts); // counted by the SDK's innermost handler, under the user's retry handler
        Assert.Equal(4, _wm.Hits(path)); // the SDK's own retry handler (3 retries by default) is gone
    }

    /// <summary>A stand-in for Microsoft.Extensions.Http.Resilience or any user policy: tries a fixed number of times.</summary>
    private sealed class FixedRetryHandler(int tries) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            for (var i = 1; ; i++)
            {
                var response = await base.SendAsync(request, cancellationToken);
                if ((int)response.StatusCode < 500 || i == tries)
                {
                    return response;
                }
                response.Dispose();
            }
        }
    }

    [Fact]
    public async Task Registering_the_same_name_twice_adds_configuration_not_a_second_handler_chain()
    {
        var path = TestApi.SummaryPath("proj-twice");
        _wm.Sequence(path, TestApi.Status(503));
        var services = new ServiceCollection();
        services.AddUsageClient(o => { o.ApiKey = KeyA; o.Retry.MaxRetries = 1; o.Retry.Delay = TimeSpan.Zero; });
        services.AddUsageClient(o => o.BaseAddress = _wm.BaseAddress);
        using var sp = services.BuildServiceProvider();

        var e = await Assert.ThrowsAsync<UsageApiException>(() => sp.GetRequiredService<UsageClient>().GetSummaryAsync("proj-twice"));

        Assert.Equal(2, e.Attempts);
        Assert.Equal(2, _wm.Hits(path)); // two retry handlers would have made 4
    }

    [Fact]
    public async Task TimeProvider_and_logger_factory_come_from_the_container()
    {
        var path = TestApi.SummaryPath("proj-container-time");
        _wm.Sequence(path, TestApi.Status(429).WithHeader("Retry-After", "3"), TestApi.Ok());
        var time = new RecordingTimeProvider();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddLogging();
        services.AddUsageClient(o => { o.ApiKey = KeyA; o.BaseAddress = _wm.BaseAddress; o.Retry.TryTimeout = RecordingTimeProvider.TryTimeout; });
        using var sp = services.BuildServiceProvider();
        var client = sp.GetRequiredService<UsageClient>();

        var call = client.GetSummaryAsync("proj-container-time");
        Assert.Equal(TimeSpan.FromSeconds(3), await time.NextWaitAsync());
        time.Advance(TimeSpan.FromSeconds(3));
        await call;

        Assert.Same(time, client.Options.TimeProvider);
        Assert.Same(sp.GetRequiredService<ILoggerFactory>(), client.Options.LoggerFactory);
    }

    [Fact]
    public async Task A_transport_in_the_options_is_the_primary_handler_under_DI()
    {
        var transport = new StaticHandler();
        var services = new ServiceCollection();
        services.AddUsageClient(o => { o.ApiKey = KeyA; o.Transport = transport; });
        using var sp = services.BuildServiceProvider();

        var summary = await sp.GetRequiredService<UsageClient>().GetSummaryAsync("proj-transport");

        Assert.Equal(2, summary.Results.Count);
        Assert.Equal("https://api.deepgram.com/v1/projects/proj-transport/usage", transport.LastUri?.ToString());
        Assert.Equal("Token " + KeyA, transport.LastAuthorization);
    }

    private sealed class StaticHandler : HttpMessageHandler
    {
        public Uri? LastUri;
        public string? LastAuthorization;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            LastUri = request.RequestUri;
            LastAuthorization = request.Headers.Authorization?.ToString();
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(TestApi.SummaryJson, Encoding.UTF8, "application/json") });
        }
    }

    [Fact]
    public void Every_configurable_option_can_come_from_configuration()
    {
        // Guards UsageClientSettings (the source-generated binding shape) against options added later and forgotten.
        var notFromConfiguration = new[] { nameof(UsageClientOptions.TimeProvider), nameof(UsageClientOptions.LoggerFactory), nameof(UsageClientOptions.Transport) };
        var expected = typeof(UsageClientOptions).GetProperties().Where(p => p.CanWrite).Select(p => p.Name).Except(notFromConfiguration).Order();
        var settings = typeof(UsageClient).Assembly.GetType("UsageSdk.Internal.UsageClientSettings", throwOnError: true)!;
        Assert.Equal(expected, settings.GetProperties().Select(p => p.Name).Order());
        var retry = settings.GetNestedType("RetrySettings", System.Reflection.BindingFlags.NonPublic)!;
        Assert.Equal(typeof(UsageRetryOptions).GetProperties().Where(p => p.CanWrite).Select(p => p.Name).Order(), retry.GetProperties().Select(p => p.Name).Order());
    }

    [Fact]
    public void Registration_arguments_are_checked()
    {
        var services = new ServiceCollection();
        Assert.Throws<ArgumentException>(() => services.AddUsageClient(" ", o => { }));
        Assert.Throws<ArgumentNullException>(() => services.AddUsageClient((Action<UsageClientOptions>)null!));
        Assert.Throws<ArgumentNullException>(() => services.AddUsageClient((IConfiguration)null!));
    }
}
