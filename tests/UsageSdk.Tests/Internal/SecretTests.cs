using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using UsageSdk.Tests.Infrastructure;

namespace UsageSdk.Tests.Internal;

/// <summary>
/// The API key never shows: not in exception messages (inner ones included), ToString() of options and client, logs at
/// every level (HttpClient's own logging on), activity tags, events and metric tags, even when the server echoes the
/// key back. And it is never sent over plain http to a host that is not loopback without the explicit opt-in.
/// </summary>
public sealed class SecretTests
{
    private const string Key = Clients.Key;
    private const string Token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJyZWwifQ.c2lnbmF0dXJlLXJlbC10b2tlbg";

    /// <summary>Server answers that echo the key back: in every error shape, escaped, in headers, and inside a 200 body that fails to parse.</summary>
    public static TheoryData<string> Echoes => new(EchoResponses.Keys);

    private static readonly Dictionary<string, Func<string, HttpResponseMessage>> EchoResponses = new()
    {
        ["text/plain 401"] = k => Text(HttpStatusCode.Unauthorized, $"Invalid credentials: Token {k} is not valid.", "text/plain"),
        ["legacy 401"] = k => Text(HttpStatusCode.Unauthorized, $$"""{"err_code":"INVALID_AUTH","err_msg":"Invalid key {{k}}","request_id":"{{k}}"}"""),
        ["modern 403"] = k => Text(HttpStatusCode.Forbidden, $$"""{"category":"{{k}}","message":"key {{k}} lacks usage:read","details":"Authorization: Token {{k}}","request_id":"r-1"}"""),
        ["JSON-escaped legacy 401"] = k => Text(HttpStatusCode.Unauthorized, $$"""{"err_code":"INVALID_AUTH","err_msg":"Invalid key {{Escape(k)}}"}"""),
        ["JSON-escaped modern 400"] = k => Text(HttpStatusCode.BadRequest, $$"""{"category":"INVALID","message":"bad","details":"{{Escape(k)}}"}"""),
        ["HTML 500"] = k => Text(HttpStatusCode.InternalServerError, $"<html><body>Token {k}</body></html>", "text/html"),
        ["key in the request-id header, 404"] = k => WithHeader(Text(HttpStatusCode.NotFound, "Project not found.", "text/plain"), "dg-request-id", k),
        ["key as Retry-After body, 429"] = k => Text(HttpStatusCode.TooManyRequests, $$"""{"err_code":"TOO_MANY_REQUESTS","err_msg":"slow down {{k}}"}"""),
        ["key in a date of a 200 body"] = k => Text(HttpStatusCode.OK, $$"""{"start":"{{k}}","end":"2025-01-02","results":[]}"""),
        ["key in a number of a 200 body"] = k => Text(HttpStatusCode.OK, $$"""{"start":"2025-01-01","end":"2025-01-02","results":[{"requests":"{{k}}"}]}"""),
        ["key in a 200 body cut short"] = k => Text(HttpStatusCode.OK, $$"""{"start":"2025-01-01","note":"{{k}}","results":[{"requests":1"""),
        ["key as the whole 200 body"] = k => Text(HttpStatusCode.OK, k, "text/plain"),
        ["key in a long error body"] = k => Text(HttpStatusCode.BadGateway, new string('x', 9000) + k + new string('y', 9000), "text/plain"),
    };

    [Theory]
    [MemberData(nameof(Echoes))]
    public async Task Exceptions_never_show_the_key_even_when_the_server_echoes_it(string echo)
    {
        foreach (var (secret, configure) in new (string, Action<UsageClientOptions>)[]
        {
            (Key, o => { }),
            (Token, o => { o.ApiKey = null; o.AccessToken = Token; }),
        })
        {
            var handler = new RecordingHandler { Respond = (_, _) => Task.FromResult(EchoResponses[echo](secret)) };
            var client = Clients.Create(handler, o => { configure(o); o.Retry.MaxRetries = 0; });

            var e = await Assert.ThrowsAsync<UsageApiException>(() => client.GetSummaryAsync(Clients.Project));

            AssertNoSecret(secret, Everything(e));
        }
    }

    [Fact]
    public async Task Exceptions_of_every_call_never_show_the_key()
    {
        var handler = new RecordingHandler { Respond = (_, _) => Task.FromResult(EchoResponses["legacy 401"](Key)) };
        var client = Clients.Create(handler, o => o.Retry.MaxRetries = 0);
        var calls = new Func<Task>[]
        {
            () => client.GetRequestAsync(Clients.Project, "r-1"),
            () => client.GetSummaryAsync(Clients.Project),
            () => client.GetBreakdownAsync(Clients.Project),
            () => client.GetFieldsAsync(Clients.Project),
            async () => { await foreach (var _ in client.GetRequestsAsync(Clients.Project)) { } },
        };
        foreach (var call in calls)
        {
            var e = await Assert.ThrowsAsync<UsageApiException>(call);
            AssertNoSecret(Key, Everything(e));
        }
        Assert.Equal(calls.Length, handler.Count);
        Assert.All(handler.Authorizations, a => Assert.Equal("Token " + Key, a)); // the key was sent, to the right host
    }

    [Fact]
    public void ToString_of_options_and_client_never_shows_the_key()
    {
        var withKey = Clients.Options(new RecordingHandler());
        var withToken = Clients.Options(new RecordingHandler(), o => { o.ApiKey = null; o.AccessToken = Token; });
        var texts = new[]
        {
            withKey.ToString(), withKey.Clone().ToString(), withKey.Retry.ToString(), new UsageClient(withKey).ToString(),
            withToken.ToString(), new UsageClient(withToken).ToString(), new UsageClient(Key).ToString(),
        };
        AssertNoSecret(Key, string.Join("\n", texts));
        AssertNoSecret(Token, string.Join("\n", texts));
        Assert.Contains("redacted", withKey.ToString(), StringComparison.Ordinal); // it says a credential is set
    }

    [Fact]
    public async Task Logs_at_every_level_with_HttpClient_logging_on_never_show_the_key()
    {
        var logs = new CapturingLoggerProvider();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        var n = 0;
        var handler = new RecordingHandler
        {
            // 503, 429, a reset body, then an error that echoes the key; then a success.
            Respond = (_, _) => Interlocked.Increment(ref n) switch
            {
                1 => Task.FromResult(Text(HttpStatusCode.ServiceUnavailable, $"busy {Key}", "text/plain")),
                2 => Task.FromResult(WithHeader(Text(HttpStatusCode.TooManyRequests, $$"""{"err_msg":"{{Key}}"}"""), "Retry-After", "0")),
                3 => Task.FromResult(EchoResponses["legacy 401"](Key)),
                _ => Task.FromResult(Text(HttpStatusCode.OK, """{"tags":["a"]}""")),
            },
        };
        services.AddUsageClient(o =>
        {
            o.ApiKey = Key;
            o.BaseAddress = Clients.Base;
            o.Transport = handler;
            o.Retry.Delay = TimeSpan.Zero;
            o.Retry.MaxRetryAfter = TimeSpan.Zero;
        });
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<UsageClient>();

        var e = await Assert.ThrowsAsync<UsageApiException>(() => client.GetSummaryAsync(Clients.Project)); // 503, 429, then 401
        var fields = await client.GetFieldsAsync(Clients.Project);
        provider.GetRequiredService<ILoggerFactory>().CreateLogger("test").LogError(e, "The call failed: {Message}", e.Message); // as an app would log it

        Assert.Equal(["a"], fields.Tags);
        Assert.Equal(4, handler.Count);
        var entries = logs.Entries;
        var all = string.Join("\n", entries.Select(x => $"{x.Level} {x.Category} {x.Text}"));
        // HttpClient's own logs are on, headers included (at Trace), for every try; and the SDK's retry logs.
        Assert.True(entries.Count(x => x.Category.StartsWith("System.Net.Http.HttpClient", StringComparison.Ordinal) && x.Level == LogLevel.Trace && x.Text.Contains("Request Headers", StringComparison.Ordinal)) >= 4, all);
        Assert.True(entries.Any(x => x.Category.StartsWith("UsageSdk", StringComparison.Ordinal) && x.Level == LogLevel.Warning), all);
        AssertNoSecret(Key, all);
    }

    [Fact]
    public async Task Logs_of_a_client_built_without_DI_never_show_the_key()
    {
        var logs = new CapturingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        var n = 0;
        var handler = new RecordingHandler
        {
            Respond = (_, _) => Task.FromResult(Interlocked.Increment(ref n) < 3
                ? Text(HttpStatusCode.BadGateway, $"Token {Key}", "text/plain")
                : EchoResponses["modern 403"](Key)),
        };
        var logging = new LoggingHandler(factory.CreateLogger("http")) { InnerHandler = handler };
        var client = Clients.Create(logging, o => { o.LoggerFactory = factory; o.Retry.Delay = TimeSpan.Zero; });

        await Assert.ThrowsAsync<UsageApiException>(() => client.GetBreakdownAsync(Clients.Project));

        Assert.Equal(3, handler.Count);
        Assert.Contains(logs.Entries, x => x.Category == "UsageSdk.UsageClient");
        AssertNoSecret(Key, string.Join("\n", logs.Entries.Select(x => x.Text)));
    }

    [Fact]
    public async Task Activities_and_metrics_never_carry_the_key()
    {
        var texts = new ConcurrentQueue<string>();
        using var activities = new ActivityListener
        {
            ShouldListenTo = s => s.Name.StartsWith("UsageSdk", StringComparison.Ordinal) || s.Name.StartsWith("System.Net", StringComparison.Ordinal),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                var b = new StringBuilder($"{a.Source.Name} {a.OperationName} {a.DisplayName} {a.StatusDescription}");
                foreach (var t in a.TagObjects)
                {
                    b.Append($" {t.Key}={t.Value}");
                }
                foreach (var ev in a.Events)
                {
                    b.Append($" event {ev.Name}");
                    foreach (var t in ev.Tags)
                    {
                        b.Append($" {t.Key}={t.Value}");
                    }
                }
                foreach (var bag in a.Baggage)
                {
                    b.Append($" baggage {bag.Key}={bag.Value}");
                }
                texts.Enqueue(b.ToString());
            },
        };
        ActivitySource.AddActivityListener(activities);
        using var meters = new MeterListener
        {
            InstrumentPublished = (i, l) =>
            {
                if (i.Meter.Name.StartsWith("UsageSdk", StringComparison.Ordinal) || i.Meter.Name.StartsWith("System.Net", StringComparison.Ordinal))
                {
                    l.EnableMeasurementEvents(i);
                }
            },
        };
        void Record<T>(Instrument i, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
        {
            var b = new StringBuilder($"{i.Meter.Name} {i.Name} {value}");
            foreach (var t in tags)
            {
                b.Append($" {t.Key}={t.Value}");
            }
            texts.Enqueue(b.ToString());
        }
        meters.SetMeasurementEventCallback<long>(Record);
        meters.SetMeasurementEventCallback<double>(Record);
        meters.SetMeasurementEventCallback<int>(Record);
        meters.Start();

        var n = 0;
        var handler = new RecordingHandler
        {
            Respond = (_, _) => Task.FromResult(Interlocked.Increment(ref n) switch
            {
                1 => Text(HttpStatusCode.InternalServerError, $"Token {Key}", "text/plain"),
                2 => EchoResponses["legacy 401"](Key),
                3 => Text(HttpStatusCode.OK, """{"page":0,"limit":2,"requests":[{"request_id":"a"},{"request_id":"b"}]}"""),
                _ => Text(HttpStatusCode.OK, """{"page":1,"limit":2,"requests":[]}"""),
            }),
        };
        var client = Clients.Create(handler, o => o.Retry.Delay = TimeSpan.Zero);
        await Assert.ThrowsAsync<UsageApiException>(() => client.GetFieldsAsync(Clients.Project));
        var items = 0;
        await foreach (var _ in client.GetRequestsAsync(Clients.Project, new RequestsQuery().WithPageSize(2)))
        {
            items++;
        }
        meters.RecordObservableInstruments();

        Assert.Equal(2, items);
        var all = string.Join("\n", texts);
        Assert.Contains("UsageClient.GetFields", all, StringComparison.Ordinal); // the listeners did see the calls
        Assert.Contains("usage.client.calls", all, StringComparison.Ordinal);
        AssertNoSecret(Key, all);
    }

    [Theory]
    [InlineData("http://api.deepgram.com")]
    [InlineData("http://usage.example.com:8080/base/")]
    [InlineData("http://10.1.2.3")]
    [InlineData("http://[2001:db8::1]")]
    [InlineData("http://localhost.example.net")]
    public async Task Plain_http_to_a_host_that_is_not_loopback_is_refused_unless_allowed(string address)
    {
        var handler = new RecordingHandler { Respond = (_, _) => Task.FromResult(Text(HttpStatusCode.OK, """{"tags":[]}""")) };

        var e = Assert.Throws<ArgumentException>(() => Clients.Create(handler, o => o.BaseAddress = new Uri(address)));
        Assert.Equal("options", e.ParamName);
        Assert.Contains("AllowInsecureTransport", e.Message, StringComparison.Ordinal);

        var services = new ServiceCollection();
        services.AddUsageClient(o => { o.ApiKey = Key; o.BaseAddress = new Uri(address); o.Transport = handler; });
        await using (var provider = services.BuildServiceProvider())
        {
            var v = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<UsageClient>());
            Assert.Contains("AllowInsecureTransport", v.Message, StringComparison.Ordinal);
        }
        Assert.Equal(0, handler.Count);

        // With the explicit opt-in the key goes out.
        await Clients.Create(handler, o => { o.BaseAddress = new Uri(address); o.AllowInsecureTransport = true; }).GetFieldsAsync(Clients.Project);
        var sent = Assert.Single(handler.Requests);
        Assert.Equal("http", sent.RequestUri!.Scheme);
        Assert.Equal("Token " + Key, Assert.Single(handler.Authorizations));
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000")]
    [InlineData("http://127.8.9.10")]
    [InlineData("http://localhost:8080")]
    [InlineData("http://[::1]:9000")]
    [InlineData("https://api.deepgram.com")]
    public async Task Https_and_loopback_need_no_opt_in(string address)
    {
        var handler = new RecordingHandler { Respond = (_, _) => Task.FromResult(Text(HttpStatusCode.OK, """{"tags":[]}""")) };
        await Clients.Create(handler, o => o.BaseAddress = new Uri(address)).GetFieldsAsync(Clients.Project);
        Assert.Single(handler.Requests);
    }

    // ---------------------------------------------------------------- helpers

    private static string Escape(string s) => string.Concat(s.Select(c => $"\\u{(int)c:x4}"));

    private static HttpResponseMessage Text(HttpStatusCode status, string body, string mediaType = "application/json")
        => new(status) { Content = new StringContent(body, Encoding.UTF8, mediaType) };

    private static HttpResponseMessage WithHeader(HttpResponseMessage response, string name, string value)
    {
        response.Headers.TryAddWithoutValidation(name, value);
        return response;
    }

    /// <summary>Everything an exception exposes: its and its inner exceptions' messages, ToString() (with stack traces), properties and Data.</summary>
    private static string Everything(Exception e)
    {
        var b = new StringBuilder(e.ToString());
        for (var x = e; x is not null; x = x.InnerException)
        {
            b.Append('\n').Append(x.GetType().FullName).Append(": ").Append(x.Message);
            foreach (System.Collections.DictionaryEntry d in x.Data)
            {
                b.Append($"\n{d.Key}={d.Value}");
            }
        }
        if (e is UsageApiException u)
        {
            b.Append($"\n{u.ErrorCode}\n{u.ErrorMessage}\n{u.Details}\n{u.RequestId}\n{u.ResponseContent}\n{u.ContinuationToken}");
        }
        return b.ToString();
    }

    private static void AssertNoSecret(string secret, string text)
    {
        var at = text.IndexOf(secret, StringComparison.Ordinal);
        Assert.True(at < 0, $"The secret shows: …{text[Math.Max(0, at - 120)..Math.Min(text.Length, at + secret.Length + 40)]}…");
        // Nor a recognisable part of it (the client may shorten long values).
        Assert.DoesNotContain(secret[..24], text, StringComparison.Ordinal);
    }

    /// <summary>A logging handler like IHttpClientFactory's (request line and every header, at Trace).</summary>
    private sealed class LoggingHandler(ILogger logger) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            // The SDK's auth handler is inside the SDK's chain (this handler is the transport under it), so the header is set here;
            // a logging handler that is told which headers are credentials redacts them, as IHttpClientFactory's does.
            var headers = string.Join("; ", request.Headers.Select(h => h.Key + ": " + (h.Key == "Authorization" ? "*" : string.Join(",", h.Value))));
            logger.LogTrace("Sending {Method} {Uri} {Headers}", request.Method, request.RequestUri, headers);
            var response = await base.SendAsync(request, cancellationToken);
            logger.LogTrace("Received {Status} {Headers}", (int)response.StatusCode, string.Join("; ", response.Headers.Select(h => h.Key + ": " + string.Join(",", h.Value))));
            return response;
        }
    }
}
