using System.Collections;
using System.Net;
using System.Net.Http.Headers;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using UsageSdk.Testing;
using UsageSdk.Tests.Infrastructure;
using Xunit.Abstractions;

namespace UsageSdk.Tests.Internal;

/// <summary>
/// Fuzzed responses through the full client (Refit, handlers, pager, converters): 10,000+ seeded mutations of real
/// bodies (the fixtures and FakeUsageApi's answers) for every endpoint. Only a successful parse (whose every property
/// can be read) or a <see cref="UsageApiException"/> with the cause inside may come out: never
/// NullReferenceException, InvalidCastException, IndexOutOfRangeException, a hang or a stack overflow.
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output)
{
    public const int Cases = 10_000;
    public const int Seed = 20_250_301;

    public enum Api { Requests, Request, Summary, Breakdown, Fields }

    private sealed record Sample(Api Endpoint, string Name, byte[] Body);

    [Fact]
    public async Task Ten_thousand_mutated_bodies_give_a_result_or_a_UsageApiException()
    {
        var corpus = Corpus();
        var random = new Random(Seed);
        var outcomes = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var byKind = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var failures = new List<string>();
        var perEndpoint = new Dictionary<Api, int>();

        for (var i = 0; i < Cases; i++)
        {
            var sample = corpus[i % corpus.Count];
            var (kind, body) = JsonMutator.Mutate(sample.Body, random);
            byKind[kind] = byKind.GetValueOrDefault(kind) + 1;
            perEndpoint[sample.Endpoint] = perEndpoint.GetValueOrDefault(sample.Endpoint) + 1;
            // One case in ten is an error answer with a mutated body, in one of the shapes the API uses.
            var status = random.Next(10) == 0 ? new[] { 400, 401, 403, 404, 429, 500, 502, 503 }[random.Next(8)] : 200;
            var mediaType = new[] { "application/json", "application/json; charset=utf-8", "text/plain", "text/html", "application/octet-stream" }[random.Next(5)];

            var outcome = await RunCaseAsync(sample.Endpoint, body, status, mediaType);
            outcomes[outcome.Label] = outcomes.GetValueOrDefault(outcome.Label) + 1;
            if (outcome.Failure is { } f && failures.Count < 30)
            {
                failures.Add($"case {i} ({sample.Name}, {kind}, status {status}, {body.Length} bytes: {Preview(body)}): {f}");
            }
        }

        output.WriteLine($"{Cases} fuzz cases over {corpus.Count} real bodies (seed {Seed})");
        output.WriteLine("per endpoint: " + string.Join(", ", perEndpoint.OrderBy(p => p.Key).Select(p => $"{p.Key} {p.Value}")));
        output.WriteLine("per mutation: " + string.Join(", ", byKind.Select(p => $"{p.Key} {p.Value}")));
        output.WriteLine("outcomes: " + string.Join(", ", outcomes.Select(p => $"{p.Key} {p.Value}")));
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(Cases, outcomes.Values.Sum());
        Assert.All(Enum.GetValues<Api>(), e => Assert.True(perEndpoint.GetValueOrDefault(e) >= Cases / 10));
        Assert.Equal(JsonMutator.Kinds.Length, byKind.Count);
        // Both kinds of result occur: the fuzzer neither only breaks nor only keeps the bodies.
        Assert.Contains(outcomes, p => p.Key.StartsWith("ok", StringComparison.Ordinal) && p.Value > 100);
        Assert.Contains(outcomes, p => p.Key.StartsWith("UsageApiException", StringComparison.Ordinal) && p.Value > 100);
    }

    private readonly record struct Outcome(string Label, string? Failure);

    private static async Task<Outcome> RunCaseAsync(Api endpoint, byte[] body, int status, string mediaType)
    {
        var handler = new RecordingHandler
        {
            Respond = (_, _) =>
            {
                var content = new ByteArrayContent(body);
                content.Headers.ContentType = MediaTypeHeaderValue.Parse(mediaType);
                return Task.FromResult(new HttpResponseMessage((HttpStatusCode)status) { Content = content });
            },
        };
        var client = Clients.Create(handler, o => o.Retry.MaxRetries = 0);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)); // generous: it must never fire
        try
        {
            object? result = endpoint switch
            {
                Api.Requests => await FirstPageAsync(client, timeout.Token),
                Api.Request => await client.GetRequestAsync(Clients.Project, "r-1", timeout.Token),
                Api.Summary => await client.GetSummaryAsync(Clients.Project, null, timeout.Token),
                Api.Breakdown => await client.GetBreakdownAsync(Clients.Project, new UsageQuery().GroupBy(UsageGrouping.Models), timeout.Token),
                Api.Fields => await client.GetFieldsAsync(Clients.Project, null, null, timeout.Token),
                _ => throw new ArgumentOutOfRangeException(nameof(endpoint)),
            };
            if (status != 200)
            {
                return new("ok", $"status {status} gave a result instead of a UsageApiException");
            }
            try
            {
                Touch(result, 0);
            }
            catch (Exception e)
            {
                return new("ok, but reading it threw", $"reading the result threw {e}");
            }
            return new("ok", null);
        }
        catch (UsageApiException e)
        {
            if (status == 200)
            {
                return e.InnerException is null
                    ? new("UsageApiException without cause", "a UsageApiException for a 200 body has no inner exception: " + e.Message)
                    : e.Status != 200 ? new("UsageApiException", $"status {e.Status} instead of 200")
                    : new($"UsageApiException({e.InnerException.GetType().Name})", null);
            }
            return e.Status == status
                ? new($"UsageApiException({status})", null)
                : new("UsageApiException", $"status {e.Status} instead of {status}");
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return new("hang", "the call did not end within 60 s");
        }
        catch (Exception e)
        {
            return new(e.GetType().Name, $"{e.GetType().FullName}: {e.Message}\n{e.StackTrace}");
        }
    }

    private static async Task<IReadOnlyList<UsageRequest>> FirstPageAsync(UsageClient client, CancellationToken cancellationToken)
    {
        await foreach (var page in client.GetRequestsAsync(Clients.Project, cancellationToken: cancellationToken).AsPages(null, 1000).WithCancellation(cancellationToken))
        {
            return page.Values;
        }
        throw new InvalidOperationException("no page");
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, PropertyInfo[]> Properties = new();

    /// <summary>Reads every public property of a result, recursively (lazy getters included), and enumerates its lists.</summary>
    private static void Touch(object? value, int depth)
    {
        if (value is null || depth > 8 || value is string || value.GetType().IsPrimitive || value is decimal or DateTimeOffset or DateOnly or TimeSpan)
        {
            _ = value?.ToString();
            return;
        }
        if (value is JsonElement element)
        {
            _ = element.GetRawText();
            return;
        }
        if (value is IEnumerable list)
        {
            foreach (var item in list)
            {
                Touch(item, depth + 1);
            }
        }
        if (value is UsageRequest r)
        {
            // The config helpers parse the raw config on first use.
            _ = r.Response?.Details?.GetConfigString("model");
            _ = r.Response?.Details?.GetConfigBoolean("diarize");
            _ = r.Response?.Details?.GetConfigStrings("keywords");
        }
        var type = value.GetType();
        var ours = type.Namespace?.StartsWith("UsageSdk", StringComparison.Ordinal) == true;
        if (!ours && !type.IsGenericType)
        {
            return;
        }
        foreach (var p in Properties.GetOrAdd(type, static t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(x => x.GetIndexParameters().Length == 0).ToArray()))
        {
            Touch(p.GetValue(value), depth + 1);
        }
        if (ours)
        {
            // Raw JSON the client keeps (AdditionalProperties, Config) is read with GetRawText above: JsonElement.GetString()
            // throws on a lone surrogate escape by design of System.Text.Json.
            _ = value.ToString();
        }
    }

    // ---------------------------------------------------------------- the response size cap and the depth limit

    [Fact]
    public async Task A_body_over_MaxResponseBytes_with_its_length_announced_fails_without_being_read()
    {
        var stream = new CountingStream(long.MaxValue);
        var handler = new RecordingHandler
        {
            Respond = (_, _) =>
            {
                var content = new StreamContent(stream);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                content.Headers.ContentLength = 5L * 1024 * 1024 * 1024; // 5 GiB
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content });
            },
        };
        var client = Clients.Create(handler, o => { o.MaxResponseBytes = 1024 * 1024; o.Retry.MaxRetries = 0; });

        var e = await Assert.ThrowsAsync<UsageApiException>(() => client.GetSummaryAsync(Clients.Project));

        Assert.Contains("MaxResponseBytes", e.Message, StringComparison.Ordinal);
        Assert.NotNull(e.InnerException);
        Assert.Equal(0, stream.BytesRead);
    }

    [Theory]
    [InlineData(Api.Requests)]
    [InlineData(Api.Request)]
    [InlineData(Api.Summary)]
    [InlineData(Api.Breakdown)]
    [InlineData(Api.Fields)]
    public async Task An_endless_body_without_length_stops_at_MaxResponseBytes(Api endpoint)
    {
        const long cap = 256 * 1024;
        // A valid, never-ending JSON body: a string that never closes, inside the right shape.
        var prefix = endpoint switch
        {
            Api.Requests => """{"page":0,"limit":1000,"requests":[{"request_id":"r","path":" """,
            Api.Request => """{"request_id":"r","path":" """,
            Api.Fields => """{"tags":[" """,
            _ => """{"start":"2025-01-01","end":"2025-01-02","resolution":{"units":" """,
        };
        var stream = new CountingStream(long.MaxValue, Encoding.UTF8.GetBytes(prefix.TrimEnd()));
        var handler = new RecordingHandler
        {
            Respond = (_, _) =>
            {
                var content = new StreamContent(stream, 16 * 1024);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content });
            },
        };
        var client = Clients.Create(handler, o => { o.MaxResponseBytes = cap; o.Retry.MaxRetries = 0; });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var e = await Assert.ThrowsAsync<UsageApiException>(() => CallAsync(client, endpoint, timeout.Token));

        Assert.False(timeout.IsCancellationRequested);
        Assert.Contains("MaxResponseBytes", e.Message, StringComparison.Ordinal);
        Assert.Equal(200, e.Status);
        Assert.NotNull(e.InnerException);
        Assert.InRange(stream.BytesRead, cap, cap + 1); // read up to one byte past the cap, not on
    }

    [Fact]
    public async Task MaxResponseBytes_is_configurable_a_body_just_under_it_is_read()
    {
        var body = Encoding.UTF8.GetBytes("""{"tags":[""" + string.Join(",", Enumerable.Range(0, 20_000).Select(i => $"\"tag-{i}\"")) + "]}");
        var handler = new RecordingHandler { Respond = (_, _) => Task.FromResult(RecordingHandler.Bytes(body)) };

        var fits = await Clients.Create(handler, o => o.MaxResponseBytes = body.Length).GetFieldsAsync(Clients.Project);
        Assert.Equal(20_000, fits.Tags.Count);

        var e = await Assert.ThrowsAsync<UsageApiException>(() => Clients.Create(handler, o => { o.MaxResponseBytes = body.Length - 1; o.Retry.MaxRetries = 0; }).GetFieldsAsync(Clients.Project));
        Assert.Contains("MaxResponseBytes", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Api.Requests)]
    [InlineData(Api.Request)]
    [InlineData(Api.Summary)]
    [InlineData(Api.Breakdown)]
    [InlineData(Api.Fields)]
    public async Task MaxJsonDepth_is_configurable_and_enforced(Api endpoint)
    {
        // The same body, nested 100 levels deep in a place the models keep or skip (an unknown member).
        var deep = new string('[', 100) + new string(']', 100);
        var body = endpoint switch
        {
            Api.Requests => """{"page":0,"limit":1000,"requests":[{"request_id":"r","created":"2025-01-01T00:00:00Z","response":{"details":{"config":{"deep":""" + deep + "}}}}]}",
            Api.Request => """{"request_id":"r","created":"2025-01-01T00:00:00Z","response":{"details":{"config":{"deep":""" + deep + "}}}}",
            Api.Fields => $$"""{"tags":["a"],"extra":{{deep}}}""",
            _ => $$"""{"start":"2025-01-01","end":"2025-01-02","resolution":{"units":"day","amount":1},"results":[],"extra":{{deep}}}""",
        };
        var handler = new RecordingHandler { Respond = (_, _) => Task.FromResult(RecordingHandler.Json(body)) };

        var e = await Assert.ThrowsAsync<UsageApiException>(() => CallAsync(Clients.Create(handler, o => o.Retry.MaxRetries = 0), endpoint, default));
        Assert.IsAssignableFrom<JsonException>(e.InnerException);
        Assert.Contains("depth", e.InnerException!.Message, StringComparison.OrdinalIgnoreCase);

        var result = await CallAsync(Clients.Create(handler, o => o.MaxJsonDepth = 128), endpoint, default);
        Touch(result, 0); // a config deeper than the default is read (parsed lazily) with the client's limit too
    }

    [Fact]
    public async Task A_body_nested_a_million_levels_deep_is_refused_without_a_stack_overflow()
    {
        var body = new byte[2_000_000];
        body.AsSpan(0, 1_000_000).Fill((byte)'[');
        body.AsSpan(1_000_000).Fill((byte)']');
        var handler = new RecordingHandler { Respond = (_, _) => Task.FromResult(RecordingHandler.Bytes(body)) };
        foreach (var endpoint in Enum.GetValues<Api>())
        {
            var client = Clients.Create(handler, o => { o.MaxJsonDepth = 1024; o.Retry.MaxRetries = 0; });
            var e = await Assert.ThrowsAsync<UsageApiException>(() => CallAsync(client, endpoint, default));
            Assert.NotNull(e.InnerException);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    public async Task UTF8_split_across_reads_is_read_and_invalid_UTF8_anywhere_is_refused(int bytesPerRead)
    {
        string[] tags = ["café", "日本語", "emoji 😀", "€uro", "plain"];
        var good = Encoding.UTF8.GetBytes("""{"tags":[""" + string.Join(",", tags.Select(t => $"\"{t}\"")) + """],"extra":{"note":"naïve 😀"}}""");
        var handler = new RecordingHandler { Respond = (_, _) => Task.FromResult(Trickle(good, bytesPerRead)) };
        var fields = await Clients.Create(handler).GetFieldsAsync(Clients.Project);
        Assert.Equal(tags, fields.Tags);
        Touch(fields, 0);

        // The same body with one bad byte in a member the client keeps as raw JSON (or skips): refused, not handed out.
        byte[][] bad = [[0xFF], [0xC3, 0x28], [0xED, 0xA0, 0x80], [0xF0, 0x9F, 0x98, 0x22]];
        foreach (var b in bad)
        {
            var at = Array.IndexOf(good, (byte)'v'); // inside "naïve"
            byte[] body = [.. good.AsSpan(0, at), .. b, .. good.AsSpan(at)];
            handler.Respond = (_, _) => Task.FromResult(Trickle(body, bytesPerRead));
            var e = await Assert.ThrowsAsync<UsageApiException>(() => Clients.Create(handler, o => o.Retry.MaxRetries = 0).GetFieldsAsync(Clients.Project));
            Assert.IsAssignableFrom<JsonException>(e.InnerException);
            Assert.Contains("UTF-8", e.Message, StringComparison.Ordinal);
        }
    }

    private static HttpResponseMessage Trickle(byte[] body, int bytesPerRead)
    {
        var content = new StreamContent(new TrickleStream(body, bytesPerRead));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
    }

    public static async Task<object?> CallAsync(UsageClient client, Api endpoint, CancellationToken cancellationToken) => endpoint switch
    {
        Api.Requests => await FirstPageAsync(client, cancellationToken),
        Api.Request => await client.GetRequestAsync(Clients.Project, "r-1", cancellationToken),
        Api.Summary => await client.GetSummaryAsync(Clients.Project, null, cancellationToken),
        Api.Breakdown => await client.GetBreakdownAsync(Clients.Project, null, cancellationToken),
        Api.Fields => await client.GetFieldsAsync(Clients.Project, null, null, cancellationToken),
        _ => throw new ArgumentOutOfRangeException(nameof(endpoint)),
    };

    // ---------------------------------------------------------------- the corpus

    private static List<Sample> Corpus()
    {
        var samples = new List<Sample>();
        var dir = Path.Combine(AppContext.BaseDirectory, "Fixtures");
        void File(Api e, string name)
        {
            var path = Path.Combine(dir, name);
            if (System.IO.File.Exists(path))
            {
                samples.Add(new Sample(e, name, System.IO.File.ReadAllBytes(path)));
            }
        }
        File(Api.Requests, "requests-drift-page.json");
        File(Api.Request, "request-flat.json");
        File(Api.Request, "request-wrapped.json");
        File(Api.Summary, "summary.json");
        File(Api.Summary, "summary-no-results.json");
        File(Api.Breakdown, "breakdown.json");
        File(Api.Fields, "fields.json");
        File(Api.Fields, "fields-no-languages.json");

        // Real answers of the fake API (seeded): a page of request logs, one request, summary, breakdowns, fields.
        var api = new FakeUsageApi(new FakeUsageApiOptions { Seed = 7, Days = 3, RequestsPerDay = 40, TimeProvider = new FakeTimeProvider(new DateTimeOffset(2025, 3, 14, 15, 0, 0, TimeSpan.Zero)) });
        using var http = new HttpClient(api, disposeHandler: false) { BaseAddress = FakeUsageApi.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Token", "k");
        var p = $"/v1/projects/{FakeUsageApi.DemoProjectId}";
        byte[] Get(string path) => http.GetByteArrayAsync(path).GetAwaiter().GetResult();
        var page = Get($"{p}/requests?limit=12");
        samples.Add(new Sample(Api.Requests, "fake: requests page", page));
        var id = JsonDocument.Parse(page).RootElement.GetProperty("requests")[0].GetProperty("request_id").GetString();
        samples.Add(new Sample(Api.Request, "fake: request", Get($"{p}/requests/{id}")));
        samples.Add(new Sample(Api.Summary, "fake: summary", Get($"{p}/usage")));
        samples.Add(new Sample(Api.Breakdown, "fake: breakdown by models", Get($"{p}/usage/breakdown?grouping=models")));
        samples.Add(new Sample(Api.Breakdown, "fake: breakdown by tags", Get($"{p}/usage/breakdown?grouping=tags")));
        samples.Add(new Sample(Api.Fields, "fake: fields", Get($"{p}/usage/fields")));
        return samples;
    }

    private static string Preview(byte[] body)
    {
        var text = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 120));
        return System.Text.RegularExpressions.Regex.Replace(text, @"\s+", " ");
    }

    /// <summary>A body stream that hands out a few bytes per read.</summary>
    private sealed class TrickleStream(byte[] data, int perRead) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, perRead));

        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, perRead)]);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
            => base.ReadAsync(buffer[..Math.Min(buffer.Length, perRead)], cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            => base.ReadAsync(buffer, offset, Math.Min(count, perRead), cancellationToken);
    }

    /// <summary>A body stream that counts what was read: an optional prefix, then endless filler.</summary>
    private sealed class CountingStream(long length, byte[]? prefix = null) : Stream
    {
        private long _position;

        public long BytesRead => Interlocked.Read(ref _position);
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = (int)Math.Min(buffer.Length, length - _position);
            for (var i = 0; i < n; i++)
            {
                var at = _position + i;
                buffer[i] = prefix is not null && at < prefix.Length ? prefix[at] : (byte)'x';
            }
            Interlocked.Add(ref _position, n);
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
            => ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            => Task.FromResult(Read(buffer.AsSpan(offset, count)));
    }
}
