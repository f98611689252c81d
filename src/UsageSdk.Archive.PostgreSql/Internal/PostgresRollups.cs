using Npgsql;
using NpgsqlTypes;
using UsageSdk.Archive.Internal;
using UsageSdk.Reports.Internal;

namespace UsageSdk.Archive.PostgreSql.Internal;

/// <summary>
/// The roll-ups of a PostgreSQL archive (schema 2): the same tables as SQLite's (<c>SqliteRollups</c>) with native
/// types (<c>hour</c> <c>timestamptz</c>, <c>day</c> <c>date</c>, <c>usd</c> <c>numeric</c>, <c>parts</c>
/// <c>bigint[]</c>), written in each commit's transaction by one multi-row upsert per table, and read for
/// <see cref="RollupReports"/>. De-duplication follows the request upsert: before it, the commit reads which of its
/// request ids are stored and whether their JSON changes; new ones add to the roll-ups, unchanged ones add nothing, and
/// changed ones make their old and new hours be rebuilt from the stored logs after it.
/// </summary>
internal sealed class PostgresRollups
{
    public const string Tables = """
        CREATE TABLE IF NOT EXISTS usage_rollup_shapes (
            shape_id   bigserial PRIMARY KEY,
            series_id  bigint NOT NULL,
            outcome    smallint NOT NULL,
            api_key_id text,
            accessor   text,
            models     text[] NOT NULL,
            tags       text[] NOT NULL,
            method     text,
            endpoint   text,
            deployment text,
            shape_key  text NOT NULL UNIQUE
        );
        CREATE TABLE IF NOT EXISTS usage_rollups (
            project_id     text NOT NULL,
            hour           timestamptz NOT NULL,
            shape_id       bigint NOT NULL,
            series_id      bigint NOT NULL,
            requests       bigint NOT NULL,
            tokens_in      bigint NOT NULL,
            tokens_out     bigint NOT NULL,
            tts_characters bigint NOT NULL,
            audio_micros   bigint NOT NULL,
            usd            numeric NOT NULL,
            parts          bigint[],
            first_created  timestamptz NOT NULL,
            last_created   timestamptz NOT NULL,
            PRIMARY KEY (project_id, hour, shape_id)
        );
        CREATE TABLE IF NOT EXISTS usage_rollups_daily (
            project_id     text NOT NULL,
            day            date NOT NULL,
            shape_id       bigint NOT NULL,
            requests       bigint NOT NULL,
            tokens_in      bigint NOT NULL,
            tokens_out     bigint NOT NULL,
            tts_characters bigint NOT NULL,
            audio_micros   bigint NOT NULL,
            usd            numeric NOT NULL,
            parts          bigint[],
            PRIMARY KEY (project_id, day, shape_id)
        );
        CREATE TABLE IF NOT EXISTS usage_rollups_series (
            project_id     text NOT NULL,
            hour           timestamptz NOT NULL,
            series_id      bigint NOT NULL,
            requests       bigint NOT NULL,
            tokens_in      bigint NOT NULL,
            tokens_out     bigint NOT NULL,
            tts_characters bigint NOT NULL,
            audio_micros   bigint NOT NULL,
            usd            numeric NOT NULL,
            parts          bigint[],
            PRIMARY KEY (project_id, hour, series_id)
        );
        """;

    private const string Sums = "requests, tokens_in, tokens_out, tts_characters, audio_micros, usd, array_to_string(parts, ',')";

    private const string SumsSql = "sum(requests)::bigint, sum(tokens_in)::bigint, sum(tokens_out)::bigint, sum(tts_characters)::bigint, sum(audio_micros)::bigint, sum(usd), string_agg(array_to_string(parts, ','), '/')";

    private const string Columns = "requests, tokens_in, tokens_out, tts_characters, audio_micros, usd, parts";

    private const string Unnest = "unnest(@t, @s, @se, @r, @ti, @tout, @tc, @a, @u, @pt, @f, @l) AS x(t, s, se, r, ti, tou, tc, a, u, pt, f, l)";

    private const string Values = "x.r, x.ti, x.tou, x.tc, x.a, x.u, CASE WHEN x.pt IS NULL THEN NULL ELSE string_to_array(x.pt, ',')::bigint[] END";

    private static string Added(string table) => $"""
        requests = {table}.requests + excluded.requests, tokens_in = {table}.tokens_in + excluded.tokens_in, tokens_out = {table}.tokens_out + excluded.tokens_out,
        tts_characters = {table}.tts_characters + excluded.tts_characters, audio_micros = {table}.audio_micros + excluded.audio_micros, usd = {table}.usd + excluded.usd,
        parts = CASE WHEN excluded.parts IS NULL THEN {table}.parts WHEN {table}.parts IS NULL THEN excluded.parts
            ELSE ARRAY(SELECT p.a + p.b FROM unnest({table}.parts, excluded.parts) WITH ORDINALITY AS p(a, b, n) ORDER BY p.n) END
        """;

    private readonly object _gate = new();
    private readonly Dictionary<RollupShape, (long Id, long Series)> _ids = [];
    private readonly Dictionary<long, RollupShape> _shapes = [];
    private long _maxShapeId;
    private bool _loaded;

    public static Task CreateTablesAsync(NpgsqlConnection c, NpgsqlTransaction tx, CancellationToken cancellationToken) => ExecuteAsync(c, tx, Tables, cancellationToken);

    /// <summary>The roll-up writes of one transaction (see <see cref="SqliteRollups.Writer"/>; the same rules).</summary>
    public Writer Begin(NpgsqlConnection c, NpgsqlTransaction tx) => new(this, c, tx);

    internal sealed class Writer(PostgresRollups owner, NpgsqlConnection c, NpgsqlTransaction tx)
    {
        private readonly Dictionary<RollupShape, (long Id, long Series)> _newShapes = [];
        private readonly RollupBatch _batch = new();
        private Dictionary<string, bool>? _stored;

        /// <summary>Notes which of the staged request ids are stored, and whether their JSON changes (call before the upsert).</summary>
        public async Task NoteStoredAsync(string projectId, CancellationToken cancellationToken)
        {
            _stored = new Dictionary<string, bool>(StringComparer.Ordinal);
            await using var cmd = Command(c, tx, """
                SELECT s.request_id, r.created, (r.raw::text IS DISTINCT FROM s.raw OR r.created IS DISTINCT FROM s.created)
                FROM usage_requests_stage s JOIN usage_requests r ON r.project_id = s.project_id AND r.request_id = s.request_id WHERE s.project_id = @p;
                """);
            cmd.Parameters.AddWithValue("p", projectId);
            await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var changed = r.GetBoolean(2);
                _stored[r.GetString(0)] = changed;
                if (changed)
                {
                    _batch.RebuiltHours.Add(RollupTime.Hour(r.GetFieldValue<DateTimeOffset>(1)));
                }
            }
        }

        /// <summary>Brings the roll-ups in step with the rows just upserted (the page's rows, one per id: the last one).</summary>
        public async Task ApplyAsync(string projectId, IReadOnlyList<RequestRow> rows, CancellationToken cancellationToken)
        {
            var stored = _stored ?? throw new InvalidOperationException("NoteStoredAsync first.");
            var dirty = _batch.RebuiltHours;
            foreach (var row in rows)
            {
                if (stored.TryGetValue(row.RequestId, out var changed))
                {
                    if (changed)
                    {
                        dirty.Add(RollupTime.Hour(row.Created));
                    }
                    continue;
                }
                if (!dirty.Contains(RollupTime.Hour(row.Created)))
                {
                    _batch.Add(row.Request);
                }
            }
            // New rows in a rebuilt hour come with its rebuild; rows added above before their hour turned dirty are taken back out.
            foreach (var key in _batch.Hours.Keys.Where(k => dirty.Contains(k.Hour)).ToList())
            {
                var f = _batch.Hours[key];
                _batch.Hours.Remove(key);
                _batch.RemoveHour(key.Hour, key.Shape, f);
            }
            foreach (var hour in dirty)
            {
                await RebuildHourAsync(projectId, hour, cancellationToken).ConfigureAwait(false);
            }
            await WriteAsync(projectId, cancellationToken).ConfigureAwait(false);
        }

        public void Committed()
        {
            lock (owner._gate)
            {
                foreach (var (shape, ids) in _newShapes)
                {
                    owner._ids[shape] = ids;
                    owner._shapes[ids.Id] = shape;
                }
            }
        }

        /// <summary>Rolls up every stored request log of every project, replacing what roll-ups there are.</summary>
        public async Task RebuildAllAsync(CancellationToken cancellationToken)
        {
            await ExecuteAsync(c, tx, "DELETE FROM usage_rollups; DELETE FROM usage_rollups_daily; DELETE FROM usage_rollups_series;", cancellationToken).ConfigureAwait(false);
            var projects = new List<string>();
            await using (var cmd = Command(c, tx, "SELECT DISTINCT project_id FROM usage_requests ORDER BY project_id;"))
            await using (var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    projects.Add(r.GetString(0));
                }
            }
            const int Slice = 50_000; // logs per read, in (created, request_id) order: memory stays flat on a large archive
            foreach (var projectId in projects)
            {
                DateTimeOffset after = DateTimeOffset.MinValue.ToUniversalTime();
                var afterId = "";
                while (true)
                {
                    var n = 0;
                    await using (var cmd = Command(c, tx, "SELECT raw::text, created, request_id FROM usage_requests WHERE project_id = @p AND (created, request_id) > (@after, @afterId) ORDER BY created, request_id LIMIT @n;"))
                    {
                        cmd.Parameters.AddWithValue("p", projectId);
                        cmd.Parameters.AddWithValue("after", NpgsqlDbType.TimestampTz, after);
                        cmd.Parameters.AddWithValue("afterId", afterId);
                        cmd.Parameters.AddWithValue("n", Slice);
                        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
                        {
                            _batch.Add(UsageJson.DeserializeRequest(r.GetString(0), DateTimeOffset.UnixEpoch));
                            after = r.GetFieldValue<DateTimeOffset>(1);
                            afterId = r.GetString(2);
                            n++;
                        }
                    }
                    await WriteAsync(projectId, cancellationToken).ConfigureAwait(false);
                    if (n < Slice)
                    {
                        break;
                    }
                }
            }
        }

        private async Task RebuildHourAsync(string projectId, long hour, CancellationToken cancellationToken)
        {
            var start = RollupTime.HourStart(hour);
            var stored = new List<(long, RollupFigures)>();
            await using (var cmd = Command(c, tx, $"SELECT shape_id, {Sums} FROM usage_rollups WHERE project_id = @p AND hour = @h;"))
            {
                cmd.Parameters.AddWithValue("p", projectId);
                cmd.Parameters.AddWithValue("h", NpgsqlDbType.TimestampTz, start);
                await ReadFiguresAsync(cmd, 1, (r, f) => stored.Add((r.GetInt64(0), f)), cancellationToken).ConfigureAwait(false);
            }
            foreach (var (id, f) in stored)
            {
                _batch.RemoveHour(hour, await ShapeByIdAsync(id, cancellationToken).ConfigureAwait(false), f);
            }
            await using (var del = Command(c, tx, "DELETE FROM usage_rollups WHERE project_id = @p AND hour = @h;"))
            {
                del.Parameters.AddWithValue("p", projectId);
                del.Parameters.AddWithValue("h", NpgsqlDbType.TimestampTz, start);
                await del.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            await using var logs = Command(c, tx, "SELECT raw::text FROM usage_requests WHERE project_id = @p AND created >= @from AND created < @to;");
            logs.Parameters.AddWithValue("p", projectId);
            logs.Parameters.AddWithValue("from", NpgsqlDbType.TimestampTz, start);
            logs.Parameters.AddWithValue("to", NpgsqlDbType.TimestampTz, start.AddHours(1));
            await using var reader = await logs.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                _batch.Add(UsageJson.DeserializeRequest(reader.GetString(0), DateTimeOffset.UnixEpoch));
            }
        }

        /// <summary>One multi-row upsert per table, then the daily and series rows emptied are deleted; clears the batch.</summary>
        private async Task WriteAsync(string projectId, CancellationToken cancellationToken)
        {
            if (_batch.Count == 0)
            {
                _batch.Clear();
                return;
            }
            var hours = new Rows();
            foreach (var ((hour, shape), f) in _batch.Hours)
            {
                var (id, series) = await ResolveAsync(shape, cancellationToken).ConfigureAwait(false);
                hours.Add(RollupTime.HourStart(hour), id, series, f);
            }
            var days = new Rows();
            var emptied = false;
            foreach (var ((day, shape), f) in _batch.Days)
            {
                days.Add(DateOnly.FromDayNumber((int)RollupTime.DayNumber(day)), (await ResolveAsync(shape, cancellationToken).ConfigureAwait(false)).Id, 0, f);
                emptied |= f.Requests <= 0;
            }
            var seriesRows = new Rows();
            foreach (var ((hour, shape), f) in _batch.Series)
            {
                seriesRows.Add(RollupTime.HourStart(hour), (await ResolveAsync(shape, cancellationToken).ConfigureAwait(false)).Id, 0, f);
            }
            await using (var cmd = Command(c, tx, $"""
                INSERT INTO usage_rollups (project_id, hour, shape_id, series_id, {Columns}, first_created, last_created)
                SELECT @p, x.t, x.s, x.se, {Values}, x.f, x.l FROM {Unnest}
                ON CONFLICT (project_id, hour, shape_id) DO UPDATE SET {Added("usage_rollups")},
                    first_created = least(usage_rollups.first_created, excluded.first_created), last_created = greatest(usage_rollups.last_created, excluded.last_created);
                """))
            {
                hours.Bind(cmd, projectId, NpgsqlDbType.TimestampTz);
                await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            await using (var cmd = Command(c, tx, $"""
                INSERT INTO usage_rollups_daily (project_id, day, shape_id, {Columns})
                SELECT @p, x.t, x.s, {Values} FROM {Unnest}
                ON CONFLICT (project_id, day, shape_id) DO UPDATE SET {Added("usage_rollups_daily")};
                """))
            {
                days.Bind(cmd, projectId, NpgsqlDbType.Date);
                await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            await using (var cmd = Command(c, tx, $"""
                INSERT INTO usage_rollups_series (project_id, hour, series_id, {Columns})
                SELECT @p, x.t, x.s, {Values} FROM {Unnest}
                ON CONFLICT (project_id, hour, series_id) DO UPDATE SET {Added("usage_rollups_series")};
                """))
            {
                seriesRows.Bind(cmd, projectId, NpgsqlDbType.TimestampTz);
                await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            if (emptied)
            {
                await using var cmd = Command(c, tx, """
                    DELETE FROM usage_rollups_daily WHERE project_id = @p AND day = ANY(@days) AND requests = 0;
                    DELETE FROM usage_rollups_series WHERE project_id = @p AND hour = ANY(@hours) AND requests = 0;
                    """);
                cmd.Parameters.AddWithValue("p", projectId);
                cmd.Parameters.AddWithValue("days", NpgsqlDbType.Array | NpgsqlDbType.Date, _batch.Days.Keys.Select(k => DateOnly.FromDayNumber((int)RollupTime.DayNumber(k.Day))).Distinct().ToArray());
                cmd.Parameters.AddWithValue("hours", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz, _batch.Series.Keys.Select(k => RollupTime.HourStart(k.Hour)).Distinct().ToArray());
                await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            _batch.Clear();
        }

        private async Task<(long Id, long Series)> ResolveAsync(RollupShape shape, CancellationToken cancellationToken)
        {
            lock (owner._gate)
            {
                if (owner._ids.TryGetValue(shape, out var known))
                {
                    return known;
                }
            }
            if (_newShapes.TryGetValue(shape, out var made))
            {
                return made;
            }
            var seriesShape = shape.Series;
            var series = ReferenceEquals(seriesShape, shape) ? -1 : (await ResolveAsync(seriesShape, cancellationToken).ConfigureAwait(false)).Id;
            await using (var cmd = Command(c, tx, """
                INSERT INTO usage_rollup_shapes (series_id, outcome, api_key_id, accessor, models, tags, method, endpoint, deployment, shape_key)
                VALUES (@series, @outcome, @key, @accessor, @models, @tags, @method, @endpoint, @deployment, @shape) ON CONFLICT (shape_key) DO NOTHING;
                UPDATE usage_rollup_shapes SET series_id = shape_id WHERE shape_key = @shape AND series_id = -1;
                """))
            {
                cmd.Parameters.AddWithValue("series", series);
                cmd.Parameters.AddWithValue("outcome", (short)shape.Outcome);
                cmd.Parameters.AddWithValue("key", NpgsqlDbType.Text, (object?)shape.ApiKeyId ?? DBNull.Value);
                cmd.Parameters.AddWithValue("accessor", NpgsqlDbType.Text, (object?)shape.Accessor ?? DBNull.Value);
                cmd.Parameters.AddWithValue("models", NpgsqlDbType.Array | NpgsqlDbType.Text, shape.Models);
                cmd.Parameters.AddWithValue("tags", NpgsqlDbType.Array | NpgsqlDbType.Text, shape.Tags);
                cmd.Parameters.AddWithValue("method", NpgsqlDbType.Text, (object?)shape.Method ?? DBNull.Value);
                cmd.Parameters.AddWithValue("endpoint", NpgsqlDbType.Text, (object?)shape.Endpoint ?? DBNull.Value);
                cmd.Parameters.AddWithValue("deployment", NpgsqlDbType.Text, (object?)shape.Deployment ?? DBNull.Value);
                cmd.Parameters.AddWithValue("shape", shape.Key);
                await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            await using var find = Command(c, tx, "SELECT shape_id, series_id FROM usage_rollup_shapes WHERE shape_key = @shape;");
            find.Parameters.AddWithValue("shape", shape.Key);
            await using var r = await find.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await r.ReadAsync(cancellationToken).ConfigureAwait(false);
            var result = (r.GetInt64(0), r.GetInt64(1));
            _newShapes[shape] = result;
            return result;
        }

        private async Task<RollupShape> ShapeByIdAsync(long id, CancellationToken cancellationToken)
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
            await using var cmd = Command(c, tx, "SELECT shape_key FROM usage_rollup_shapes WHERE shape_id = @id;");
            cmd.Parameters.AddWithValue("id", id);
            return RollupShape.FromKey((string)(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!);
        }
    }

    // ------------------------------------------------------------------ reads

    public async Task<IReadOnlyDictionary<long, RollupShape>> ShapesAsync(NpgsqlConnection c, CancellationToken cancellationToken)
    {
        long after;
        lock (_gate)
        {
            after = _loaded ? _maxShapeId : -1;
        }
        var found = new List<(long, long, RollupShape)>();
        await using (var cmd = Command(c, null, "SELECT shape_id, series_id, shape_key FROM usage_rollup_shapes WHERE shape_id > @max ORDER BY shape_id;"))
        {
            cmd.Parameters.AddWithValue("max", after);
            await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                found.Add((r.GetInt64(0), r.GetInt64(1), RollupShape.FromKey(r.GetString(2))));
            }
        }
        lock (_gate)
        {
            foreach (var (id, series, shape) in found)
            {
                _shapes[id] = shape;
                _ids[shape] = (id, series);
                _maxShapeId = Math.Max(_maxShapeId, id);
            }
            _loaded = true;
            return new Dictionary<long, RollupShape>(_shapes);
        }
    }

    /// <summary>Reads a plan in the caller's (repeatable read) transaction; the same reads as SQLite's.</summary>
    public static async Task<RollupRead> ReadAsync(NpgsqlConnection c, NpgsqlTransaction tx, string projectId, RollupPlan plan, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var read = new RollupRead();
        var open = plan.OpenShapes.ToArray();
        var matching = plan.Matching?.ToArray();
        var openFrom = RollupTime.HourStart(plan.OpenFromHour);
        if (plan.HasHours)
        {
            await ReadTotalsAsync(c, tx, projectId, plan, open, read, cancellationToken).ConfigureAwait(false);
            if (plan.AllSeries)
            {
                await using var cmd = Command(c, tx, $"""
                    SELECT hour, series_id, {Sums} FROM usage_rollups_series
                    WHERE project_id = @p AND hour >= @from AND hour < @to AND NOT (series_id = ANY(@open) AND hour >= @openFrom);
                    """);
                Range(cmd, projectId, plan, open, openFrom);
                await ReadFiguresAsync(cmd, 2, (r, f) => read.Series.Add((RollupTime.Hour(r.GetFieldValue<DateTimeOffset>(0)), r.GetInt64(1), f)), cancellationToken).ConfigureAwait(false);
            }
            if (matching is { Length: > 0 })
            {
                await using var cmd = Command(c, tx, $"""
                    SELECT hour, series_id, {SumsSql} FROM usage_rollups
                    WHERE project_id = @p AND hour >= @from AND hour < @to AND shape_id = ANY(@matching) AND NOT (shape_id = ANY(@open) AND hour >= @openFrom)
                    GROUP BY hour, series_id;
                    """);
                Range(cmd, projectId, plan, open, openFrom);
                cmd.Parameters.AddWithValue("matching", matching);
                await ReadFiguresAsync(cmd, 2, (r, f) => read.MatchingSeries.Add((RollupTime.Hour(r.GetFieldValue<DateTimeOffset>(0)), r.GetInt64(1), f)), cancellationToken).ConfigureAwait(false);
            }
            read.Times = await TimesAsync(c, tx, projectId, plan, null, cancellationToken).ConfigureAwait(false);
            if (matching is not null)
            {
                read.MatchingTimes = matching.Length == 0 ? null : await TimesAsync(c, tx, projectId, plan, matching, cancellationToken).ConfigureAwait(false);
            }
        }
        var firstHour = RollupTime.HourStart(plan.FirstHour);
        var endHour = RollupTime.HourStart(plan.EndHour);
        if (!plan.HasHours)
        {
            await ReadRequestsAsync(c, tx, projectId, plan.Start, plan.End, false, now, read, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await ReadRequestsAsync(c, tx, projectId, plan.Start, firstHour, false, now, read, cancellationToken).ConfigureAwait(false);
            await ReadRequestsAsync(c, tx, projectId, endHour, plan.End, false, now, read, cancellationToken).ConfigureAwait(false);
            await ReadRequestsAsync(c, tx, projectId, RollupTime.HourStart(Math.Max(plan.OpenFromHour, plan.FirstHour)), endHour, true, now, read, cancellationToken).ConfigureAwait(false);
        }
        await using (var cmd = Command(c, tx, "SELECT (SELECT min(created) FROM usage_requests WHERE project_id = @p), (SELECT max(created) FROM usage_requests WHERE project_id = @p);"))
        {
            cmd.Parameters.AddWithValue("p", projectId);
            await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (await r.ReadAsync(cancellationToken).ConfigureAwait(false) && !r.IsDBNull(0))
            {
                read.Oldest = r.GetFieldValue<DateTimeOffset>(0);
                read.Newest = r.GetFieldValue<DateTimeOffset>(1);
            }
        }
        return read;
    }

    private static async Task ReadTotalsAsync(NpgsqlConnection c, NpgsqlTransaction tx, string projectId, RollupPlan plan, long[] open, RollupRead read, CancellationToken cancellationToken)
    {
        var day = plan.ByDay ? "(day - date '1970-01-01')::bigint" : "-1::bigint";
        var hourDay = plan.ByDay ? "((hour AT TIME ZONE 'UTC')::date - date '1970-01-01')::bigint" : "-1::bigint";
        var openDay = Floor(plan.OpenFromHour, 24);
        var parts = new List<string>();
        if (plan.EndDay > plan.FirstDay)
        {
            parts.Add($"SELECT {day} AS d, shape_id, {Columns} FROM usage_rollups_daily WHERE project_id = @p AND day >= @firstDay AND day < @endDay AND (shape_id <> ALL(@open) OR day < @openDay)");
        }
        var headEnd = Math.Min(plan.FirstDay * 24, plan.EndHour);
        if (headEnd > plan.FirstHour)
        {
            parts.Add($"SELECT {hourDay} AS d, shape_id, {Columns} FROM usage_rollups WHERE project_id = @p AND hour >= @from AND hour < @headEnd AND NOT (shape_id = ANY(@open) AND hour >= @openFrom)");
        }
        var tailStart = Math.Max(plan.EndDay * 24, headEnd);
        if (plan.EndHour > tailStart)
        {
            parts.Add($"SELECT {hourDay} AS d, shape_id, {Columns} FROM usage_rollups WHERE project_id = @p AND hour >= @tailStart AND hour < @to AND NOT (shape_id = ANY(@open) AND hour >= @openFrom)");
        }
        var openStart = Math.Max(plan.FirstDay, openDay) * 24;
        var openEnd = Math.Min(plan.EndDay * 24, plan.OpenFromHour);
        if (open.Length > 0 && plan.EndDay > plan.FirstDay && openEnd > openStart)
        {
            parts.Add($"SELECT {hourDay} AS d, shape_id, {Columns} FROM usage_rollups WHERE project_id = @p AND hour >= @openStart AND hour < @openEnd AND shape_id = ANY(@open)");
        }
        if (parts.Count == 0)
        {
            return;
        }
        await using var cmd = Command(c, tx, $"SELECT d, shape_id, {SumsSql} FROM ({string.Join(" UNION ALL ", parts)}) AS u GROUP BY d, shape_id;");
        Range(cmd, projectId, plan, open, RollupTime.HourStart(plan.OpenFromHour));
        cmd.Parameters.AddWithValue("firstDay", NpgsqlDbType.Date, Day(plan.FirstDay));
        cmd.Parameters.AddWithValue("endDay", NpgsqlDbType.Date, Day(plan.EndDay));
        cmd.Parameters.AddWithValue("openDay", NpgsqlDbType.Date, Day(openDay));
        cmd.Parameters.AddWithValue("headEnd", NpgsqlDbType.TimestampTz, RollupTime.HourStart(headEnd));
        cmd.Parameters.AddWithValue("tailStart", NpgsqlDbType.TimestampTz, RollupTime.HourStart(tailStart));
        cmd.Parameters.AddWithValue("openStart", NpgsqlDbType.TimestampTz, RollupTime.HourStart(openStart));
        cmd.Parameters.AddWithValue("openEnd", NpgsqlDbType.TimestampTz, RollupTime.HourStart(openEnd));
        await ReadFiguresAsync(cmd, 2, (r, f) => read.Totals.Add((r.GetInt64(0), r.GetInt64(1), f)), cancellationToken).ConfigureAwait(false);
    }

    private static async Task<(long, long)?> TimesAsync(NpgsqlConnection c, NpgsqlTransaction tx, string projectId, RollupPlan plan, long[]? matching, CancellationToken cancellationToken)
    {
        var only = matching is null ? "" : " AND shape_id = ANY(@matching)";
        var range = $"project_id = @p AND hour >= @from AND hour < @to{only}";
        await using var cmd = Command(c, tx, $"""
            SELECT (SELECT min(first_created) FROM usage_rollups WHERE project_id = @p{only} AND hour = (SELECT min(hour) FROM usage_rollups WHERE {range})),
                   (SELECT max(last_created) FROM usage_rollups WHERE project_id = @p{only} AND hour = (SELECT max(hour) FROM usage_rollups WHERE {range}));
            """);
        cmd.Parameters.AddWithValue("p", projectId);
        cmd.Parameters.AddWithValue("from", NpgsqlDbType.TimestampTz, RollupTime.HourStart(plan.FirstHour));
        cmd.Parameters.AddWithValue("to", NpgsqlDbType.TimestampTz, RollupTime.HourStart(plan.EndHour));
        if (matching is not null)
        {
            cmd.Parameters.AddWithValue("matching", matching);
        }
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await r.ReadAsync(cancellationToken).ConfigureAwait(false) && !r.IsDBNull(0) && !r.IsDBNull(1)
            ? (r.GetFieldValue<DateTimeOffset>(0).UtcTicks, r.GetFieldValue<DateTimeOffset>(1).UtcTicks)
            : null;
    }

    private static async Task ReadRequestsAsync(NpgsqlConnection c, NpgsqlTransaction tx, string projectId, DateTimeOffset from, DateTimeOffset to, bool openOnly, DateTimeOffset now, RollupRead read, CancellationToken cancellationToken)
    {
        if (to <= from)
        {
            return;
        }
        var state = openOnly ? " AND state IN ('pending', 'unknown', 'lost')" : "";
        await using var cmd = Command(c, tx, $"SELECT raw::text FROM usage_requests WHERE project_id = @p AND created >= @from AND created < @to{state};");
        cmd.Parameters.AddWithValue("p", projectId);
        cmd.Parameters.AddWithValue("from", NpgsqlDbType.TimestampTz, from.ToUniversalTime());
        cmd.Parameters.AddWithValue("to", NpgsqlDbType.TimestampTz, to.ToUniversalTime());
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            read.Requests.Add(UsageJson.DeserializeRequest(r.GetString(0), now));
        }
    }

    private static void Range(NpgsqlCommand cmd, string projectId, RollupPlan plan, long[] open, DateTimeOffset openFrom)
    {
        cmd.Parameters.AddWithValue("p", projectId);
        cmd.Parameters.AddWithValue("from", NpgsqlDbType.TimestampTz, RollupTime.HourStart(plan.FirstHour));
        cmd.Parameters.AddWithValue("to", NpgsqlDbType.TimestampTz, RollupTime.HourStart(plan.EndHour));
        cmd.Parameters.AddWithValue("open", open);
        cmd.Parameters.AddWithValue("openFrom", NpgsqlDbType.TimestampTz, openFrom);
    }

    /// <summary>Reads rows whose columns from <paramref name="at"/> on are the sums: requests, tokens in and out, characters, audio, usd, parts text.</summary>
    private static async Task ReadFiguresAsync(NpgsqlCommand cmd, int at, Action<NpgsqlDataReader, RollupFigures> row, CancellationToken cancellationToken)
    {
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var f = new RollupFigures
            {
                Requests = r.GetInt64(at),
                TokensIn = r.GetInt64(at + 1),
                TokensOut = r.GetInt64(at + 2),
                TtsCharacters = r.GetInt64(at + 3),
                AudioMicros = r.GetInt64(at + 4),
                Usd = r.GetDecimal(at + 5),
            };
            if (!r.IsDBNull(at + 6))
            {
                f.AddParts(r.GetString(at + 6));
            }
            row(r, f);
        }
    }

    private static DateOnly Day(long day) => DateOnly.FromDayNumber((int)RollupTime.DayNumber(day));

    private static long Floor(long a, long b) => a >= 0 ? a / b : ((a + 1) / b) - 1;

    private static NpgsqlCommand Command(NpgsqlConnection c, NpgsqlTransaction? tx, string sql) => new(sql, c, tx);

    private static async Task ExecuteAsync(NpgsqlConnection c, NpgsqlTransaction tx, string sql, CancellationToken cancellationToken)
    {
        await using var cmd = Command(c, tx, sql);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The columns of one multi-row upsert, as arrays (<c>unnest</c>).</summary>
    private sealed class Rows
    {
        private readonly List<object> _times = [];
        private readonly List<long> _shapes = [], _series = [], _requests = [], _in = [], _out = [], _chars = [];
        private readonly List<long> _audio = [];
        private readonly List<decimal> _usd = [];
        private readonly List<string?> _parts = [];
        private readonly List<DateTimeOffset> _first = [], _last = [];

        public void Add(object time, long shape, long series, RollupFigures f)
        {
            _times.Add(time);
            _shapes.Add(shape);
            _series.Add(series);
            _requests.Add(f.Requests);
            _in.Add(f.TokensIn);
            _out.Add(f.TokensOut);
            _chars.Add(f.TtsCharacters);
            _audio.Add(f.AudioMicros);
            _usd.Add(f.Usd);
            _parts.Add(RollupFigures.FormatParts(f.Parts));
            _first.Add(f.First <= f.Last ? new DateTimeOffset(f.First, TimeSpan.Zero) : DateTimeOffset.UnixEpoch);
            _last.Add(f.First <= f.Last ? new DateTimeOffset(f.Last, TimeSpan.Zero) : DateTimeOffset.UnixEpoch);
        }

        public void Bind(NpgsqlCommand cmd, string projectId, NpgsqlDbType timeType)
        {
            cmd.Parameters.AddWithValue("p", projectId);
            if (timeType == NpgsqlDbType.Date)
            {
                cmd.Parameters.AddWithValue("t", NpgsqlDbType.Array | NpgsqlDbType.Date, _times.Cast<DateOnly>().ToArray());
            }
            else
            {
                cmd.Parameters.AddWithValue("t", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz, _times.Cast<DateTimeOffset>().ToArray());
            }
            cmd.Parameters.AddWithValue("s", _shapes.ToArray());
            cmd.Parameters.AddWithValue("se", _series.ToArray());
            cmd.Parameters.AddWithValue("r", _requests.ToArray());
            cmd.Parameters.AddWithValue("ti", _in.ToArray());
            cmd.Parameters.AddWithValue("tout", _out.ToArray());
            cmd.Parameters.AddWithValue("tc", _chars.ToArray());
            cmd.Parameters.AddWithValue("a", _audio.ToArray());
            cmd.Parameters.AddWithValue("u", NpgsqlDbType.Array | NpgsqlDbType.Numeric, _usd.ToArray());
            cmd.Parameters.AddWithValue("pt", NpgsqlDbType.Array | NpgsqlDbType.Text, _parts.ToArray());
            cmd.Parameters.AddWithValue("f", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz, _first.ToArray());
            cmd.Parameters.AddWithValue("l", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz, _last.ToArray());
        }
    }
}
