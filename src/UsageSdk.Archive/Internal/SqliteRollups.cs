using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using SQLitePCL;
using UsageSdk.Reports.Internal;

namespace UsageSdk.Archive.Internal;

/// <summary>
/// The roll-ups of a SQLite archive (schema 4): their tables, the writer that keeps them in step with
/// <c>usage_requests</c> inside each commit's transaction, the rebuild of an older archive, and the reads of
/// <see cref="RollupReports"/>. One instance per store: it caches the shapes and project numbers, which never change
/// once written.
/// <para>
/// De-duplication follows the upsert of the request rows: a temporary trigger notes every row the commit updates (its
/// old time, and whether its JSON changed). A new request adds to its roll-ups; an unchanged one adds nothing; a changed
/// one makes its old and new hours be rebuilt from the stored logs (their hourly rows are written again, and the daily
/// and series rows get the difference), so a request is never counted twice and never left out.
/// </para>
/// </summary>
internal sealed class SqliteRollups
{
    /// <summary>The roll-up tables (see docs/archive.md, "Roll-ups").</summary>
    public const string Tables = """
        CREATE TABLE IF NOT EXISTS usage_rollup_projects (
            project_no INTEGER PRIMARY KEY,
            project_id TEXT NOT NULL UNIQUE
        );
        CREATE TABLE IF NOT EXISTS usage_rollup_shapes (
            shape_id   INTEGER PRIMARY KEY,
            series_id  INTEGER NOT NULL,
            outcome    INTEGER NOT NULL,
            api_key_id TEXT,
            accessor   TEXT,
            models     TEXT NOT NULL,
            tags       TEXT NOT NULL,
            method     TEXT,
            endpoint   TEXT,
            deployment TEXT,
            shape_key  TEXT NOT NULL UNIQUE
        );
        CREATE TABLE IF NOT EXISTS usage_rollups (
            project_no     INTEGER NOT NULL,
            day            INTEGER NOT NULL,
            shape_id       INTEGER NOT NULL,
            hour           INTEGER NOT NULL,
            series_id      INTEGER NOT NULL,
            requests       INTEGER NOT NULL,
            tokens_in      INTEGER NOT NULL,
            tokens_out     INTEGER NOT NULL,
            tts_characters INTEGER NOT NULL,
            audio_micros   INTEGER NOT NULL,
            usd_nano       INTEGER NOT NULL,
            usd_atto       INTEGER NOT NULL,
            usd_rest       TEXT,
            usd_scale      INTEGER NOT NULL,
            parts          TEXT,
            first_created  INTEGER NOT NULL,
            last_created   INTEGER NOT NULL,
            PRIMARY KEY (project_no, day, shape_id, hour)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS usage_rollups_daily (
            project_no     INTEGER NOT NULL,
            day            INTEGER NOT NULL,
            shape_id       INTEGER NOT NULL,
            requests       INTEGER NOT NULL,
            tokens_in      INTEGER NOT NULL,
            tokens_out     INTEGER NOT NULL,
            tts_characters INTEGER NOT NULL,
            audio_micros   INTEGER NOT NULL,
            usd_nano       INTEGER NOT NULL,
            usd_atto       INTEGER NOT NULL,
            usd_rest       TEXT,
            usd_scale      INTEGER NOT NULL,
            parts          TEXT,
            PRIMARY KEY (project_no, day, shape_id)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS usage_rollups_series (
            project_no     INTEGER NOT NULL,
            hour           INTEGER NOT NULL,
            series_id      INTEGER NOT NULL,
            requests       INTEGER NOT NULL,
            tokens_in      INTEGER NOT NULL,
            tokens_out     INTEGER NOT NULL,
            tts_characters INTEGER NOT NULL,
            audio_micros   INTEGER NOT NULL,
            usd_nano       INTEGER NOT NULL,
            usd_atto       INTEGER NOT NULL,
            usd_rest       TEXT,
            usd_scale      INTEGER NOT NULL,
            parts          TEXT,
            PRIMARY KEY (project_no, hour, series_id)
        ) WITHOUT ROWID;
        """;

    // The reads that add rows up (the totals over a range, a filter's series) do it in a dictionary (ReadSums), not with
    // GROUP BY: SQLite grouped them in a temporary B-tree, which cost most of a 90-day view's time over 1M requests
    // (docs/performance.md, "Dashboard on a big archive").
    private const string Sums = "requests, tokens_in, tokens_out, tts_characters, audio_micros, usd_nano, usd_atto, usd_rest, parts, usd_scale";

    private const string Added = """
        requests = requests + excluded.requests, tokens_in = tokens_in + excluded.tokens_in, tokens_out = tokens_out + excluded.tokens_out,
        tts_characters = tts_characters + excluded.tts_characters, audio_micros = audio_micros + excluded.audio_micros,
        usd_nano = usd_nano + excluded.usd_nano, usd_atto = usd_atto + excluded.usd_atto,
        usd_rest = CASE WHEN excluded.usd_rest IS NULL THEN usd_rest ELSE usage_decimal_add(usd_rest, excluded.usd_rest) END,
        parts = CASE WHEN excluded.parts IS NULL THEN parts ELSE usage_parts_add(parts, excluded.parts) END,
        usd_scale = max(usd_scale, excluded.usd_scale)
        """;

    private static readonly string HourSql =
        $"INSERT INTO usage_rollups (project_no, day, shape_id, hour, series_id, {Sums}, first_created, last_created) VALUES (?1, ?17, ?3, ?2, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?16, ?14, ?15) " +
        $"ON CONFLICT (project_no, day, shape_id, hour) DO UPDATE SET {Added}, first_created = min(first_created, excluded.first_created), last_created = max(last_created, excluded.last_created);";

    private static readonly string DaySql =
        $"INSERT INTO usage_rollups_daily (project_no, day, shape_id, {Sums}) VALUES (?1, ?2, ?3, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?16) " +
        $"ON CONFLICT (project_no, day, shape_id) DO UPDATE SET {Added};";

    private static readonly string SeriesSql =
        $"INSERT INTO usage_rollups_series (project_no, hour, series_id, {Sums}) VALUES (?1, ?2, ?3, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?16) " +
        $"ON CONFLICT (project_no, hour, series_id) DO UPDATE SET {Added};";

    private readonly object _gate = new();
    private readonly Dictionary<RollupShape, long> _ids = [];
    private readonly Dictionary<long, RollupShape> _shapes = [];
    private readonly Dictionary<long, long> _seriesOf = [];
    private readonly Dictionary<string, long> _projects = new(StringComparer.Ordinal);
    private long _maxShapeId;
    private bool _loaded;


    /// <summary>Creates the tables in the caller's transaction.</summary>
    public static void CreateTables(SqliteConnection c, SqliteTransaction tx) => Execute(c, tx, Tables);

    /// <summary>
    /// Prepares a commit: the functions the upserts call, and the temporary table and trigger that note the updated
    /// request rows (per connection; a pooled connection keeps them). Call before the request rows are written.
    /// </summary>
    public Writer Begin(SqliteConnection c, SqliteTransaction tx)
    {
        RegisterFunctions(c);
        Execute(c, tx, """
            CREATE TEMP TABLE IF NOT EXISTS usage_rollup_updates (project_id TEXT NOT NULL, request_id TEXT NOT NULL, old_created TEXT NOT NULL, changed INTEGER NOT NULL);
            CREATE TEMP TRIGGER IF NOT EXISTS usage_rollup_updates_note BEFORE UPDATE ON main.usage_requests
            BEGIN
                INSERT INTO usage_rollup_updates VALUES (OLD.project_id, OLD.request_id, OLD.created, OLD.raw IS NOT NEW.raw OR OLD.created IS NOT NEW.created);
            END;
            DELETE FROM usage_rollup_updates;
            """);
        return new Writer(this, c, tx);
    }

    /// <summary>
    /// Moves the hourly rows of a schema 3 archive, renamed <c>usage_rollups_schema3</c> before <see cref="CreateTables"/>,
    /// into the schema 4 table (the same rows, with their day first in the key), in the caller's transaction.
    /// </summary>
    public static void MigrateFromSchema3(SqliteConnection c, SqliteTransaction tx) => Execute(c, tx, $"""
        INSERT INTO usage_rollups (project_no, day, shape_id, hour, series_id, {Sums}, first_created, last_created)
        SELECT project_no, CASE WHEN hour >= 0 THEN hour / 24 ELSE (hour - 23) / 24 END, shape_id, hour, series_id, {Sums}, first_created, last_created
        FROM usage_rollups_schema3 ORDER BY 1, 2, 3, 4;
        DROP TABLE usage_rollups_schema3;
        """);

    /// <summary>Builds the roll-ups of every stored request log (an archive written before roll-ups), in the caller's transaction.</summary>
    public Writer RebuildAll(SqliteConnection c, SqliteTransaction tx)
    {
        RegisterFunctions(c);
        var writer = new Writer(this, c, tx);
        writer.RebuildAll();
        return writer;
    }

    // ------------------------------------------------------------------ reads

    /// <summary>Every shape by id (read once, then only the ones added since).</summary>
    public IReadOnlyDictionary<long, RollupShape> Shapes(SqliteConnection c)
    {
        lock (_gate)
        {
            using var cmd = Command(c, null, "SELECT shape_id, series_id, shape_key FROM usage_rollup_shapes WHERE shape_id > @max ORDER BY shape_id;");
            cmd.Parameters.AddWithValue("@max", _loaded ? _maxShapeId : -1);
            using (var r = cmd.ExecuteReader())
            {
                while (r.Read())
                {
                    var id = r.GetInt64(0);
                    var shape = RollupShape.FromKey(r.GetString(2));
                    _shapes[id] = shape;
                    _ids[shape] = id;
                    _seriesOf[id] = r.GetInt64(1);
                    _maxShapeId = Math.Max(_maxShapeId, id);
                }
            }
            _loaded = true;
            return new Dictionary<long, RollupShape>(_shapes);
        }
    }

    /// <summary>Reads a plan in the caller's (read) transaction.</summary>
    public RollupRead Read(SqliteConnection c, SqliteTransaction tx, string projectId, RollupPlan plan, DateTimeOffset now)
    {
        var read = new RollupRead();
        var project = FindProject(c, tx, projectId);
        var open = plan.OpenShapes.Count == 0 ? null : string.Join(',', plan.OpenShapes.Select(Id));
        var matching = plan.Matching is null ? null : string.Join(',', plan.Matching.Select(Id));
        if (project is { } p && plan.HasHours)
        {
            ReadTotals(c, tx, p, plan, open, read);
            if (plan.AllSeries)
            {
                var notOpenLater = open is null ? "" : $" AND NOT (series_id IN ({open}) AND hour >= {plan.OpenFromHour})";
                ReadSums(c, $"SELECT hour, series_id, {Sums} FROM usage_rollups_series WHERE project_no = {p} AND hour >= {plan.FirstHour} AND hour < {plan.EndHour}{notOpenLater};",
                    2, read.Series);
            }
            if (matching is { Length: > 0 })
            {
                var openLater = open is null ? "" : $" AND NOT (shape_id IN ({open}) AND hour >= {plan.OpenFromHour})";
                // A few shapes: one seek per day and shape (the hourly rows are in that order); many: a scan of the days.
                var days = plan.Matching!.Count * 4 <= plan.ShapeCount ? DayList(plan.FirstHour, plan.EndHour) : Hours(plan.FirstHour, plan.EndHour);
                ReadSums(c, $"SELECT hour, series_id, {Sums} FROM usage_rollups WHERE project_no = {p} AND {days} AND shape_id IN ({matching}){openLater};",
                    2, read.MatchingSeries);
            }
            read.Times = Times(c, tx, p, plan, null);
            if (matching is not null)
            {
                read.MatchingTimes = matching.Length == 0 ? null : Times(c, tx, p, plan, matching);
            }
        }
        // The request logs the roll-ups leave out: the partial hours at both ends, and open requests that may still be young.
        var firstHour = RollupTime.HourStart(plan.FirstHour);
        var endHour = RollupTime.HourStart(plan.EndHour);
        if (!plan.HasHours)
        {
            ReadRequests(c, tx, projectId, plan.Start, plan.End, openOnly: false, now, read);
        }
        else
        {
            ReadRequests(c, tx, projectId, plan.Start, firstHour, openOnly: false, now, read);
            ReadRequests(c, tx, projectId, endHour, plan.End, openOnly: false, now, read);
            var openFrom = RollupTime.HourStart(Math.Max(plan.OpenFromHour, plan.FirstHour));
            ReadRequests(c, tx, projectId, openFrom, endHour, openOnly: true, now, read);
        }
        read.Oldest = Time(c, tx, projectId, "min");
        read.Newest = Time(c, tx, projectId, "max");
        return read;
    }

    private static void ReadTotals(SqliteConnection c, SqliteTransaction tx, long p, RollupPlan plan, string? open, RollupRead read)
    {
        // Whole days from the daily rows; the other whole hours (and, for open shapes, the days not yet all lost) from the hourly ones.
        var parts = new List<string>();
        var day = plan.ByDay ? "day" : "-1";
        var hourDay = plan.ByDay ? "hour / 24" : "-1";
        var openDay = Floor(plan.OpenFromHour, 24); // days before it end by the first open hour: their open requests are lost
        if (plan.EndDay > plan.FirstDay)
        {
            var openRule = open is null ? "" : $" AND (shape_id NOT IN ({open}) OR day < {openDay})";
            parts.Add($"SELECT {day} AS d, shape_id, {Sums} FROM usage_rollups_daily WHERE project_no = {p} AND day >= {plan.FirstDay} AND day < {plan.EndDay}{openRule}");
        }
        var notOpenLater = open is null ? "" : $" AND NOT (shape_id IN ({open}) AND hour >= {plan.OpenFromHour})";
        var headEnd = Math.Min(plan.FirstDay * 24, plan.EndHour);
        if (headEnd > plan.FirstHour)
        {
            parts.Add($"SELECT {hourDay} AS d, shape_id, {Sums} FROM usage_rollups WHERE project_no = {p} AND {Hours(plan.FirstHour, headEnd)}{notOpenLater}");
        }
        var tailStart = Math.Max(plan.EndDay * 24, headEnd);
        if (plan.EndHour > tailStart)
        {
            parts.Add($"SELECT {hourDay} AS d, shape_id, {Sums} FROM usage_rollups WHERE project_no = {p} AND {Hours(tailStart, plan.EndHour)}{notOpenLater}");
        }
        if (open is not null && plan.EndDay > plan.FirstDay)
        {
            var from = Math.Max(plan.FirstDay, openDay) * 24;
            var to = Math.Min(plan.EndDay * 24, plan.OpenFromHour);
            if (to > from)
            {
                parts.Add($"SELECT {hourDay} AS d, shape_id, {Sums} FROM usage_rollups WHERE project_no = {p} AND {Hours(from, to)} AND shape_id IN ({open})");
            }
        }
        if (parts.Count == 0)
        {
            return;
        }
        ReadSums(c, string.Join(" UNION ALL ", parts) + ";", 2, read.Totals);
    }

    private static (long, long)? Times(SqliteConnection c, SqliteTransaction tx, long p, RollupPlan plan, string? matching)
    {
        var only = matching is null ? "" : $" AND shape_id IN ({matching})";
        var range = $"project_no = {p} AND {Hours(plan.FirstHour, plan.EndHour)}{only}";
        // The first (last) day with rows, found in the order of the key; then, in that day's rows, the first (last) time.
        long? Scalar(string sql)
        {
            using var cmd = Command(c, tx, sql);
            return cmd.ExecuteScalar() is long v ? v : null;
        }
        if (Scalar($"SELECT min(day) FROM usage_rollups WHERE {range};") is not { } firstDay
            || Scalar($"SELECT max(day) FROM usage_rollups WHERE {range};") is not { } lastDay)
        {
            return null;
        }
        var hours = $"hour >= {plan.FirstHour} AND hour < {plan.EndHour}{only}"; // not the day range too: SQLite would read the range's rows, not the day's
        var first = Scalar($"SELECT first_created FROM usage_rollups WHERE project_no = {p} AND day = {firstDay} AND {hours} ORDER BY hour, first_created LIMIT 1;");
        var last = Scalar($"SELECT last_created FROM usage_rollups WHERE project_no = {p} AND day = {lastDay} AND {hours} ORDER BY hour DESC, last_created DESC LIMIT 1;");
        return first is { } f && last is { } l ? (f, l) : null;
    }

    private static void ReadRequests(SqliteConnection c, SqliteTransaction tx, string projectId, DateTimeOffset from, DateTimeOffset to, bool openOnly, DateTimeOffset now, RollupRead read)
    {
        if (to <= from)
        {
            return;
        }
        var state = openOnly ? " AND state IN ('pending', 'unknown', 'lost')" : ""; // the partial index's condition
        using var cmd = Command(c, tx, $"SELECT raw FROM usage_requests WHERE project_id = @p AND created >= @from AND created < @to{state};");
        cmd.Parameters.AddWithValue("@p", projectId);
        cmd.Parameters.AddWithValue("@from", ArchiveValues.Time(from));
        cmd.Parameters.AddWithValue("@to", ArchiveValues.Time(to));
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            read.Requests.Add(UsageJson.DeserializeRequest(r.GetString(0), now));
        }
    }

    private static DateTimeOffset? Time(SqliteConnection c, SqliteTransaction tx, string projectId, string aggregate)
    {
        using var cmd = Command(c, tx, $"SELECT {aggregate}(created) FROM usage_requests WHERE project_id = @p;"); // one min() or max(): the index answers it
        cmd.Parameters.AddWithValue("@p", projectId);
        return cmd.ExecuteScalar() is string s ? ArchiveValues.ParseTime(s) : null;
    }

    /// <summary>
    /// Runs a query whose first <paramref name="keys"/> columns (1 or 2) are integers and whose next ones are the sums
    /// (see <see cref="Sums"/>), adds up the rows of each key (or pair of keys) and appends one entry a key to
    /// <paramref name="into"/>, in the order the keys first came (the second key is 0 with one). The rows are read
    /// through SQLite's own API (<see cref="SqliteNative"/>), one native call per column, in whatever transaction the
    /// connection has open, and summed as integers (dollars as nano- and atto-dollar counts, see
    /// <see cref="RollupUsdColumns"/>) into a figure per key, not one a row: a 90-day view reads tens of thousands of
    /// rows, and <see cref="SqliteDataReader"/> (two calls per column) or a <c>decimal</c> per row took most of its time
    /// (docs/performance.md, "Dashboard on a big archive").
    /// </summary>
    private static void ReadSums(SqliteConnection c, string sql, int keys, List<(long, long, RollupFigures)> into)
    {
        var db = c.Handle!;
        var rc = raw.sqlite3_prepare_v2(db, sql, out var stmt);
        using (stmt)
        {
            if (rc != raw.SQLITE_OK)
            {
                SqliteException.ThrowExceptionForRC(rc, db);
            }
            var sums = new Dictionary<(long, long), RowSum>();
            var row = new SqliteNative(stmt);
            while ((rc = row.Step()) == raw.SQLITE_ROW)
            {
                ref var sum = ref CollectionsMarshal.GetValueRefOrAddDefault(sums, (row.Int64(0), keys > 1 ? row.Int64(1) : 0), out _);
                (sum ??= new RowSum()).Add(row, keys);
            }
            if (rc != raw.SQLITE_DONE)
            {
                SqliteException.ThrowExceptionForRC(rc, db);
            }
            into.EnsureCapacity(into.Count + sums.Count);
            foreach (var ((a, b), sum) in sums)
            {
                into.Add((a, b, sum.ToFigures()));
            }
        }
    }

    /// <summary>The sum of some roll-up rows, as read (see <see cref="ReadSums"/>).</summary>
    private sealed class RowSum
    {
        private readonly RollupFigures _figures = new();
        private Int128 _nano;
        private Int128 _atto;
        private decimal _rest;
        private byte _scale;

        /// <summary>Adds the row's sums (from column <paramref name="at"/> on, in the order of <see cref="Sums"/>).</summary>
        public void Add(SqliteNative row, int at)
        {
            var f = _figures;
            f.Requests += row.Int64(at);
            f.TokensIn += row.Int64(at + 1);
            f.TokensOut += row.Int64(at + 2);
            f.TtsCharacters += row.Int64(at + 3);
            f.AudioMicros += row.Int64(at + 4);
            _nano += row.Int64(at + 5);
            _atto += row.Int64(at + 6);
            if (row.Text(at + 7) is { } rest)
            {
                _rest += RollupUsdColumns.Rests(rest);
            }
            if (row.Text(at + 8) is { } parts)
            {
                f.AddParts(parts);
            }
            _scale = Math.Max(_scale, (byte)row.Int64(at + 9));
        }

        public RollupFigures ToFigures()
        {
            _figures.Usd = RollupUsdColumns.Join(_nano, _atto, _rest, _scale);
            return _figures;
        }
    }

    /// <summary>
    /// The roll-up writes of one transaction. The shapes and project numbers it writes go into the store's cache only
    /// when <see cref="Committed"/> says the transaction committed (a rolled back id may be given out again).
    /// </summary>
    internal sealed class Writer(SqliteRollups owner, SqliteConnection c, SqliteTransaction tx)
    {
        private readonly Dictionary<RollupShape, (long Id, long Series)> _newShapes = [];
        private readonly Dictionary<string, long> _newProjects = new(StringComparer.Ordinal);
        private readonly RollupBatch _batch = new();

        /// <summary>
        /// Brings the project's roll-ups in step with the rows just written (after them, in the same transaction): see
        /// the class summary of <see cref="SqliteRollups"/> for what is added and what is rebuilt.
        /// </summary>
        public void Apply(string projectId, IReadOnlyList<UsageRequest> requests)
        {
            // What the trigger noted: per request id, how many updates, and whether any changed the row.
            var updates = new Dictionary<string, (int Count, bool Changed)>(StringComparer.Ordinal);
            var dirty = _batch.RebuiltHours;
            using (var cmd = Command(c, tx, "SELECT request_id, old_created, changed FROM usage_rollup_updates WHERE project_id = @p;"))
            {
                cmd.Parameters.AddWithValue("@p", projectId);
                using var r = cmd.ExecuteReader();
                while (r.Read())
                {
                    var id = r.GetString(0);
                    var changed = r.GetInt64(2) != 0;
                    updates[id] = updates.TryGetValue(id, out var u) ? (u.Count + 1, u.Changed || changed) : (1, changed);
                    if (changed)
                    {
                        dirty.Add(RollupTime.Hour(ArchiveValues.ParseTime(r.GetString(1))));
                    }
                }
            }
            // The last version of each id, and how often the page listed it (each listing was one write).
            var last = new Dictionary<string, (UsageRequest Request, int Writes)>(requests.Count, StringComparer.Ordinal);
            foreach (var request in requests)
            {
                if (!string.IsNullOrEmpty(request.RequestId))
                {
                    last[request.RequestId] = (request, last.TryGetValue(request.RequestId, out var seen) ? seen.Writes + 1 : 1);
                }
            }
            var added = new List<UsageRequest>(last.Count);
            foreach (var (id, (request, writes)) in last)
            {
                if (updates.TryGetValue(id, out var u))
                {
                    if (u.Changed)
                    {
                        dirty.Add(RollupTime.Hour(request.Created));
                        continue;
                    }
                    if (u.Count >= writes)
                    {
                        continue; // stored before, and every write left it as it was
                    }
                }
                added.Add(request); // new in this commit (its first write inserted it)
            }
            foreach (var request in added)
            {
                if (!dirty.Contains(RollupTime.Hour(request.Created)))
                {
                    _batch.Add(request);
                }
            }
            var project = ProjectNumber(projectId);
            foreach (var hour in dirty)
            {
                RebuildHour(projectId, project, hour);
            }
            Write(project);
        }

        /// <summary>Keeps the shapes and project numbers this transaction wrote (call after it committed).</summary>
        public void Committed()
        {
            lock (owner._gate)
            {
                foreach (var (shape, (id, series)) in _newShapes)
                {
                    owner._ids[shape] = id;
                    owner._shapes[id] = shape;
                    owner._seriesOf[id] = series;
                }
                foreach (var (projectId, no) in _newProjects)
                {
                    owner._projects[projectId] = no;
                }
            }
        }

        /// <summary>Rolls up every stored request log of every project, replacing what roll-ups there are.</summary>
        public void RebuildAll()
        {
            var projects = new List<string>();
            using (var cmd = Command(c, tx, "SELECT DISTINCT project_id FROM usage_requests ORDER BY project_id;"))
            using (var r = cmd.ExecuteReader())
            {
                while (r.Read())
                {
                    projects.Add(r.GetString(0));
                }
            }
            foreach (var projectId in projects)
            {
                var project = ProjectNumber(projectId);
                Execute(c, tx, $"DELETE FROM usage_rollups WHERE project_no = {project}; DELETE FROM usage_rollups_daily WHERE project_no = {project}; DELETE FROM usage_rollups_series WHERE project_no = {project};");
                using var cmd = Command(c, tx, "SELECT raw FROM usage_requests WHERE project_id = @p ORDER BY created;");
                cmd.Parameters.AddWithValue("@p", projectId);
                using var r = cmd.ExecuteReader();
                var n = 0;
                while (r.Read())
                {
                    _batch.Add(UsageJson.DeserializeRequest(r.GetString(0), DateTimeOffset.UnixEpoch));
                    if (++n % 50_000 == 0)
                    {
                        Write(project); // the logs come in time order: an hour split here is simply added to
                    }
                }
                Write(project);
            }
        }

        /// <summary>Takes an hour's stored rows out of the daily and series sums, deletes them, and rolls the hour's stored logs up again.</summary>
        private void RebuildHour(string projectId, long project, long hour)
        {
            var stored = new List<(long, long, RollupFigures)>();
            ReadSums(c, $"SELECT shape_id, {Sums} FROM usage_rollups WHERE project_no = {project} AND day = {Floor(hour, 24)} AND hour = {hour};", 1, stored);
            foreach (var (id, _, f) in stored)
            {
                _batch.RemoveHour(hour, ShapeById(id), f);
            }
            Execute(c, tx, $"DELETE FROM usage_rollups WHERE project_no = {project} AND day = {Floor(hour, 24)} AND hour = {hour};");
            using var logs = Command(c, tx, "SELECT raw FROM usage_requests WHERE project_id = @p AND created >= @from AND created < @to;");
            logs.Parameters.AddWithValue("@p", projectId);
            logs.Parameters.AddWithValue("@from", ArchiveValues.Time(RollupTime.HourStart(hour)));
            logs.Parameters.AddWithValue("@to", ArchiveValues.Time(RollupTime.HourStart(hour + 1)));
            using var r = logs.ExecuteReader();
            while (r.Read())
            {
                _batch.Add(UsageJson.DeserializeRequest(r.GetString(0), DateTimeOffset.UnixEpoch));
            }
        }

        /// <summary>Writes the batch's sums (one upsert per row), deletes the daily and series rows it emptied, and clears it.</summary>
        private void Write(long project)
        {
            if (_batch.Count == 0)
            {
                _batch.Clear();
                return;
            }
            var db = c.Handle!;
            using (var hourly = new Upsert(db, HourSql))
            {
                foreach (var ((hour, shape), f) in _batch.Hours)
                {
                    var (id, series) = Resolve(shape);
                    hourly.Run(project, hour, id, series, f, hourly: true);
                }
            }
            long? emptiedFrom = null, emptiedTo = null;
            using (var daily = new Upsert(db, DaySql))
            {
                foreach (var ((day, shape), f) in _batch.Days)
                {
                    daily.Run(project, day, Resolve(shape).Id, 0, f, hourly: false);
                    if (f.Requests <= 0)
                    {
                        emptiedFrom = Math.Min(emptiedFrom ?? day, day);
                        emptiedTo = Math.Max(emptiedTo ?? day, day);
                    }
                }
            }
            using (var seriesRows = new Upsert(db, SeriesSql))
            {
                foreach (var ((hour, shape), f) in _batch.Series)
                {
                    seriesRows.Run(project, hour, Resolve(shape).Id, 0, f, hourly: false);
                }
            }
            if (emptiedFrom is { } from && emptiedTo is { } to)
            {
                // Only a rebuilt hour subtracts, and its day and hours are within these days.
                Execute(c, tx, $"""
                    DELETE FROM usage_rollups_daily WHERE project_no = {project} AND day >= {from} AND day <= {to} AND requests = 0;
                    DELETE FROM usage_rollups_series WHERE project_no = {project} AND hour >= {from * 24} AND hour < {(to + 1) * 24} AND requests = 0;
                    """);
            }
            _batch.Clear();
        }

        /// <summary>The id of a shape (and of its series shape), written when new.</summary>
        private (long Id, long Series) Resolve(RollupShape shape)
        {
            lock (owner._gate)
            {
                if (owner._ids.TryGetValue(shape, out var known))
                {
                    return (known, owner._seriesOf[known]);
                }
            }
            if (_newShapes.TryGetValue(shape, out var made))
            {
                return made;
            }
            var seriesShape = shape.Series;
            var series = ReferenceEquals(seriesShape, shape) ? -1 : Resolve(seriesShape).Id;
            using (var insert = Command(c, tx, """
                INSERT INTO usage_rollup_shapes (series_id, outcome, api_key_id, accessor, models, tags, method, endpoint, deployment, shape_key)
                VALUES (@series, @outcome, @key, @accessor, @models, @tags, @method, @endpoint, @deployment, @shape) ON CONFLICT (shape_key) DO NOTHING;
                """))
            {
                insert.Parameters.AddWithValue("@series", series);
                insert.Parameters.AddWithValue("@outcome", (int)shape.Outcome);
                insert.Parameters.AddWithValue("@key", ArchiveValues.Db(shape.ApiKeyId));
                insert.Parameters.AddWithValue("@accessor", ArchiveValues.Db(shape.Accessor));
                insert.Parameters.AddWithValue("@models", ArchiveValues.JsonArray(shape.Models) ?? "[]");
                insert.Parameters.AddWithValue("@tags", ArchiveValues.JsonArray(shape.Tags) ?? "[]");
                insert.Parameters.AddWithValue("@method", ArchiveValues.Db(shape.Method));
                insert.Parameters.AddWithValue("@endpoint", ArchiveValues.Db(shape.Endpoint));
                insert.Parameters.AddWithValue("@deployment", ArchiveValues.Db(shape.Deployment));
                insert.Parameters.AddWithValue("@shape", shape.Key);
                insert.ExecuteNonQuery();
            }
            Execute(c, tx, "UPDATE usage_rollup_shapes SET series_id = shape_id WHERE series_id = -1;"); // a series shape is its own series
            using var find = Command(c, tx, "SELECT shape_id, series_id FROM usage_rollup_shapes WHERE shape_key = @shape;");
            find.Parameters.AddWithValue("@shape", shape.Key);
            using var r = find.ExecuteReader();
            r.Read();
            var result = (r.GetInt64(0), r.GetInt64(1));
            _newShapes[shape] = result;
            return result;
        }

        private RollupShape ShapeById(long id)
        {
            lock (owner._gate)
            {
                if (owner._shapes.TryGetValue(id, out var shape))
                {
                    return shape;
                }
            }
            foreach (var (shape, made) in _newShapes)
            {
                if (made.Id == id)
                {
                    return shape;
                }
            }
            using var cmd = Command(c, tx, "SELECT shape_key FROM usage_rollup_shapes WHERE shape_id = @id;");
            cmd.Parameters.AddWithValue("@id", id);
            return RollupShape.FromKey((string)cmd.ExecuteScalar()!);
        }

        /// <summary>The number of a project in the roll-up tables, written when new.</summary>
        private long ProjectNumber(string projectId)
        {
            if (_newProjects.TryGetValue(projectId, out var made))
            {
                return made;
            }
            if (owner.FindProject(c, tx, projectId) is { } known)
            {
                return known;
            }
            using var insert = Command(c, tx, "INSERT INTO usage_rollup_projects (project_id) VALUES (@p) RETURNING project_no;");
            insert.Parameters.AddWithValue("@p", projectId);
            var no = Convert.ToInt64(insert.ExecuteScalar(), CultureInfo.InvariantCulture);
            _newProjects[projectId] = no;
            return no;
        }
    }

    /// <summary>The number of a project in the roll-up tables; null when it has none (yet).</summary>
    private long? FindProject(SqliteConnection c, SqliteTransaction? tx, string projectId)
    {
        lock (_gate)
        {
            if (_projects.TryGetValue(projectId, out var no))
            {
                return no;
            }
        }
        using var find = Command(c, tx, "SELECT project_no FROM usage_rollup_projects WHERE project_id = @p;");
        find.Parameters.AddWithValue("@p", projectId);
        if (find.ExecuteScalar() is not long found)
        {
            return null;
        }
        lock (_gate)
        {
            _projects[projectId] = found; // read from the database: committed (or written by this transaction, which then commits or fails the store)
        }
        return found;
    }

    private static void RegisterFunctions(SqliteConnection c)
    {
        c.CreateFunction<string?, string?, string?>("usage_decimal_add", RollupUsdColumns.Add, isDeterministic: true);
        c.CreateFunction<string?, string?, string?>("usage_parts_add", AddParts, isDeterministic: true);
    }

    /// <summary>The element-wise sum of two parts texts (<see cref="RollupFigures.FormatParts"/>): the store's <c>usage_parts_add</c>.</summary>
    internal static string? AddParts(string? a, string? b)
    {
        if (string.IsNullOrEmpty(a) || string.IsNullOrEmpty(b))
        {
            return string.IsNullOrEmpty(a) ? b : a;
        }
        var sum = new RollupFigures();
        sum.AddParts(a);
        sum.AddParts(b);
        return RollupFigures.FormatParts(sum.Parts);
    }

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    private static long Floor(long a, long b) => a >= 0 ? a / b : ((a + 1) / b) - 1;

    /// <summary>The condition on the hourly rows of <c>[from, to)</c> (hours), with their days for the key's order.</summary>
    private static string Hours(long from, long to) => $"day >= {Floor(from, 24)} AND day <= {Floor(to - 1, 24)} AND hour >= {from} AND hour < {to}";

    /// <summary>The same condition with the days listed (<c>day IN (…)</c>), so SQLite seeks each day (and each shape of an <c>IN</c> on them).</summary>
    private static string DayList(long from, long to)
    {
        var first = Floor(from, 24);
        var days = Enumerable.Range(0, (int)(Floor(to - 1, 24) - first + 1)).Select(d => Id(first + d));
        return $"day IN ({string.Join(',', days)}) AND hour >= {from} AND hour < {to}";
    }

    private static SqliteCommand Command(SqliteConnection c, SqliteTransaction? tx, string sql)
    {
        var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        return cmd;
    }

    private static void Execute(SqliteConnection c, SqliteTransaction? tx, string sql)
    {
        using var cmd = Command(c, tx, sql);
        cmd.ExecuteNonQuery();
    }

    /// <summary>One prepared roll-up upsert, bound by position through SQLite's own API (as <see cref="SqliteRowWriter"/>).</summary>
    private sealed class Upsert : IDisposable
    {
        private readonly sqlite3 _db;
        private readonly sqlite3_stmt _stmt;

        public Upsert(sqlite3 db, string sql)
        {
            _db = db;
            Check(raw.sqlite3_prepare_v2(db, sql, out _stmt));
        }

        /// <summary>?1 project, ?2 hour or day, ?3 shape, ?4 series (hourly only), ?5–?13 the sums, ?14–?15 first and last (hourly only), ?16 the usd scale, ?17 the hour's day (hourly only).</summary>
        public void Run(long project, long time, long shape, long series, RollupFigures f, bool hourly)
        {
            var (nano, atto, rest) = RollupUsdColumns.Split(f.Usd);
            Check(raw.sqlite3_bind_int64(_stmt, 1, project));
            Check(raw.sqlite3_bind_int64(_stmt, 2, time));
            Check(raw.sqlite3_bind_int64(_stmt, 3, shape));
            if (hourly)
            {
                Check(raw.sqlite3_bind_int64(_stmt, 17, Floor(time, 24)));
                Check(raw.sqlite3_bind_int64(_stmt, 4, series));
                Check(raw.sqlite3_bind_int64(_stmt, 14, f.First));
                Check(raw.sqlite3_bind_int64(_stmt, 15, f.Last));
            }
            Check(raw.sqlite3_bind_int64(_stmt, 5, f.Requests));
            Check(raw.sqlite3_bind_int64(_stmt, 6, f.TokensIn));
            Check(raw.sqlite3_bind_int64(_stmt, 7, f.TokensOut));
            Check(raw.sqlite3_bind_int64(_stmt, 8, f.TtsCharacters));
            Check(raw.sqlite3_bind_int64(_stmt, 9, f.AudioMicros));
            Check(raw.sqlite3_bind_int64(_stmt, 10, nano));
            Check(raw.sqlite3_bind_int64(_stmt, 11, atto));
            Check(rest is null ? raw.sqlite3_bind_null(_stmt, 12) : raw.sqlite3_bind_text(_stmt, 12, rest));
            var parts = RollupFigures.FormatParts(f.Parts);
            Check(parts is null ? raw.sqlite3_bind_null(_stmt, 13) : raw.sqlite3_bind_text(_stmt, 13, parts));
            Check(raw.sqlite3_bind_int64(_stmt, 16, f.Usd.Scale));
            var rc = raw.sqlite3_step(_stmt);
            raw.sqlite3_reset(_stmt);
            if (rc != raw.SQLITE_DONE)
            {
                Check(rc);
            }
        }

        public void Dispose() => _stmt.Dispose();

        private void Check(int rc)
        {
            if (rc != raw.SQLITE_OK)
            {
                SqliteException.ThrowExceptionForRC(rc, _db);
            }
        }
    }
}
