using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;
using UsageSdk.Archive;

namespace UsageSdk.Benchmarks;

/// <summary>
/// Where an archive sync's time goes, in three diagnostic runs (each in a process of its own):
/// <list type="bullet">
/// <item><c>--archive-run split N</c>: the N logs read from the loopback server into memory (HTTP, parsing and the
/// server, nothing stored), then the same logs committed by the store (5,000 rows a commit, nothing read meanwhile).
/// A sync overlaps the two, so its rate cannot beat the slower one.</item>
/// <item><c>--archive-run least N</c> (<see cref="RunLeastAsync"/>): the least any sync can do, measured as
/// <c>sync</c> and <c>floor</c> are.</item>
/// <item><c>--archive-run schema N</c>: what SQLite alone spends on the rows a sync of N logs stored, with no .NET work
/// per row: the rows are read back from that archive, their values encoded beforehand, and replayed through one prepared
/// statement per table (SQLite's own API, bound by position) into new files with the archive's pragmas (64 KB pages,
/// 64 MB cache, WAL), 5,000 logs a transaction, for the floor's table, the archive's request table and its roll-up
/// tables. The same replay of every table keeps the comparison fair.</item>
/// </list>
/// </summary>
public static class ArchiveCostModes
{
    private static readonly int Batch = new UsageArchiveOptions().RowsPerCommit;

    public static async Task<int> SplitAsync(int rows)
    {
        await using var server = await BenchServer.StartAsync().ConfigureAwait(false);
        var client = new UsageClient(new UsageClientOptions { ApiKey = "bench-key", BaseAddress = server.BaseAddress });
        for (var round = 0; round < 3; round++)
        {
            using var self = Process.GetCurrentProcess();
            var cpu = self.TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            var all = new List<UsageRequest>(rows);
            await foreach (var r in client.GetRequestsAsync(BenchServer.Project(rows, 0, timeline: true), new RequestsQuery().WithPageSize(RequestsQuery.MaxPageSize)).ConfigureAwait(false))
            {
                all.Add(r);
            }
            self.Refresh();
            var read = (sw.Elapsed, self.TotalProcessorTime - cpu);
            var path = TempPath("split");
            await using (var store = new SqliteArchiveStore(path))
            {
                await store.InitializeAsync().ConfigureAwait(false);
                cpu = self.TotalProcessorTime;
                sw.Restart();
                for (var i = 0; i < rows; i += Batch)
                {
                    var checkpoint = new ArchiveCheckpoint(null, null, null, DateTimeOffset.UnixEpoch);
                    await store.CommitPageAsync("bench", all.GetRange(i, Math.Min(Batch, rows - i)), checkpoint).ConfigureAwait(false);
                }
            }
            self.Refresh();
            var commit = (sw.Elapsed, self.TotalProcessorTime - cpu);
            Delete(path);
            if (round > 0)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"round {round}: read {Rate(rows, read)}; commit {Rate(rows, commit)}"));
            }
        }
        return 0;
    }

    public static async Task<int> SchemaAsync(int rows)
    {
        // The rows a real sync stores.
        var source = TempPath("schema-source");
        await using (var server = await BenchServer.StartAsync().ConfigureAwait(false))
        {
            var client = new UsageClient(new UsageClientOptions { ApiKey = "bench-key", BaseAddress = server.BaseAddress });
            await using var archive = UsageArchive.Open(source, client, new UsageArchiveOptions { SyncUsage = false });
            await archive.SyncAsync(BenchServer.Project(rows, 0, timeline: true)).ConfigureAwait(false);
        }
        SqliteConnection.ClearAllPools();
        List<Table> tables;
        using (var c = new SqliteConnection($"Data Source={source};Mode=ReadOnly"))
        {
            c.Open();
            var requests = Table.Read(c, "usage_requests", "SELECT * FROM usage_requests ORDER BY rowid;", rows);
            string[] floor = ["project_id", "request_id", "created", "raw"];
            tables =
            [
                new Table("floor (id key, time index, JSON)", [ArchiveBenchmarks.FloorTable], "INSERT INTO requests VALUES (?1, ?2, ?3, ?4);", floor, requests.Project(floor), rows),
                requests.WithIndexes("archive's request table (4 indexes)", null),
                requests.WithIndexes("archive's request table, no accessor index", "ix_usage_requests_accessor"),
                requests.WithIndexes("archive's request table, no index", "*"),
                Table.Read(c, "usage_rollups", "SELECT * FROM usage_rollups ORDER BY project_no, day, shape_id, hour;", rows),
                Table.Read(c, "usage_rollups_daily", "SELECT * FROM usage_rollups_daily ORDER BY project_no, day, shape_id;", rows),
                Table.Read(c, "usage_rollups_series", "SELECT * FROM usage_rollups_series ORDER BY project_no, hour, series_id;", rows),
            ];
        }
        Delete(source);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{rows:N0} logs; per log, SQLite alone (three rounds after a warm-up: min / median / max), file bytes:"));
        foreach (var table in tables)
        {
            var times = new List<double>();
            long bytes = 0;
            for (var round = 0; round < 4; round++)
            {
                var (elapsed, size) = table.Replay(TempPath("schema"));
                if (round > 0)
                {
                    times.Add(elapsed.TotalMicroseconds / rows);
                    bytes = size;
                }
            }
            times.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {table.Name,-48} {times[0],6:0.00} / {times[1],6:0.00} / {times[2],6:0.00} µs   {bytes / (double)rows,6:0} B"));
        }
        return 0;
    }

    /// <summary>
    /// The least any sync can do: the same paging over HTTP (each log parsed, as a sync must to learn its id and time),
    /// and each batch of 5,000 logs inserted into the floor's table (id key, time index, JSON) through one prepared
    /// statement, one batch committing on the thread pool while the next is read, as <c>UsageArchive.SyncAsync</c>
    /// overlaps them. The JSON bound is the floor's own, already serialized (nothing is serialized again); no derived
    /// columns, no other index, no roll-ups, no checkpoint row. The floor does the same inserts without the paging.
    /// </summary>
    internal static async Task<long> RunLeastAsync(string path, UsageClient client, (string Id, DateTime Created, string Raw)[] wire, int rows)
    {
        var encoded = wire.Select(w => Encoding.UTF8.GetBytes(w.Raw)).ToArray();
        long done = 0;
        using var c = new SqliteConnection($"Data Source={path};Pooling=False");
        c.Open();
        ArchiveBenchmarks.CreateFloor(c);
        var db = c.Handle!;
        Check(db, raw.sqlite3_prepare_v2(db, "INSERT INTO requests VALUES ('bench', ?1, ?2, ?3) ON CONFLICT (project_id, request_id) DO UPDATE SET created = excluded.created, raw = excluded.raw;", out var stmt));
        using (stmt)
        {
            void Commit(List<UsageRequest> batch)
            {
                Check(db, raw.sqlite3_exec(db, "BEGIN IMMEDIATE;"));
                foreach (var r in batch)
                {
                    Check(db, raw.sqlite3_bind_text(stmt, 1, r.RequestId!));
                    Check(db, raw.sqlite3_bind_text(stmt, 2, r.Created.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)));
                    Check(db, raw.sqlite3_bind_text(stmt, 3, encoded[done++ % encoded.Length]));
                    var rc = raw.sqlite3_step(stmt);
                    raw.sqlite3_reset(stmt);
                    Check(db, rc);
                }
                Check(db, raw.sqlite3_exec(db, "COMMIT;"));
            }
            var committing = Task.CompletedTask;
            var next = new List<UsageRequest>(Batch);
            var query = new RequestsQuery().WithPageSize(RequestsQuery.MaxPageSize).WithPrefetch(new UsageArchiveOptions().Prefetch); // as a sync pages
            await foreach (var r in client.GetRequestsAsync(BenchServer.Project(rows, 0, timeline: true), query).ConfigureAwait(false))
            {
                next.Add(r);
                if (next.Count == Batch)
                {
                    await committing.ConfigureAwait(false);
                    var batch = next;
                    committing = Task.Run(() => Commit(batch));
                    next = new List<UsageRequest>(Batch);
                }
            }
            await committing.ConfigureAwait(false);
            if (next.Count > 0)
            {
                Commit(next);
            }
        }
        return done;
    }

    private static void Check(sqlite3 db, int rc)
    {
        if (rc is not (raw.SQLITE_OK or raw.SQLITE_DONE or raw.SQLITE_ROW))
        {
            SqliteException.ThrowExceptionForRC(rc, db);
        }
    }

    private static string Rate(int rows, (TimeSpan Wall, TimeSpan Cpu) t)
        => string.Create(CultureInfo.InvariantCulture, $"{rows / t.Wall.TotalSeconds:N0} rows/s, {t.Cpu.TotalMicroseconds / rows:0.0} µs CPU a row");

    private static string TempPath(string what) => Path.Combine(Path.GetTempPath(), $"usage-bench-{what}-{Guid.NewGuid():N}.db");

    /// <summary>The bytes of a SQLite file and its WAL.</summary>
    internal static long FileBytes(string path) => new[] { "", "-wal" }.Sum(s => File.Exists(path + s) ? new FileInfo(path + s).Length : 0);

    /// <summary>Closes the pooled connections and deletes a SQLite file with everything beside it.</summary>
    internal static void Delete(string path)
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm", "-journal", ".sync-lock" })
        {
            File.Delete(path + suffix);
        }
    }

    /// <summary>
    /// One table to replay: its schema, its insert, and its rows' values (UTF-8 texts, integers, reals, nulls), spread
    /// over the commits a sync of <paramref name="logs"/> logs made (as many rows in each as it wrote).
    /// </summary>
    private sealed class Table(string name, IReadOnlyList<string> schema, string insert, string[] columns, object?[][] values, int logs)
    {
        public string Name { get; } = name;

        /// <summary>A table of the archive, its rows in the order of <paramref name="select"/>.</summary>
        public static Table Read(SqliteConnection c, string table, string select, int logs)
        {
            var schema = new List<string>();
            using (var cmd = c.CreateCommand())
            {
                cmd.CommandText = "SELECT sql FROM sqlite_master WHERE tbl_name = $t AND sql IS NOT NULL ORDER BY type DESC;"; // the table before its indexes
                cmd.Parameters.AddWithValue("$t", table);
                using var r = cmd.ExecuteReader();
                while (r.Read())
                {
                    schema.Add(r.GetString(0) + ";");
                }
            }
            var rows = new List<object?[]>();
            string[] columns;
            using (var cmd = c.CreateCommand())
            {
                cmd.CommandText = select;
                using var r = cmd.ExecuteReader();
                columns = [.. Enumerable.Range(0, r.FieldCount).Select(r.GetName)];
                while (r.Read())
                {
                    var row = new object?[columns.Length];
                    for (var i = 0; i < columns.Length; i++)
                    {
                        row[i] = r.IsDBNull(i) ? null : r.GetValue(i) switch
                        {
                            string s => Encoding.UTF8.GetBytes(s),
                            var v => v,
                        };
                    }
                    rows.Add(row);
                }
            }
            var placeholders = string.Join(", ", Enumerable.Range(1, columns.Length).Select(i => $"?{i}"));
            return new Table(table, schema, $"INSERT INTO {table} VALUES ({placeholders});", columns, [.. rows], logs);
        }

        /// <summary>The same rows with only some columns, by name.</summary>
        public object?[][] Project(params string[] names)
        {
            var at = names.Select(n => Array.IndexOf(columns, n)).ToArray();
            return [.. values.Select(row => at.Select(i => row[i]).ToArray())];
        }

        /// <summary>The table with its indexes, less one (by name), or none (<c>*</c>).</summary>
        public Table WithIndexes(string label, string? without)
        {
            var kept = schema.Where((s, i) => i == 0 || (without != "*" && (without is null || !s.Contains(without, StringComparison.Ordinal)))).ToList();
            return new Table(label, kept, insert, columns, values, logs);
        }

        public (TimeSpan Elapsed, long Bytes) Replay(string path)
        {
            using var c = new SqliteConnection($"Data Source={path};Pooling=False");
            c.Open();
            Execute(c, "PRAGMA page_size=65536; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536;");
            foreach (var s in schema)
            {
                Execute(c, s);
            }
            var db = c.Handle!;
            Check(db, raw.sqlite3_prepare_v2(db, insert, out var stmt));
            var commits = (logs + Batch - 1) / Batch;
            var sw = Stopwatch.StartNew();
            using (stmt)
            {
                for (var k = 0; k < commits; k++)
                {
                    Check(db, raw.sqlite3_exec(db, "BEGIN IMMEDIATE;"));
                    var from = (int)((long)values.Length * k / commits);
                    var to = (int)((long)values.Length * (k + 1) / commits);
                    for (var i = from; i < to; i++)
                    {
                        var row = values[i];
                        for (var j = 0; j < row.Length; j++)
                        {
                            Check(db, row[j] switch
                            {
                                null => raw.sqlite3_bind_null(stmt, j + 1),
                                byte[] text => raw.sqlite3_bind_text(stmt, j + 1, text),
                                long n => raw.sqlite3_bind_int64(stmt, j + 1, n),
                                double d => raw.sqlite3_bind_double(stmt, j + 1, d),
                                var v => throw new InvalidOperationException($"Unexpected value {v.GetType()}."),
                            });
                        }
                        var rc = raw.sqlite3_step(stmt);
                        raw.sqlite3_reset(stmt);
                        if (rc != raw.SQLITE_DONE)
                        {
                            Check(db, rc);
                        }
                    }
                    Check(db, raw.sqlite3_exec(db, "COMMIT;"));
                }
            }
            sw.Stop();
            c.Close();
            var bytes = FileBytes(path);
            Delete(path);
            return (sw.Elapsed, bytes);
        }

        private static void Execute(SqliteConnection c, string sql)
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = sql;
            cmd.ExecuteNonQuery();
        }
    }
}
