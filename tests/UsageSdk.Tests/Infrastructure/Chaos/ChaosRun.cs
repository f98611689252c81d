using System.Globalization;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using UsageSdk.Testing;

namespace UsageSdk.Tests.Infrastructure.Chaos;

/// <summary>Settings of one chaos run.</summary>
public sealed record ChaosSettings
{
    /// <summary>Pages the listing has (the data set is cut to exactly this many pages, the last one short).</summary>
    public int Pages { get; init; } = 300;

    public int PageSize { get; init; } = 5;

    public int Seed { get; init; } = 10;

    /// <summary>The client's <c>Retry.MaxRetries</c>; fewer retries give more failed pages and so more resumes.</summary>
    public int MaxRetries { get; init; } = 3;

    public int Prefetch { get; init; } = 1;

    public ChaosRates Rates { get; init; } = new();

    /// <summary>A run that needs more resumes than this is stopped (a resume that makes no progress would loop).</summary>
    public int MaxResumes { get; init; } = 100_000;
}

/// <summary>What a chaos run did and found.</summary>
public sealed record ChaosReport
{
    public required ChaosSettings Settings { get; init; }
    public required int ExpectedItems { get; init; }
    public required int ExpectedPages { get; init; }
    public required int Items { get; init; }
    public required int PagesRead { get; init; }
    public required long Requests { get; init; }
    public required long ServerErrors { get; init; }
    public required long RateLimited { get; init; }
    public required long ConnectionResets { get; init; }
    public required long TruncatedBodies { get; init; }
    public required long Retries { get; init; }
    public required int Resumes { get; init; }
    public required long WaitsAsked { get; init; }
    public required int Lost { get; init; }
    public required int Duplicated { get; init; }
    public required int Unexpected { get; init; }
    public required bool SameOrder { get; init; }
    public required decimal ExpectedUsd { get; init; }
    public required decimal Usd { get; init; }
    public required IReadOnlyDictionary<string, int> FailuresByCause { get; init; }
    public required IReadOnlyList<string> Problems { get; init; }

    public long Faults => ServerErrors + RateLimited + ConnectionResets + TruncatedBodies;

    public bool Exact => Lost == 0 && Duplicated == 0 && Unexpected == 0 && SameOrder && Usd == ExpectedUsd && Problems.Count == 0;

    public override string ToString()
    {
        var s = Settings;
        var b = new StringBuilder();
        b.AppendLine(CultureInfo.InvariantCulture, $"chaos run: seed {s.Seed}, {s.Pages} pages of {s.PageSize}, retries {s.MaxRetries}, prefetch {s.Prefetch}");
        b.AppendLine(CultureInfo.InvariantCulture, $"  rates: 5xx {s.Rates.ServerError:P0}, 429 {s.Rates.RateLimited:P0}, reset {s.Rates.ConnectionReset:P0}, truncated {s.Rates.TruncatedJson:P0}");
        b.AppendLine(CultureInfo.InvariantCulture, $"  pages read: {PagesRead} (expected {ExpectedPages}); items: {Items} (expected {ExpectedItems})");
        b.AppendLine(CultureInfo.InvariantCulture, $"  HTTP requests: {Requests}; faults injected: {Faults} (5xx {ServerErrors}, 429 {RateLimited}, reset {ConnectionResets}, truncated {TruncatedBodies})");
        b.AppendLine(CultureInfo.InvariantCulture, $"  retries: {Retries}; waits asked of the clock: {WaitsAsked}; pages failed and resumed: {Resumes} ({string.Join(", ", FailuresByCause.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} {p.Value}"))})");
        b.AppendLine(CultureInfo.InvariantCulture, $"  items lost: {Lost}; duplicated: {Duplicated}; unexpected: {Unexpected}; same order: {SameOrder}; usd {Usd} (expected {ExpectedUsd})");
        foreach (var p in Problems)
        {
            b.AppendLine("  PROBLEM: " + p);
        }
        return b.ToString();
    }
}

/// <summary>
/// The chaos run: a <see cref="FakeUsageApi"/> (seeded, on a fixed clock) cut to exactly <see cref="ChaosSettings.Pages"/>
/// pages, listed once without faults (the expected items), then listed through a <see cref="ChaosHandler"/>. When the
/// pager fails with <see cref="UsageApiException"/>, a new client (as another process would) resumes from the
/// exception's <see cref="UsageApiException.ContinuationToken"/>. The result must be the fault-free listing: same ids,
/// same order, no loss, no duplicate, the same cost.
/// </summary>
public static class ChaosRun
{
    public static readonly DateTimeOffset Now = new(2025, 6, 30, 12, 0, 0, TimeSpan.Zero);

    public static async Task<ChaosReport> RunAsync(ChaosSettings settings, CancellationToken cancellationToken = default)
    {
        var expectedItems = settings.Pages * settings.PageSize - 1; // the last page is one short, so it ends the listing
        var api = CreateApi(settings.Seed, expectedItems);
        var project = FakeUsageApi.DemoProjectId;
        var query = new RequestsQuery().WithPageSize(settings.PageSize).WithPrefetch(settings.Prefetch);
        var problems = new List<string>();

        // 1. The fault-free listing.
        var clean = new ChaosHandler(api, settings.Seed, settings.Rates) { Enabled = false };
        var expected = new List<UsageRequest>(expectedItems);
        var cleanPages = 0;
        await foreach (var page in CreateClient(clean, new InstantTimeProvider(Now), settings).GetRequestsAsync(project, query).AsPages().WithCancellation(cancellationToken))
        {
            cleanPages++;
            expected.AddRange(page.Values);
        }
        if (expected.Count != expectedItems || cleanPages != settings.Pages)
        {
            problems.Add($"the fault-free listing gave {expected.Count} items in {cleanPages} pages, not {expectedItems} in {settings.Pages}");
        }

        // 2. The same listing through the faults, resumed from the exception's token as often as it takes.
        var chaos = new ChaosHandler(api, settings.Seed, settings.Rates);
        var clock = new InstantTimeProvider(Now);
        var got = new List<UsageRequest>(expectedItems);
        var failures = new Dictionary<string, int>(StringComparer.Ordinal);
        string? token = null;
        string? lastPageToken = null;
        var pagesRead = 0;
        var resumes = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var client = CreateClient(chaos, clock, settings); // a fresh client per run, as after a restart
            try
            {
                await foreach (var page in client.GetRequestsAsync(project, query).AsPages(token).WithCancellation(cancellationToken))
                {
                    pagesRead++;
                    got.AddRange(page.Values);
                    lastPageToken = page.ContinuationToken;
                }
                break;
            }
            catch (UsageApiException e)
            {
                resumes++;
                var cause = Cause(e);
                failures[cause] = failures.GetValueOrDefault(cause) + 1;
                if (e.ContinuationToken is null)
                {
                    problems.Add($"a failed page carried no continuation token: {e.Message}");
                    break;
                }
                // The failed page is the one after the last page read (or the first page of this run).
                var wanted = lastPageToken ?? token;
                if (wanted is not null && e.ContinuationToken != wanted)
                {
                    problems.Add($"the exception's token {e.ContinuationToken} does not name the page after the last one read ({wanted})");
                }
                if (resumes > settings.MaxResumes)
                {
                    problems.Add($"more than {settings.MaxResumes} resumes");
                    break;
                }
                token = e.ContinuationToken;
                lastPageToken = null;
            }
        }

        var expectedIds = expected.Select(r => r.RequestId!).ToList();
        var gotIds = got.Select(r => r.RequestId!).ToList();
        var expectedSet = expectedIds.ToHashSet(StringComparer.Ordinal);
        var gotSet = gotIds.ToHashSet(StringComparer.Ordinal);
        return new ChaosReport
        {
            Settings = settings,
            ExpectedItems = expected.Count,
            ExpectedPages = cleanPages,
            Items = got.Count,
            PagesRead = pagesRead,
            Requests = chaos.Requests,
            ServerErrors = chaos.ServerErrors,
            RateLimited = chaos.RateLimited,
            ConnectionResets = chaos.ConnectionResets,
            TruncatedBodies = chaos.TruncatedBodies,
            // Every injected fault is followed either by a retry of the same page or by the failure of that page.
            Retries = chaos.Faults - resumes,
            Resumes = resumes,
            WaitsAsked = clock.Waits,
            Lost = expectedSet.Count(id => !gotSet.Contains(id)),
            Duplicated = gotIds.Count - gotSet.Count,
            Unexpected = gotSet.Count(id => !expectedSet.Contains(id)),
            SameOrder = expectedIds.SequenceEqual(gotIds, StringComparer.Ordinal),
            ExpectedUsd = expected.Sum(r => r.Response?.Details?.Usd ?? 0m),
            Usd = got.Sum(r => r.Response?.Details?.Usd ?? 0m),
            FailuresByCause = failures,
            Problems = problems,
        };
    }

    /// <summary>What broke a page: the HTTP status, or the type of the inner exception for a body that could not be read.</summary>
    public static string Cause(UsageApiException e) => e.Status switch
    {
        0 => "no response (" + (e.InnerException?.GetType().Name ?? "none") + ")",
        >= 200 and < 300 => "body (" + (e.InnerException?.GetType().Name ?? "none") + ")",
        var s => s.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>A fake API whose main project has exactly <paramref name="items"/> request logs (generated, seeded, then cut).</summary>
    public static FakeUsageApi CreateApi(int seed, int items)
    {
        const int days = 30;
        var api = new FakeUsageApi(new FakeUsageApiOptions
        {
            Seed = seed,
            Days = days,
            RequestsPerDay = (int)Math.Ceiling(items * 1.25 / days) + 20,
            TimeProvider = new FakeTimeProvider(Now),
        });
        var all = api.GetRequests(FakeUsageApi.DemoProjectId);
        if (all.Count < items)
        {
            throw new InvalidOperationException($"The generator made {all.Count} requests; {items} are needed.");
        }
        api.ReplaceRequests(FakeUsageApi.DemoProjectId, all.Take(items));
        return api;
    }

    private static UsageClient CreateClient(HttpMessageHandler transport, TimeProvider clock, ChaosSettings settings)
        => new(new UsageClientOptions
        {
            ApiKey = FakeUsageApi.DefaultApiKey,
            BaseAddress = FakeUsageApi.BaseAddress,
            Transport = transport,
            TimeProvider = clock,
            Timeout = Timeout.InfiniteTimeSpan, // the overall budget runs on the clock too, and the instant clock would fire it at once
            Retry =
            {
                MaxRetries = settings.MaxRetries,
                TryTimeout = Timeout.InfiniteTimeSpan, // the instant clock would fire it at once
            },
        });
}
