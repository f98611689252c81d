extern alias ChaosRunner;

using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using UsageSdk.Testing;
using Xunit.Abstractions;
using SyncChild = ChaosRunner::UsageSdk.ChaosRunner.ArchiveSyncMode;

namespace UsageSdk.Archive.Tests.Sync;

/// <summary>
/// Archive crash safety with a real child process (tests/UsageSdk.ChaosRunner in <c>sync</c> mode) killed mid-sync, twice:
/// each time the SQLite database opens, passes <c>PRAGMA integrity_check</c>, and holds an unfinished pass; the next
/// sync resumes and ends with exactly the API's set of request logs (none lost, none twice).
/// </summary>
public sealed class ArchiveCrashTests(ITestOutputHelper output) : IDisposable
{
    private const int Seed = 7, Days = 20, PerDay = 200, PageSize = 5;
    private static readonly TimeSpan SafetyNet = TimeSpan.FromMinutes(3);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "usagesdk-crash-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task A_sync_killed_mid_way_leaves_a_sound_database_and_the_next_sync_completes_exactly()
    {
        Directory.CreateDirectory(_dir);
        var db = Path.Combine(_dir, "usage.db");
        var expected = SyncChild.CreateApi(Seed, Days, PerDay).GetRequests(FakeUsageApi.DemoProjectId).Select(r => r.RequestId!).ToHashSet(StringComparer.Ordinal);
        Assert.True(expected.Count > 50 * PageSize, $"only {expected.Count} requests: too few pages to kill the sync mid-way");

        var killedWith = new List<long>();
        foreach (var killAfter in new[] { 3, 8 })
        {
            var run = await RunChildAsync(db, killAfter);
            Assert.True(run.Killed, $"the sync ended before it could be killed: {run.Log}");
            var state = Inspect(db);
            output.WriteLine($"killed after {run.Pages} pages reported: {state.Rows} rows, pass token {state.PassToken ?? "(none)"}, integrity {state.Integrity}");
            Assert.Equal("ok", state.Integrity);
            Assert.NotNull(state.PassToken); // the pass is unfinished: the next sync resumes it
            Assert.InRange(state.Rows, 1, expected.Count - 1);
            Assert.Equal(state.Rows, state.DistinctIds);
            killedWith.Add(state.Rows);
        }
        Assert.True(killedWith[1] > killedWith[0], "the second (resumed) run added nothing before it was killed");

        var last = await RunChildAsync(db, killAfter: null);
        Assert.False(last.Killed);
        Assert.Contains("done ", last.Log, StringComparison.Ordinal);
        Assert.Contains(" True", last.Log.Split('\n').Single(l => l.StartsWith("done ", StringComparison.Ordinal)), StringComparison.Ordinal); // it resumed

        var final = Inspect(db);
        output.WriteLine($"completed: {final.Rows} rows of {expected.Count}, integrity {final.Integrity}");
        Assert.Equal("ok", final.Integrity);
        Assert.Null(final.PassToken);
        Assert.Equal(expected.Count, final.Rows);
        Assert.Equal(final.Rows, final.DistinctIds);

        // The exact set, read back through the archive.
        await using var archive = UsageArchive.Open(db);
        var ids = new List<string>();
        await foreach (var r in archive.QueryAsync(FakeUsageApi.DemoProjectId))
        {
            ids.Add(r.RequestId!);
        }
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.True(expected.SetEquals(ids), $"{expected.Except(ids).Count()} lost, {ids.Except(expected).Count()} unexpected");
    }

    [Fact]
    public async Task A_kill_inside_a_batch_commit_keeps_exactly_the_batches_committed_before_and_the_resumed_sync_completes_exactly()
    {
        Directory.CreateDirectory(_dir);
        var db = Path.Combine(_dir, "usage.db");
        var expected = SyncChild.CreateApi(Seed, Days, PerDay).GetRequests(FakeUsageApi.DemoProjectId).Select(r => r.RequestId!).ToHashSet(StringComparer.Ordinal);

        long before = 0;
        foreach (var committedFirst in new[] { 2, 3 })
        {
            // The child stops inside SQLite's COMMIT of the batch after `committedFirst` reported ones (rows written, some
            // spilled to the WAL, no commit record) and is killed there.
            var run = await RunChildAsync(db, killAfter: null, stallInCommit: committedFirst);
            Assert.True(run.Killed, $"the sync ended before it stopped inside a commit: {run.Log}");
            Assert.Equal(committedFirst, run.Commits);
            var state = Inspect(db);
            output.WriteLine($"killed inside commit {committedFirst + 1} of the run: {state.Rows} rows ({run.Items} reported committed by the run), pass token {state.PassToken ?? "(none)"}, integrity {state.Integrity}");
            Assert.Equal("ok", state.Integrity);
            Assert.NotNull(state.PassToken);
            Assert.Equal(before + run.Items, state.Rows); // exactly the committed batches: none of the killed one, none twice
            Assert.Equal(state.Rows, state.DistinctIds);
            Assert.Equal(state.Rows, state.PassItems); // the checkpoint counts the same rows: the next sync resumes after them
            before = state.Rows;
        }

        var last = await RunChildAsync(db, killAfter: null);
        Assert.False(last.Killed);
        Assert.Contains(" True", last.Log.Split('\n').Single(l => l.StartsWith("done ", StringComparison.Ordinal)), StringComparison.Ordinal); // it resumed
        var final = Inspect(db);
        Assert.Equal("ok", final.Integrity);
        Assert.Null(final.PassToken);
        Assert.Equal(before + last.Items, final.Rows); // the resumed pass read only what was not committed
        Assert.Equal(expected.Count, final.Rows);
        Assert.Equal(final.Rows, final.DistinctIds);
        await using var archive = UsageArchive.Open(db);
        var ids = new List<string>();
        await foreach (var r in archive.QueryAsync(FakeUsageApi.DemoProjectId))
        {
            ids.Add(r.RequestId!);
        }
        Assert.True(expected.SetEquals(ids), $"{expected.Except(ids).Count()} lost, {ids.Except(expected).Count()} unexpected");
    }

    private sealed record ChildRun(bool Killed, long Pages, string Log, int Commits = 0, long Items = 0);

    private sealed record DbState(string Integrity, long Rows, long DistinctIds, string? PassToken, long PassItems);

    /// <summary>
    /// Runs the ChaosRunner in sync mode; kills it (and its tree) once it reported <paramref name="killAfter"/> committed
    /// pages, or once it says it stopped inside the commit after <paramref name="stallInCommit"/> reported ones.
    /// </summary>
    private static async Task<ChildRun> RunChildAsync(string db, int? killAfter, int? stallInCommit = null)
    {
        var dir = AppContext.BaseDirectory;
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h ? h
            : Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet";
        var start = new ProcessStartInfo(host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = dir,
        };
        // The runner's dependencies (SQLite's native library included) resolve through the test project's deps file.
        var tests = typeof(ArchiveCrashTests).Assembly.GetName().Name;
        foreach (var a in new[]
        {
            "exec", "--runtimeconfig", Path.Combine(dir, tests + ".runtimeconfig.json"), "--depsfile", Path.Combine(dir, tests + ".deps.json"),
            Path.Combine(dir, "UsageSdk.ChaosRunner.dll"), "sync", "--db", db, "--seed", Seed.ToString(CultureInfo.InvariantCulture),
            "--days", Days.ToString(CultureInfo.InvariantCulture), "--per-day", PerDay.ToString(CultureInfo.InvariantCulture),
            "--page-size", PageSize.ToString(CultureInfo.InvariantCulture),
        }.Concat(stallInCommit is { } n ? ["--stall-in-commit", n.ToString(CultureInfo.InvariantCulture)] : []))
        {
            start.ArgumentList.Add(a);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("The child did not start.");
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(SafetyNet);
        var log = new System.Text.StringBuilder();
        long pages = 0, items = 0;
        var commits = 0;
        var killed = false;
        try
        {
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                log.Append(line).Append('\n');
                if (line.StartsWith("in-commit ", StringComparison.Ordinal))
                {
                    process.Kill(entireProcessTree: true); // SIGKILL while the commit is under way
                    killed = true;
                    break;
                }
                if (line.StartsWith("committed ", StringComparison.Ordinal) || line.StartsWith("done ", StringComparison.Ordinal))
                {
                    var parts = line.Split(' ');
                    pages = long.Parse(parts[1], CultureInfo.InvariantCulture);
                    items = long.Parse(parts[2], CultureInfo.InvariantCulture);
                    commits += parts[0] == "committed" ? 1 : 0;
                    if (killAfter is { } k && pages >= k)
                    {
                        process.Kill(entireProcessTree: true);
                        killed = true;
                        break;
                    }
                }
            }
            await process.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        var err = await stderr;
        if (!killed && process.ExitCode != 0)
        {
            throw new Xunit.Sdk.XunitException($"The sync child failed with exit code {process.ExitCode}: {err}\n{log}");
        }
        return new ChildRun(killed, pages, log + err, commits, items);
    }

    private static DbState Inspect(string db)
    {
        using var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = db, Pooling = false }.ToString());
        c.Open();
        string Scalar(string sql)
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = sql;
            cmd.Parameters.AddWithValue("$p", FakeUsageApi.DemoProjectId);
            return Convert.ToString(cmd.ExecuteScalar(), CultureInfo.InvariantCulture) ?? "";
        }
        var integrity = Scalar("PRAGMA integrity_check;");
        var rows = long.Parse(Scalar("SELECT count(*) FROM usage_requests WHERE project_id = $p;"), CultureInfo.InvariantCulture);
        var distinct = long.Parse(Scalar("SELECT count(DISTINCT request_id) FROM usage_requests WHERE project_id = $p;"), CultureInfo.InvariantCulture);
        var token = Scalar("SELECT pass_token FROM usage_sync_state WHERE project_id = $p;");
        var passItems = Scalar("SELECT pass_items FROM usage_sync_state WHERE project_id = $p;");
        return new DbState(integrity, rows, distinct, token.Length == 0 ? null : token, passItems.Length == 0 ? 0 : long.Parse(passItems, CultureInfo.InvariantCulture));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            if (Directory.Exists(_dir))
            {
                Directory.Delete(_dir, recursive: true);
            }
        }
        catch (IOException)
        {
            // a leftover temp folder is harmless
        }
    }
}
