using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using UsageSdk.Archive.Tests.Infrastructure;
using UsageSdk.Reports;
using UsageSdk.Reports.Internal;
using UsageSdk.Testing;

namespace UsageSdk.Archive.Tests.Rollups;

/// <summary>
/// The oracle of the roll-ups, run on each store: the reports built from the roll-ups equal the reports built from
/// the same archive's request logs, for seeded data, random ranges (whole days, whole hours, odd minutes), random
/// filters and several report options, after syncs, updates, duplicates within a commit and requests that change hour.
/// </summary>
public abstract class RollupContract : IAsyncLifetime
{
    protected static readonly DateTimeOffset Now = new(2026, 3, 18, 14, 30, 0, TimeSpan.Zero);
    private readonly List<IAsyncDisposable> _disposables = [];

    protected RollupContract()
    {
        Time = new FakeTimeProvider(Now);
        Api = new FakeUsageApi(new FakeUsageApiOptions { Seed = 11, TimeProvider = Time, Days = 6, RequestsPerDay = 400 });
    }

    protected FakeTimeProvider Time { get; }

    protected FakeUsageApi Api { get; }

    protected static string Project => FakeUsageApi.DemoProjectId;

    /// <summary>A new, empty store (a new database).</summary>
    protected abstract Task<IUsageArchiveStore> NewStoreAsync();

    /// <summary>
    /// Turns a closed store's database into what UsageSdk.Archive wrote before roll-ups (the same request tables, no
    /// roll-up tables, the schema version before them) and returns a new store over it.
    /// </summary>
    protected abstract Task<IUsageArchiveStore> WithoutRollupsAsync(IUsageArchiveStore closed);

    /// <summary>The number of hourly roll-up rows in a store's database.</summary>
    protected abstract Task<long> HourlyRowsAsync(IUsageArchiveStore store);

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        foreach (var d in _disposables)
        {
            await d.DisposeAsync();
        }
    }

    protected async Task<UsageArchive> SyncedArchiveAsync(IUsageArchiveStore? store = null)
    {
        store ??= await NewStoreAsync();
        var archive = new UsageArchive(store, Api.CreateClient(o => o.Retry.MaxRetries = 0),
            new UsageArchiveOptions { TimeProvider = Time, PageSize = 100, RowsPerCommit = 300, SyncUsage = false }, ownsStore: true);
        _disposables.Add(archive);
        await archive.SyncAsync(Project);
        return archive;
    }

    [SkippableFact]
    public async Task Reports_from_roll_ups_equal_reports_from_the_request_logs_after_a_sync()
    {
        var archive = await SyncedArchiveAsync();
        await AssertOracleAsync(archive, seed: 1, cases: 40);
    }

    [SkippableFact]
    public async Task Updates_duplicates_and_requests_that_change_hour_are_counted_once()
    {
        var archive = await SyncedArchiveAsync();
        var stored = await AsyncList.ToListAsync(archive.QueryAsync(Project));
        var rnd = new Random(5);
        var changed = new List<UsageRequest>();
        foreach (var r in stored.OrderBy(_ => rnd.Next()).Take(stored.Count / 5))
        {
            changed.Add(Mutate(r, rnd));
        }
        // New requests, a request listed twice in one commit (the last one wins), and unchanged ones written again.
        var fresh = Enumerable.Range(0, 40).Select(i => Mutate(stored[i], rnd, newId: $"fresh-{i:D3}")).ToList();
        var twice = Mutate(stored[50], rnd);
        var page1 = changed.Take(changed.Count / 2).Concat(fresh.Take(20)).Append(twice).Concat(stored.Skip(100).Take(50)).ToList();
        var page2 = changed.Skip(changed.Count / 2).Concat(fresh.Skip(20)).Append(Mutate(twice, rnd)).Append(twice).ToList();
        var checkpoint = new ArchiveCheckpoint(Now, null, null, Now);
        await archive.Store.CommitPageAsync(Project, page1, checkpoint);
        await archive.Store.CommitPageAsync(Project, page2, checkpoint);
        await archive.Store.CommitPageAsync(Project, stored.Take(30).ToList(), checkpoint); // back to how they were

        await AssertOracleAsync(archive, seed: 2, cases: 30);

        // Later: pending and unknown requests age into unknown and lost; the views follow.
        Time.Advance(TimeSpan.FromHours(7));
        await AssertOracleAsync(archive, seed: 3, cases: 10);
        Time.Advance(TimeSpan.FromHours(30));
        await AssertOracleAsync(archive, seed: 4, cases: 10);
    }

    [SkippableFact]
    public async Task An_archive_written_before_roll_ups_is_rolled_up_when_opened_without_loss()
    {
        var store = await NewStoreAsync();
        var archive = await SyncedArchiveAsync(store);
        var stored = await AsyncList.ToListAsync(archive.QueryAsync(Project));
        await archive.Store.CommitPageAsync(Project, stored.Take(40).Select(r => Mutate(r, new Random(9))).ToList(), new ArchiveCheckpoint(Now, null, null, Now));
        await archive.DisposeAsync();
        _disposables.Remove(archive);

        var old = await WithoutRollupsAsync(store);
        var reopened = new UsageArchive(old, options: new UsageArchiveOptions { TimeProvider = Time }, ownsStore: true);
        _disposables.Add(reopened);
        Assert.Equal(stored.Count, (await reopened.GetStatisticsAsync(Project)).Requests); // opening rolls up, and keeps every log
        Assert.True(await HourlyRowsAsync(old) > 24, "the old archive's logs are rolled up when it is opened");
        await AssertOracleAsync(reopened, seed: 8, cases: 20);
    }

    [SkippableFact]
    public async Task A_sync_of_the_trailing_window_rolls_up_what_it_changed_and_nothing_twice()
    {
        var archive = await SyncedArchiveAsync();
        Time.Advance(TimeSpan.FromMinutes(45)); // the fake API completes the pending requests of then
        await archive.SyncAsync(Project);
        await AssertOracleAsync(archive, seed: 6, cases: 15);
    }

    /// <summary>The report options the oracle tries, in turn.</summary>
    private UsageReportOptions Options(int variant, UsageReportOptions baseOptions)
    {
        var o = baseOptions.Clone();
        switch (variant % 4)
        {
            case 1:
                o.Prices = new UsagePriceTable(new Dictionary<string, UsageModelPrice>
                {
                    ["nova-3"] = new() { PerAudioHour = 0.258m },
                    ["1abfe86b-e047-4eed-858a-35e5625b41ee"] = new() { PerAudioHour = 0.31m },
                    ["gpt-4o-mini"] = new() { PerMillionInputTokens = 0.15m, PerMillionOutputTokens = 0.6m },
                    ["aura-2-thalia-en"] = new() { PerMillionCharacters = 30m },
                    ["*"] = new() { PerAudioHour = 0.3m, PerMillionCharacters = 15m },
                });
                o.EstimateWhenUsdIsZero = true;
                break;
            case 2:
                o.Budgets.Add(new UsageBudget { Name = "per key", MaxUsd = 0.5m, MaxTokens = 20_000, PerApiKey = true, Period = UsageBudgetPeriod.Day, IncludeEstimatedUsd = true });
                o.Budgets.Add(new UsageBudget { Name = "daily", MaxUsd = 2m, Period = UsageBudgetPeriod.Day });
                break;
            case 3:
                foreach (var m in Api.Models)
                {
                    o.Names.Models[m.ModelId] = m.Name;
                }
                break;
        }
        return o;
    }

    protected async Task AssertOracleAsync(UsageArchive archive, int seed, int cases)
    {
        var rnd = new Random(seed);
        var logs = await AsyncList.ToListAsync(archive.QueryAsync(Project));
        Assert.NotEmpty(logs);
        var first = logs.Min(r => r.Created);
        var last = logs.Max(r => r.Created);
        for (var i = 0; i < cases; i++)
        {
            var (start, end) = Range(rnd, first, last, i);
            var filter = i % 3 == 0 ? null : TestFilter.Random(rnd, logs);
            var options = Options(i, new UsageReportOptions { Start = start, End = end });
            var context = $"case {i}: {start:O}..{end:O} {filter} options {i % 4}";

            var allSeries = filter is null || i % 2 == 0; // as the dashboard reads a filtered view: the report of all without its series
            var (filtered, all, _) = await archive.GetRollupReportsAsync(Project, start, end, filter is null ? null : filter.Matches, filter is null ? null : filter.Matches, options, allSeries);

            var inRange = (await AsyncList.ToListAsync(archive.QueryAsync(Project, new RequestsQuery().Between(start, end)))).Where(r => r.Created < end).ToList();
            var expectedAll = UsageReport.FromRequests(inRange, options);
            var expected = filter is null ? expectedAll : UsageReport.FromRequests(inRange.Where(filter.Matches), options);
            var modelBilled = options.Prices is null;
            ReportComparer.Equal(expectedAll, all, context + " (all)", modelBilled, timeSeries: allSeries);
            if (!allSeries)
            {
                Assert.Equal(start, all.Start);
                Assert.Equal(end, all.End);
            }
            ReportComparer.Equal(expected, filtered, context + " (filtered)", modelBilled);
            if (filter is null)
            {
                Assert.Same(all, filtered);
            }
        }
    }

    private static (DateTimeOffset, DateTimeOffset) Range(Random rnd, DateTimeOffset first, DateTimeOffset last, int i)
    {
        var day0 = new DateTimeOffset(first.UtcDateTime.Date, TimeSpan.Zero).AddDays(-1);
        var span = (last - day0).TotalHours + 24;
        switch (i % 5)
        {
            case 0: // everything
                return (day0, day0.AddHours(Math.Ceiling(span)));
            case 1: // whole days
                {
                    var d = rnd.Next(0, (int)(span / 24));
                    return (day0.AddDays(d), day0.AddDays(d + 1 + rnd.Next(0, 3)));
                }
            case 2: // whole hours
                {
                    var h = rnd.Next(0, (int)span);
                    return (day0.AddHours(h), day0.AddHours(h + 1 + rnd.Next(0, 60)));
                }
            default: // odd minutes and seconds
                {
                    var s = day0.AddMinutes(rnd.Next(0, (int)(span * 60))).AddSeconds(rnd.Next(0, 60));
                    return (s, s.AddMinutes(rnd.Next(1, 3000)).AddMilliseconds(rnd.Next(0, 1000)));
                }
        }
    }

    /// <summary>A changed copy of a request: another cost, outcome, tags, tokens, model or hour.</summary>
    private static UsageRequest Mutate(UsageRequest r, Random rnd, string? newId = null)
    {
        var node = JsonNode.Parse(UsageJson.Serialize(r))!.AsObject();
        if (newId is not null)
        {
            node["request_id"] = newId;
        }
        var details = node["response"]?["details"] as JsonObject;
        switch (rnd.Next(7))
        {
            case 0 when details is not null:
                details["usd"] = Math.Round(rnd.NextDouble(), 6);
                break;
            case 1:
                node["response"] = null; // no recorded response: open
                node.Remove("code");
                break;
            case 2:
                node["code"] = 500;
                break;
            case 3 when details is not null:
                details["tags"] = new JsonArray("moved", "prod");
                break;
            case 4:
                node["created"] = r.Created.AddMinutes(rnd.Next(-300, 300)).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);
                break;
            case 5 when details is not null:
                details["models"] = new JsonArray("30089e05-99d1-4376-b32e-c263170674af", "a9b8c7d6-e5f4-4321-9abc-def012345678");
                node["response"]!["token_details"] = new JsonArray(
                    new JsonObject { ["feature"] = "summarization", ["input"] = rnd.Next(10, 900), ["output"] = 30, ["model"] = "text-intelligence" },
                    new JsonObject { ["feature"] = "topics", ["input"] = 5, ["output"] = rnd.Next(1, 90), ["model"] = "gpt-4o-mini" });
                break;
            default:
                node["deployment"] = "beta";
                break;
        }
        return UsageJson.DeserializeRequest(node.ToJsonString(), Now);
    }

    /// <summary>One value per dimension at most; the dashboard's rules (keys, models and methods ignoring case, tags exactly).</summary>
    private sealed record TestFilter(string? Key, string? Model, string? Tag, string? Method, string? Endpoint, string? Deployment)
    {
        public static TestFilter Random(Random rnd, List<UsageRequest> logs)
        {
            var r = logs[rnd.Next(logs.Count)];
            var d = r.Response?.Details;
            string? Maybe(string? v) => rnd.Next(3) == 0 ? v : null;
            var f = new TestFilter(
                Maybe(r.ApiKeyId is { Length: > 0 } k ? k.ToUpperInvariant() : r.Accessor), Maybe(d?.Models.FirstOrDefault()), Maybe(d?.Tags.LastOrDefault()),
                Maybe(d?.Method?.ToString()), Maybe(UsageSdk.Endpoint.FromPath(r.Path)?.ToString()), Maybe(r.Deployment?.ToString()));
            return f with { Key = f.Key ?? (f == new TestFilter(null, null, null, null, null, null) ? r.Accessor : null) };
        }

        public bool Matches(UsageRequest r)
        {
            var d = r.Response?.Details;
            return Is(Key, string.IsNullOrEmpty(r.ApiKeyId) ? r.Accessor : r.ApiKeyId, true)
                && (Model is null || (d?.Models ?? []).Any(m => Is(Model, m, true)))
                && (Tag is null || (d?.Tags ?? []).Any(t => Is(Tag, t, false)))
                && Is(Method, d?.Method?.ToString(), true)
                && Is(Endpoint, UsageSdk.Endpoint.FromPath(r.Path)?.ToString(), true)
                && Is(Deployment, r.Deployment?.ToString(), true);
        }

        public bool Matches(RollupShape s)
            => Is(Key, string.IsNullOrEmpty(s.ApiKeyId) ? s.Accessor : s.ApiKeyId, true)
                && (Model is null || s.Models.Any(m => Is(Model, m, true)))
                && (Tag is null || s.Tags.Any(t => Is(Tag, t, false)))
                && Is(Method, s.Method, true)
                && Is(Endpoint, s.Endpoint, true)
                && Is(Deployment, s.Deployment, true);

        private static bool Is(string? wanted, string? value, bool ignoreCase)
            => wanted is null || (!string.IsNullOrEmpty(value) && string.Equals(wanted, value, ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal));
    }
}
