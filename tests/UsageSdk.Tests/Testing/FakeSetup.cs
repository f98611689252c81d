using System.Net.Http.Headers;
using Microsoft.Extensions.Time.Testing;
using UsageSdk.Testing;

namespace UsageSdk.Tests.Testing;

/// <summary>Small, seeded fakes on a pinned clock (Friday 2025-03-14 15:00 UTC).</summary>
internal static class FakeSetup
{
    public static readonly DateTimeOffset Now = new(2025, 3, 14, 15, 0, 0, TimeSpan.Zero);

    public static FakeUsageApi Create(int seed = 42, int days = 10, int perDay = 80, FakeErrorShape shape = FakeErrorShape.Legacy, FakeTimeProvider? clock = null)
        => new(new FakeUsageApiOptions
        {
            Seed = seed,
            Days = days,
            RequestsPerDay = perDay,
            ErrorShape = shape,
            TimeProvider = clock ?? new FakeTimeProvider(Now),
        });

    /// <summary>A client without retries (faults surface at once).</summary>
    public static UsageClient Client(FakeUsageApi api) => api.CreateClient(o => o.Retry.MaxRetries = 0);

    /// <summary>A raw HttpClient over the fake, for wire-level checks.</summary>
    public static HttpClient Raw(FakeUsageApi api, string? key = "k")
    {
        var http = new HttpClient(api, disposeHandler: false) { BaseAddress = FakeUsageApi.BaseAddress };
        if (key is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Token", key);
        }
        return http;
    }

    public static async Task<List<UsageRequest>> ListAsync(UsageClient client, string project, RequestsQuery? query = null)
    {
        var list = new List<UsageRequest>();
        await foreach (var r in client.GetRequestsAsync(project, query))
        {
            list.Add(r);
        }
        return list;
    }

    public static string P => FakeUsageApi.DemoProjectId;

    public static string? Endpoint(UsageRequest r) => r.Path is { } p && p.StartsWith("/v1/", StringComparison.Ordinal)
        ? p[4..].Split('/', '?')[0]
        : null;
}
