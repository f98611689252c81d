using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using UsageSdk.Testing;

namespace UsageSdk.Tests.Infrastructure.Chaos;

/// <summary>The faults a <see cref="ChaosHandler"/> injects.</summary>
public enum ChaosFault
{
    None,
    ServerError,
    RateLimited,
    ConnectionReset,
    TruncatedJson,
}

/// <summary>The fault mix of a chaos run (probabilities per HTTP request).</summary>
public sealed record ChaosRates(double ServerError = 0.10, double RateLimited = 0.05, double ConnectionReset = 0.02, double TruncatedJson = 0.01)
{
    public double Total => ServerError + RateLimited + ConnectionReset + TruncatedJson;
}

/// <summary>
/// Sits in front of a <c>FakeUsageApi</c> and breaks some of its answers: 5xx (500/502/503/504 with an error body),
/// 429 with <c>Retry-After</c>, a body whose connection resets part-way (an <see cref="IOException"/> mid-read) and a
/// body cut short (incomplete JSON, with a matching <c>Content-Length</c>).
/// </summary>
/// <remarks>
/// The decision for a request is a hash of the seed, its path and query, and how many times that exact URL was asked
/// before, not a shared random stream: the same run injects the same faults even when pages are fetched concurrently
/// (prefetch), and a resumed run that asks for a page again gets the next draw for that page.
/// <c>FakeFaults</c> of the fake API was not used: its random rate takes one status only and its queue is consumed in
/// arrival order, which is not deterministic when several pages are in flight.
/// </remarks>
public sealed class ChaosHandler : DelegatingHandler
{
    private static readonly int[] ServerStatuses = [500, 502, 503, 504];
    private readonly ConcurrentDictionary<string, int> _asked = new(StringComparer.Ordinal);
    private readonly ulong _seed;
    private readonly ChaosRates _rates;
    private long _requests, _serverErrors, _rateLimited, _resets, _truncated;

    public ChaosHandler(HttpMessageHandler inner, int seed, ChaosRates rates)
    {
        InnerHandler = inner;
        _seed = (ulong)seed;
        _rates = rates;
    }

    /// <summary>When false, requests pass through untouched (still counted).</summary>
    public bool Enabled { get; set; } = true;

    public long Requests => Interlocked.Read(ref _requests);
    public long ServerErrors => Interlocked.Read(ref _serverErrors);
    public long RateLimited => Interlocked.Read(ref _rateLimited);
    public long ConnectionResets => Interlocked.Read(ref _resets);
    public long TruncatedBodies => Interlocked.Read(ref _truncated);
    public long Faults => ServerErrors + RateLimited + ConnectionResets + TruncatedBodies;

    /// <summary>The fault for the <paramref name="n"/>-th request (0-based) of a URL, and a second draw for its details.</summary>
    public (ChaosFault Fault, ulong Detail) Decide(string url, int n)
    {
        var h = Mix(_seed ^ Fnv(url) ^ Mix((ulong)n + 0x9E3779B97F4A7C15UL));
        var u = (h >> 11) * (1.0 / (1UL << 53));
        var detail = Mix(h + 0xD1B54A32D192ED03UL);
        var fault = u < _rates.ServerError ? ChaosFault.ServerError
            : u < _rates.ServerError + _rates.RateLimited ? ChaosFault.RateLimited
            : u < _rates.ServerError + _rates.RateLimited + _rates.ConnectionReset ? ChaosFault.ConnectionReset
            : u < _rates.Total ? ChaosFault.TruncatedJson
            : ChaosFault.None;
        return (fault, detail);
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _requests);
        if (!Enabled)
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        var url = request.RequestUri!.PathAndQuery;
        var n = _asked.AddOrUpdate(url, 0, static (_, v) => v + 1);
        var (fault, detail) = Decide(url, n);
        switch (fault)
        {
            case ChaosFault.ServerError:
                {
                    Interlocked.Increment(ref _serverErrors);
                    var status = ServerStatuses[(int)(detail % (ulong)ServerStatuses.Length)];
                    return Error(request, status, "INTERNAL_SERVER_ERROR", "The service is unavailable (chaos).");
                }
            case ChaosFault.RateLimited:
                {
                    Interlocked.Increment(ref _rateLimited);
                    var response = Error(request, 429, "TOO_MANY_REQUESTS", "Too many requests. Please try again later");
                    response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(1 + (int)(detail % 5)));
                    return response;
                }
            case ChaosFault.ConnectionReset:
            case ChaosFault.TruncatedJson:
                {
                    var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
                    if (!response.IsSuccessStatusCode)
                    {
                        return response; // nothing to break
                    }
                    var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
                    var cut = bytes.Length == 0 ? 0 : (int)(detail % (ulong)bytes.Length); // always before the last byte
                    var type = response.Content.Headers.ContentType;
                    if (fault == ChaosFault.ConnectionReset)
                    {
                        Interlocked.Increment(ref _resets);
                        response.Content = new StreamContent(new ResettingStream(bytes, cut));
                        response.Content.Headers.ContentLength = bytes.Length;
                    }
                    else
                    {
                        Interlocked.Increment(ref _truncated);
                        response.Content = new ByteArrayContent(bytes, 0, cut);
                    }
                    response.Content.Headers.ContentType = type;
                    return response;
                }
            default:
                return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
    }

    private static HttpResponseMessage Error(HttpRequestMessage request, int status, string code, string message)
    {
        var body = $$"""{"err_code":"{{code}}","err_msg":"{{message}}","request_id":"chaos-{{Guid.NewGuid():N}}"}""";
        return new HttpResponseMessage((HttpStatusCode)status)
        {
            RequestMessage = request,
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
    }

    internal static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    internal static ulong Fnv(string s)
    {
        var h = 14695981039346656037UL;
        foreach (var c in s)
        {
            h = (h ^ c) * 1099511628211UL;
        }
        return h;
    }
}

