using Microsoft.Extensions.Time.Testing;
using UsageSdk.Archive.Tests.Infrastructure;
using UsageSdk.Testing;

namespace UsageSdk.Archive.Tests.Sync;

/// <summary>
/// The sync and read-back behaviour every store must have, run once per store (SQLite and PostgreSQL). Each test gets
/// fresh databases; the API is a seeded FakeUsageApi on a fake clock, so every run sees the same data. The tests are
/// skippable: a store that cannot be had here (no PostgreSQL server) throws <see cref="SkipException"/> from
/// <see cref="NewStoreAsync"/>, and the test is reported as skipped with the reason.
/// </summary>
public abstract class ArchiveSyncContract : IAsyncLifetime
{
    protected static readonly DateTimeOffset Start = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);
    private const int PageSize = 50;
    private readonly List<IAsyncDisposable> _archives = [];

    protected ArchiveSyncContract()
    {
        Time = new FakeTimeProvider(Start);
        Api = new FakeUsageApi(new FakeUsageApiOptions { Seed = 7, TimeProvider = Time, Days = 3, RequestsPerDay = 150 });
        Client = Api.CreateClient(o => o.Retry.MaxRetries = 0);
    }

    protected FakeTimeProvider Time { get; }
    protected FakeUsageApi Api { get; }
    protected UsageClient Client { get; }
    protected static string Project => FakeUsageApi.DemoProjectId;

    /// <summary>A new, empty store (a new database).</summary>
    protected abstract Task<IUsageArchiveStore> NewStoreAsync();

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        foreach (var a in _archives)
        {
            await a.DisposeAsync();
        }
    }

    protected UsageArchive Archive(IUsageArchiveStore store, UsageClient? client = null, Action<UsageArchiveOptions>? configure = null)
    {
        var options = new UsageArchiveOptions { TimeProvider = Time, PageSize = PageSize, RowsPerCommit = PageSize }; // one page per commit unless a test batches
        configure?.Invoke(options);
        var archive = new UsageArchive(store, client ?? Client, options);
        _archives.Add(store);
        return archive;
    }

    protected async Task<UsageArchive> NewArchiveAsync(Action<UsageArchiveOptions>? configure = null) => Archive(await NewStoreAsync(), configure: configure);

    /// <summary>What the API serves for the project now (its 90 days), newest first.</summary>
    private List<UsageRequest> Served() => Api.GetRequests(Project).Where(r => r.Created >= Time.GetUtcNow().AddDays(-90) && r.Created <= Time.GetUtcNow()).ToList();

    private static List<string> Wire(IEnumerable<UsageRequest> requests) => requests.Select(UsageJson.Serialize).ToList();

    private static async Task<List<UsageRequest>> All(UsageArchive archive, RequestsQuery? q = null) => await AsyncList.ToListAsync(archive.QueryAsync(Project, q));

    [SkippableFact]
    public async Task First_sync_archives_every_log_the_API_serves_page_by_page()
    {
        var archive = await NewArchiveAsync();
        var served = Served();
        Assert.True(served.Count > 5 * PageSize, $"the fixture should span several pages; it has {served.Count} logs");

        var result = await archive.SyncAsync(Project);

        Assert.Equal(served.Count, result.Items);
        Assert.Equal(served.Count, result.Added);
        Assert.Equal(served.Count / PageSize + 1, result.Pages);
        Assert.False(result.Resumed);
        Assert.Null(result.Gap);
        Assert.Equal(Start, result.End);
        Assert.Equal(Start.AddDays(-90), result.Start);
        Assert.Equal(Wire(served), Wire(await All(archive)));
        var stats = await archive.GetStatisticsAsync(Project);
        Assert.Equal(served.Count, stats.Requests);
        Assert.Equal(Start, stats.Checkpoint!.SyncedThrough);
        Assert.Null(stats.Checkpoint.Pass);
    }

    [SkippableFact]
    public async Task A_commit_that_lists_an_id_twice_keeps_the_last_one_and_skips_logs_without_an_id()
    {
        var store = await NewStoreAsync();
        await store.InitializeAsync();
        UsageRequest Log(string? id, decimal usd) => UsageModelFactory.UsageRequest(
            requestId: id, projectId: Project, created: Start.AddMinutes(-5), path: "/v1/listen", code: 200,
            response: UsageModelFactory.RequestResponse(UsageModelFactory.RequestDetails(usd: usd), code: 200));
        var id = "00000000-0000-0000-0000-0000000000aa";

        var added = await store.CommitPageAsync(Project, [Log(id, 0.01m), Log(null, 0.02m), Log(id, 0.03m)], new ArchiveCheckpoint(null, null, null, Start));

        Assert.Equal(1, added);
        var stored = await AsyncList.ToListAsync(store.QueryRequestsAsync(Project, new RequestsQuery(), Start));
        var only = Assert.Single(stored);
        Assert.Equal(id, only.RequestId);
        Assert.Equal(0.03m, only.Response!.Details!.Usd);
        Assert.Equal(0, await store.CommitPageAsync(Project, [Log(id, 0.04m)], new ArchiveCheckpoint(null, null, null, Start)));
    }

    [SkippableFact]
    public async Task The_project_ids_are_every_synced_project_sorted_and_none_before_a_sync()
    {
        var archive = await NewArchiveAsync();
        Assert.Empty(await archive.GetProjectIdsAsync());
        var contract = "2b7e151a-628a-4ed2-a6ab-f7158809cf4f";

        await archive.SyncAsync(Project);
        Assert.Equal([FakeUsageApi.DemoProjectId], await archive.GetProjectIdsAsync());
        await archive.SyncAsync(contract);

        Assert.Equal([contract, FakeUsageApi.DemoProjectId], await archive.GetProjectIdsAsync());
    }

    [SkippableFact]
    public async Task Syncing_twice_gives_no_duplicate()
    {
        var archive = await NewArchiveAsync();
        await archive.SyncAsync(Project);
        Time.Advance(TimeSpan.FromHours(1));
        var fresh = Enumerable.Range(0, 3).Select(i => UsageModelFactory.UsageRequest(
            requestId: $"00000000-0000-0000-0000-00000000000{i}", projectId: Project, created: Start.AddMinutes(10 + i), path: "/v1/listen?model=nova-3",
            apiKeyId: "key-1", accessor: "acc-1", code: 200,
            response: UsageModelFactory.RequestResponse(UsageModelFactory.RequestDetails(usd: 0.01m, duration: 12, method: ProcessingMethod.Sync), code: 200))).ToList();
        Api.AddRequests(fresh);

        var second = await archive.SyncAsync(Project);
        var third = await archive.SyncAsync(Project);

        var served = Served();
        var stored = await All(archive);
        Assert.Equal(served.Count, stored.Count);
        Assert.Equal(stored.Count, stored.Select(r => r.RequestId).Distinct().Count());
        Assert.Equal(Wire(served), Wire(stored));
        Assert.Equal(3, second.Added);
        Assert.True(second.Items > second.Added, "the trailing window is read again");
        Assert.Equal(0, third.Added);
        Assert.Equal(Start.AddHours(-48), second.Start);
        Assert.Equal(Start.AddHours(1).AddHours(-48), third.Start);
    }

    [SkippableFact]
    public async Task A_pending_request_settled_later_and_a_late_cost_are_updated_in_place()
    {
        var archive = await NewArchiveAsync();
        var pending = UsageModelFactory.UsageRequest(requestId: "11111111-0000-0000-0000-000000000001", projectId: Project, created: Start.AddMinutes(-5), path: "/v1/listen", apiKeyId: "key-1");
        var unpriced = UsageModelFactory.UsageRequest(requestId: "11111111-0000-0000-0000-000000000002", projectId: Project, created: Start.AddHours(-30), path: "/v1/listen", apiKeyId: "key-1", code: 200,
            response: UsageModelFactory.RequestResponse(UsageModelFactory.RequestDetails(usd: 0m, duration: 60), code: 200));
        Api.AddRequests(pending, unpriced);
        await archive.SyncAsync(Project);
        var before = await archive.GetStatisticsAsync(Project);
        var p0 = Assert.Single(await All(archive, new RequestsQuery().WithRequestId(pending.RequestId!)));
        Assert.Equal(RequestLogState.Pending, p0.State);
        Assert.Null(p0.Response);

        Time.Advance(TimeSpan.FromMinutes(20));
        Api.AddRequests(
            UsageModelFactory.UsageRequest(requestId: pending.RequestId, projectId: Project, created: pending.Created, path: "/v1/listen", apiKeyId: "key-1", code: 200,
                response: UsageModelFactory.RequestResponse(UsageModelFactory.RequestDetails(usd: 0.0125m, duration: 30), code: 200, completed: Start.AddMinutes(-4))),
            UsageModelFactory.UsageRequest(requestId: unpriced.RequestId, projectId: Project, created: unpriced.Created, path: "/v1/listen", apiKeyId: "key-1", code: 200,
                response: UsageModelFactory.RequestResponse(UsageModelFactory.RequestDetails(usd: 0.25m, duration: 60), code: 200)));
        var second = await archive.SyncAsync(Project);

        var after = await archive.GetStatisticsAsync(Project);
        Assert.Equal(before.Requests, after.Requests);
        Assert.Equal(0, second.Added);
        var settled = Assert.Single(await All(archive, new RequestsQuery().WithRequestId(pending.RequestId!)));
        Assert.Equal(RequestLogState.Success, settled.State);
        Assert.Equal(0.0125m, settled.Response!.Details!.Usd);
        var priced = Assert.Single(await All(archive, new RequestsQuery().WithRequestId(unpriced.RequestId!)));
        Assert.Equal(0.25m, priced.Response!.Details!.Usd);
        Assert.True(before.Unsettled > after.Unsettled);
    }

    [SkippableFact]
    public async Task A_sync_cancelled_after_k_pages_and_resumed_gives_exactly_the_set_of_an_uninterrupted_sync()
    {
        const int k = 3;
        var reference = await NewArchiveAsync();
        var whole = await reference.SyncAsync(Project);

        var archive = await NewArchiveAsync();
        using var cts = new CancellationTokenSource();
        var progress = new InlineProgress<ArchiveSyncProgress>(p =>
        {
            if (p.Pages == k)
            {
                cts.Cancel();
            }
        });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => archive.SyncAsync(Project, progress, cts.Token));

        var stopped = await archive.GetStatisticsAsync(Project);
        Assert.Equal(k * PageSize, stopped.Requests);
        Assert.Equal(k, stopped.Checkpoint!.Pass!.Pages);
        Assert.NotNull(stopped.Checkpoint.Pass.ContinuationToken);
        Assert.Null(stopped.Checkpoint.SyncedThrough);

        Api.ClearRecordedRequests();
        Time.Advance(TimeSpan.FromMinutes(7)); // a later run resumes the same window, not a new one
        var resumed = await archive.SyncAsync(Project);

        Assert.True(resumed.Resumed);
        Assert.Equal(whole.Pages - k, resumed.Pages);
        Assert.Equal(whole.End, resumed.End);
        Assert.Equal(whole.Items - k * PageSize, resumed.Added);
        var firstPage = Api.RecordedRequests.First(r => r.Path.EndsWith("/requests", StringComparison.Ordinal));
        Assert.Equal([k.ToString(System.Globalization.CultureInfo.InvariantCulture)], firstPage.QueryValues("page"));
        Assert.Equal(Wire(await All(reference)), Wire(await All(archive)));
    }

    [SkippableTheory]
    [InlineData(1, 5)] // one page per commit: the fifth commit fails
    [InlineData(2, 3)] // batches of two pages: the third commit fails
    public async Task A_failed_commit_loses_nothing_before_it_is_not_tried_again_and_the_next_sync_resumes_after_the_last_committed_page(int pagesPerCommit, int failOnCommit)
    {
        var reference = await NewArchiveAsync();
        var whole = await reference.SyncAsync(Project);
        Assert.True(whole.Pages > 4, "the demo data must reach past the failing commit");

        var store = await NewStoreAsync();
        var commits = new List<long>();
        var crashing = Archive(HookedStore.Failing(store, failOnCommit), configure: o => o.RowsPerCommit = pagesPerCommit * PageSize);
        var progress = new InlineProgress<ArchiveSyncProgress>(p => commits.Add(p.Pages));
        await Assert.ThrowsAsync<IOException>(() => crashing.SyncAsync(Project, progress));

        const int committed = 4;
        Assert.Equal(Enumerable.Range(1, failOnCommit - 1).Select(i => (long)(i * pagesPerCommit)), commits); // told per commit
        var restarted = Archive(store);
        var stats = await restarted.GetStatisticsAsync(Project);
        Assert.Equal(committed * PageSize, stats.Requests);
        Assert.Equal(committed, stats.Checkpoint!.Pass!.Pages);
        var resumed = await restarted.SyncAsync(Project);
        Assert.True(resumed.Resumed);
        Assert.Equal(whole.Pages - committed, resumed.Pages);
        Assert.Equal(Wire(await All(reference)), Wire(await All(restarted)));
    }

    [SkippableFact]
    public async Task A_batch_commits_while_the_next_page_is_read_one_commit_at_a_time_and_in_order()
    {
        var nextPageRequested = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Api.Faults.AppliesTo = r =>
        {
            if (r.Path.EndsWith("/requests", StringComparison.Ordinal) && r.QueryValues("page") is ["1"])
            {
                nextPageRequested.TrySetResult(); // the second page (pages count from 0)
            }
            return false;
        };
        var running = 0;
        var overlapped = false;
        var store = new HookedStore(await NewStoreAsync(), async n =>
        {
            overlapped |= Interlocked.Increment(ref running) > 1;
            if (n == 1)
            {
                // Serial paging (Prefetch 1): the loop asks for page 2 only after it has handed page 1 to this commit.
                await nextPageRequested.Task.WaitAsync(TimeSpan.FromSeconds(30));
            }
        }, _ => Interlocked.Decrement(ref running));
        var committed = new List<long>();
        var archive = Archive(store, configure: o => o.Prefetch = 1);

        var result = await archive.SyncAsync(Project, new InlineProgress<ArchiveSyncProgress>(p => committed.Add(p.Pages)));

        Assert.False(overlapped);
        Assert.Equal(Enumerable.Range(1, (int)result.Pages).Select(i => (long)i), committed); // every page, each once, in order
        Assert.Equal(Served().Count, (await archive.GetStatisticsAsync(Project)).Requests);
        Assert.Null((await archive.GetStatisticsAsync(Project)).Checkpoint!.Pass); // the last commit closed the pass
    }

    [SkippableFact]
    public async Task An_API_failure_in_the_middle_of_a_batch_first_commits_the_pages_already_read()
    {
        var reference = await NewArchiveAsync();
        await reference.SyncAsync(Project);

        var archive = await NewArchiveAsync(o => o.RowsPerCommit = 100 * PageSize);
        Api.Faults.AppliesTo = r => r.Path.EndsWith("/requests", StringComparison.Ordinal) && r.QueryValues("page") is [var page] && int.Parse(page, System.Globalization.CultureInfo.InvariantCulture) >= 4;
        Api.Faults.SetFailureRate(1, 500);
        var error = await Assert.ThrowsAsync<UsageApiException>(() => archive.SyncAsync(Project));
        Assert.Equal(500, error.Status);

        var stopped = await archive.GetStatisticsAsync(Project);
        Assert.Equal(4 * PageSize, stopped.Requests);
        Assert.Equal(4, stopped.Checkpoint!.Pass!.Pages);

        Api.Faults.Clear();
        Api.Faults.AppliesTo = null;
        var resumed = await archive.SyncAsync(Project);
        Assert.True(resumed.Resumed);
        Assert.Equal(Wire(await All(reference)), Wire(await All(archive)));
    }

    [SkippableFact]
    public async Task A_sync_against_API_faults_loses_nothing()
    {
        var reference = await NewArchiveAsync();
        await reference.SyncAsync(Project);

        var archive = await NewArchiveAsync();
        Api.Faults.FailNext(1, 503);
        Api.Faults.TruncateNext(1, keepBytes: 200);
        Api.Faults.ResetNext(1, afterBytes: 300);
        Api.Faults.SetFailureRate(0.3, 500, seed: 11);
        Api.Faults.AppliesTo = r => r.Path.EndsWith("/requests", StringComparison.Ordinal);
        var failures = 0;
        ArchiveSyncResult? done = null;
        for (var attempt = 0; attempt < 60 && done is null; attempt++)
        {
            try
            {
                done = await archive.SyncAsync(Project);
            }
            catch (UsageApiException)
            {
                failures++;
            }
        }
        Api.Faults.Clear();

        Assert.NotNull(done);
        Assert.True(failures >= 3, $"the faults should have broken several runs; {failures} did");
        var stored = await All(archive);
        Assert.Equal(stored.Count, stored.Select(r => r.RequestId).Distinct().Count());
        Assert.Equal(Wire(await All(reference)), Wire(stored));
    }

    [SkippableFact]
    public async Task The_archive_query_returns_what_the_API_returned()
    {
        var archive = await NewArchiveAsync(o => o.SyncUsage = false);
        await archive.SyncAsync(Project);
        var sample = Api.GetRequests(Project)[17];
        var queries = new Dictionary<string, RequestsQuery>
        {
            ["all"] = new RequestsQuery(),
            ["failed"] = new RequestsQuery().WithStatus(RequestStatus.Failed),
            ["succeeded"] = new RequestsQuery().WithStatus(RequestStatus.Succeeded),
            ["accessor"] = new RequestsQuery().WithAccessor(sample.Accessor!),
            ["accessors"] = new RequestsQuery().WithAccessors(sample.Accessor!, Api.GetRequests(Project).First(r => r.Accessor is not null && r.Accessor != sample.Accessor).Accessor!),
            ["method"] = new RequestsQuery().WithMethod(ProcessingMethod.Streaming),
            ["endpoint"] = new RequestsQuery().WithEndpoint(Endpoint.Speak),
            ["deployment"] = new RequestsQuery().WithDeployment(Deployment.Hosted),
            ["window"] = new RequestsQuery().Between(Start.AddHours(-30), Start.AddHours(-6)),
            ["request id"] = new RequestsQuery().WithRequestId(sample.RequestId!),
            ["combined"] = new RequestsQuery().From(Start.AddHours(-40)).WithStatus(RequestStatus.Succeeded).WithEndpoint(Endpoint.Listen),
        };

        foreach (var (name, query) in queries)
        {
            var fromApi = await AsyncList.ToListAsync(Client.GetRequestsAsync(Project, query));
            var fromArchive = await All(archive, query);

            Assert.True(fromApi.Count > 0, $"{name}: the API returned nothing; the fixture should cover this filter");
            Assert.True(Wire(fromApi).SequenceEqual(Wire(fromArchive)), $"{name}: the archive returned {fromArchive.Count} logs, the API {fromApi.Count} (or other content)");
            Assert.Equal(fromApi.Select(r => r.State), fromArchive.Select(r => r.State));
        }
    }

    [SkippableFact]
    public async Task A_checkpoint_older_than_the_server_keeps_records_a_gap()
    {
        var archive = await NewArchiveAsync(o => o.SyncUsage = false);
        await archive.SyncAsync(Project);
        var before = await archive.GetStatisticsAsync(Project);
        Time.Advance(TimeSpan.FromDays(100));

        var late = await archive.SyncAsync(Project);

        var horizon = Start.AddDays(100).AddDays(-90);
        Assert.NotNull(late.Gap);
        Assert.Equal(Start, late.Gap!.From);
        Assert.Equal(horizon, late.Gap.To);
        Assert.Equal(horizon, late.Start);
        Assert.Equal(0, late.Items);
        var stats = await archive.GetStatisticsAsync(Project);
        Assert.Equal(late.Gap, Assert.Single(stats.Gaps));
        Assert.Equal(before.Requests, stats.Requests); // what was archived stays past the server's 90 days

        var next = await archive.SyncAsync(Project);
        Assert.Null(next.Gap);
        Assert.Single((await archive.GetStatisticsAsync(Project)).Gaps);
    }

    [SkippableFact]
    public async Task Daily_summary_and_breakdowns_are_archived()
    {
        var archive = await NewArchiveAsync(o =>
        {
            o.BreakdownGroupings.Clear();
            o.BreakdownGroupings.Add(UsageGrouping.Models);
            o.BreakdownGroupings.Add(UsageGrouping.Tags);
        });
        var result = await archive.SyncAsync(Project);
        var from = DateOnly.FromDateTime(Start.AddDays(-3).UtcDateTime);
        var to = DateOnly.FromDateTime(Start.UtcDateTime);
        var range = new UsageQuery().Between(from, to);

        Assert.Equal(91, result.UsageDays);
        var apiSummary = await Client.GetSummaryAsync(Project, range);
        var archived = await archive.GetSummaryAsync(Project, from, to);
        Assert.Equal(
            apiSummary.Results.Select(r => (r.Start, r.End, r.Hours, r.TotalHours, r.Requests, r.Tokens?.In, r.Tokens?.Out)),
            archived.Results.Select(r => (r.Start, r.End, r.Hours, r.TotalHours, r.Requests, r.Tokens?.In, r.Tokens?.Out)));
        Assert.Contains(archived.Results, r => r.Requests > 0);

        foreach (var grouping in new[] { UsageGrouping.Models, UsageGrouping.Tags })
        {
            var api = await Client.GetBreakdownAsync(Project, range.GroupBy(grouping));
            var stored = await archive.GetBreakdownAsync(Project, grouping, from, to);
            static string Key(UsageBreakdownResult r) => $"{r.Grouping?.Start}|{string.Join(",", r.Grouping?.Models ?? [])}|{string.Join(",", r.Grouping?.Tags ?? [])}|{r.Hours}|{r.TotalHours}|{r.AgentHours}|{r.Requests}|{r.TokensIn}|{r.TokensOut}|{r.TtsCharacters}";
            Assert.Equal(api.Results.Select(Key).Order(StringComparer.Ordinal), stored.Results.Select(Key).Order(StringComparer.Ordinal));
            Assert.NotEmpty(stored.Results);
        }
        Assert.Empty((await archive.GetBreakdownAsync(Project, UsageGrouping.Accessor)).Results);
    }
}
