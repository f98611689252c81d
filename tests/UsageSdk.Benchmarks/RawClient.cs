using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace UsageSdk.Benchmarks;

/// <summary>
/// The anchor: the client a skilled engineer would write by hand. One <see cref="HttpClient"/>,
/// <see cref="HttpCompletionOption.ResponseHeadersRead"/>, System.Text.Json source-generated DTOs deserialized straight
/// from the response stream, page after page (or with a fixed number of pages in flight). It types every field the SDK
/// exposes except <c>config</c>, which it skips (a hand-written client that wanted it would pay for a
/// <see cref="JsonElement"/> per item). No retries, no telemetry, no de-duplication, no log states.
/// </summary>
public sealed class RawClient : IDisposable
{
    private readonly HttpClient _http;

    public RawClient(Uri baseAddress)
    {
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), AutomaticDecompression = DecompressionMethods.All })
        {
            BaseAddress = baseAddress,
        };
        _http.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Token bench-key");
    }

    /// <summary>Reads every page, one after the other, calling <paramref name="onItem"/> for each request.</summary>
    public async Task<long> ReadAllAsync(string project, int limit, Action<RawRequest> onItem, CancellationToken cancellationToken = default)
    {
        var end = PinnedEnd();
        long count = 0;
        for (var page = 0; ; page++)
        {
            var items = await FetchAsync(project, end, limit, page, cancellationToken).ConfigureAwait(false);
            foreach (var item in items)
            {
                onItem(item);
                count++;
            }
            if (items.Count < limit)
            {
                return count;
            }
        }
    }

    /// <summary>Reads every page with up to <paramref name="inFlight"/> pages requested ahead, yielding in page order.</summary>
    public async Task<long> ReadAllPrefetchAsync(string project, int limit, int inFlight, Action<RawRequest> onItem, CancellationToken cancellationToken = default)
    {
        var end = PinnedEnd();
        long count = 0;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var queue = new Queue<Task<List<RawRequest>>>();
        var next = 0;
        try
        {
            while (true)
            {
                while (queue.Count < inFlight)
                {
                    queue.Enqueue(FetchAsync(project, end, limit, next++, cts.Token));
                }
                var items = await queue.Dequeue().ConfigureAwait(false);
                foreach (var item in items)
                {
                    onItem(item);
                    count++;
                }
                if (items.Count < limit)
                {
                    return count;
                }
            }
        }
        finally
        {
            cts.Cancel();
            foreach (var t in queue)
            {
                try
                {
                    await t.ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                }
            }
        }
    }

    private async Task<List<RawRequest>> FetchAsync(string project, string end, int limit, int page, CancellationToken cancellationToken)
    {
        var uri = string.Create(CultureInfo.InvariantCulture, $"v1/projects/{project}/requests?end={end}&limit={limit}&page={page}");
        using var response = await _http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var body = await JsonSerializer.DeserializeAsync(stream, RawJsonContext.Default.RawPage, cancellationToken).ConfigureAwait(false);
        return body?.Requests ?? [];
    }

    private static string PinnedEnd() => Uri.EscapeDataString(DateTimeOffset.UtcNow.AddSeconds(1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));

    public void Dispose() => _http.Dispose();
}

public sealed class RawPage
{
    public int? Page { get; set; }
    public int? Limit { get; set; }
    public List<RawRequest>? Requests { get; set; }
}

public sealed class RawRequest
{
    public string? RequestId { get; set; }
    public string? ProjectUuid { get; set; }
    public DateTimeOffset Created { get; set; }
    public string? Path { get; set; }
    public string? ApiKeyId { get; set; }
    public string? Accessor { get; set; }
    public string? Deployment { get; set; }
    public int? Code { get; set; }
    public RawResponse? Response { get; set; }
    public RawCallback? Callback { get; set; }
}

public sealed class RawResponse
{
    public RawDetails? Details { get; set; }
    public int? Code { get; set; }
    public DateTimeOffset? Completed { get; set; }
    public string? Message { get; set; }
    public List<RawTokenDetail>? TokenDetails { get; set; }
    public RawTtsDetails? TtsDetails { get; set; }
}

public sealed class RawDetails
{
    public decimal? Usd { get; set; }
    public double? Duration { get; set; }
    public double? TotalAudio { get; set; }
    public int? Channels { get; set; }
    public int? Streams { get; set; }
    public List<string>? Models { get; set; }
    public string? Method { get; set; }
    public string? Tier { get; set; }
    public List<string>? Tags { get; set; }
    public List<string>? Features { get; set; }
}

public sealed class RawTokenDetail
{
    public string? Feature { get; set; }
    public long? Input { get; set; }
    public long? Output { get; set; }
    public string? Model { get; set; }
}

public sealed class RawTtsDetails
{
    public double? Duration { get; set; }
    public List<RawSpeechSegment>? SpeechSegments { get; set; }
}

public sealed class RawSpeechSegment
{
    public int? Characters { get; set; }
    public string? Model { get; set; }
    public string? Tier { get; set; }
}

public sealed class RawCallback
{
    public int? Attempts { get; set; }
    public int? Code { get; set; }
    public DateTimeOffset? Completed { get; set; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(RawPage))]
public sealed partial class RawJsonContext : JsonSerializerContext;
