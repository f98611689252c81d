using System.Runtime.CompilerServices;
using Npgsql;
using NpgsqlTypes;
using UsageSdk.Archive.Internal;
using UsageSdk.Archive.PostgreSql.Internal;

namespace UsageSdk.Archive.PostgreSql;

/// <summary>
/// The archive in PostgreSQL (Npgsql), for teams that share one store and chart it (Grafana's PostgreSQL data source).
/// The same tables as <see cref="SqliteArchiveStore"/> with native types: <c>created</c> is <c>timestamptz</c>,
/// <c>usd</c> <c>numeric</c>, models/tags/features <c>text[]</c>, <c>raw</c> <c>json</c> (the
/// text as the API sent it; cast to <c>jsonb</c> to index it). Each page is bulk-copied
/// into a temporary table and upserted with the checkpoint in one transaction. A sync holds a session advisory lock
/// per project, so two workers never sync the same project at once.
/// </summary>
public sealed partial class PostgresArchiveStore : IUsageArchiveStore
{
    private const int SchemaVersion = 2; // 2: roll-ups (PostgresRollups)
    private const long SchemaLockKey = 0x55736167_65536b41; // "UsageSkA"
    private readonly NpgsqlDataSource _dataSource;

    /// <summary>Creates a store for a PostgreSQL database (connections are opened when needed and pooled).</summary>
    /// <param name="connectionString">An Npgsql connection string (<c>Host=…;Database=…;Username=…</c>) or a URL (<c>postgres://user:pass@host:5432/db</c>).</param>
    /// <exception cref="ArgumentException">The value is empty or malformed.</exception>
    public PostgresArchiveStore(string connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new ArgumentException("The PostgreSQL connection string is empty.", nameof(connectionString));
        }
        var cs = PostgresConnectionString.ToNpgsql(connectionString);
        Description = PostgresConnectionString.Describe(cs);
        _dataSource = new NpgsqlSlimDataSourceBuilder(cs).EnableArrays().Build();
    }

    /// <inheritdoc />
    public string Description { get; }

    /// <inheritdoc />
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await using var c = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(c, tx, $"SELECT pg_advisory_xact_lock({SchemaLockKey});", cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(c, tx, """
            CREATE TABLE IF NOT EXISTS usage_schema (version integer NOT NULL);
            CREATE TABLE IF NOT EXISTS usage_requests (
                project_id     text NOT NULL,
                request_id     text NOT NULL,
                created        timestamptz NOT NULL,
                api_key_id     text,
                accessor       text,
                path           text,
                method         text,
                endpoint       text,
                deployment     text,
                models         text[],
                tags           text[],
                features       text[],
                duration       double precision,
                total_audio    double precision,
                channels       integer,
                streams        integer,
                usd            numeric,
                tokens_in      bigint,
                tokens_out     bigint,
                tts_characters bigint,
                code           integer,
                state          text NOT NULL,
                raw            json NOT NULL,
                first_synced   timestamptz NOT NULL,
                last_synced    timestamptz NOT NULL,
                PRIMARY KEY (project_id, request_id)
            );
            CREATE INDEX IF NOT EXISTS ix_usage_requests_created ON usage_requests (project_id, created);
            DROP INDEX IF EXISTS ix_usage_requests_key; -- no query filters on api_key_id (accessor is the API's filter)
            CREATE INDEX IF NOT EXISTS ix_usage_requests_accessor ON usage_requests (project_id, accessor, created);
            CREATE INDEX IF NOT EXISTS ix_usage_requests_unsettled ON usage_requests (project_id, created) WHERE state IN ('pending', 'unknown', 'lost');
            CREATE TABLE IF NOT EXISTS usage_sync_state (
                project_id           text PRIMARY KEY,
                synced_through       timestamptz,
                pass_start           timestamptz,
                pass_end             timestamptz,
                pass_token           text,
                pass_pages           bigint,
                pass_items           bigint,
                usage_synced_through date,
                last_sync_at         timestamptz
            );
            CREATE TABLE IF NOT EXISTS usage_gaps (
                project_id  text NOT NULL,
                gap_from    timestamptz NOT NULL,
                gap_to      timestamptz NOT NULL,
                detected_at timestamptz NOT NULL,
                PRIMARY KEY (project_id, gap_from)
            );
            CREATE TABLE IF NOT EXISTS usage_daily_summaries (
                project_id     text NOT NULL,
                day            date NOT NULL,
                end_day        date NOT NULL,
                hours          double precision NOT NULL,
                total_hours    double precision NOT NULL,
                requests       bigint,
                tokens_in      bigint,
                tokens_out     bigint,
                tts_characters bigint,
                tts_requests   bigint,
                PRIMARY KEY (project_id, day)
            );
            CREATE TABLE IF NOT EXISTS usage_daily_breakdowns (
                project_id     text NOT NULL,
                grouping       text NOT NULL,
                day            date NOT NULL,
                end_day        date NOT NULL,
                group_key      text NOT NULL,
                accessor       text,
                endpoint       text,
                feature_set    text,
                models         text[],
                method         text,
                tags           text[],
                deployment     text,
                hours          double precision NOT NULL,
                total_hours    double precision NOT NULL,
                agent_hours    double precision NOT NULL,
                tokens_in      bigint,
                tokens_out     bigint,
                tts_characters bigint,
                requests       bigint,
                PRIMARY KEY (project_id, grouping, day, group_key)
            );
            """, cancellationToken).ConfigureAwait(false);
        await PostgresRollups.CreateTablesAsync(c, tx, cancellationToken).ConfigureAwait(false);
        PostgresRollups.Writer? rollups = null;
        await using (var version = Command(c, tx, "SELECT max(version) FROM usage_schema;"))
        {
            var v = await version.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            if (v is null or DBNull)
            {
                await ExecuteAsync(c, tx, $"INSERT INTO usage_schema (version) VALUES ({SchemaVersion});", cancellationToken).ConfigureAwait(false);
            }
            else if ((int)v > SchemaVersion)
            {
                throw new InvalidOperationException($"The archive {Description} was written by a newer UsageSdk.Archive (schema {v}); update the package.");
            }
            else if ((int)v < 2)
            {
                rollups = _rollups.Begin(c, tx); // an archive written before roll-ups: roll up every stored log once
            }
        }
        if (rollups is not null)
        {
            await rollups.RebuildAllAsync(cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(c, tx, $"UPDATE usage_schema SET version = {SchemaVersion};", cancellationToken).ConfigureAwait(false);
        }
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        rollups?.Committed();
    }

    /// <inheritdoc />
    public async Task<IAsyncDisposable> LockProjectAsync(string projectId, CancellationToken cancellationToken = default)
    {
        var key = LockKey(projectId);
        var c = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var cmd = Command(c, null, "SELECT pg_advisory_lock(@k);");
            cmd.Parameters.AddWithValue("k", key);
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return new AdvisoryLock(c, key);
        }
        catch
        {
            await c.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    public async Task<ArchiveCheckpoint?> GetCheckpointAsync(string projectId, CancellationToken cancellationToken = default)
    {
        await using var c = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await ReadCheckpointAsync(c, projectId, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<int> CommitPageAsync(string projectId, IReadOnlyList<UsageRequest> requests, ArchiveCheckpoint checkpoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(checkpoint);
        var syncedAt = (checkpoint.LastSyncAt ?? DateTimeOffset.UtcNow).ToUniversalTime();
        var rows = ArchiveValues.Rows(requests);
        await using var c = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var added = 0;
        var rollups = _rollups.Begin(c, tx);
        if (rows.Count > 0)
        {
            await ExecuteAsync(c, tx, $"CREATE TEMP TABLE IF NOT EXISTS usage_requests_stage ({StageColumns}) ON COMMIT DELETE ROWS;", cancellationToken).ConfigureAwait(false);
            await using (var copy = await c.BeginBinaryImportAsync($"COPY usage_requests_stage ({CopyColumns}) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false))
            {
                foreach (var row in rows)
                {
                    await copy.StartRowAsync(cancellationToken).ConfigureAwait(false);
                    await WriteAsync(copy, projectId, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                    await WriteAsync(copy, row.RequestId, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                    await copy.WriteAsync(row.Created.ToUniversalTime(), NpgsqlDbType.TimestampTz, cancellationToken).ConfigureAwait(false);
                    await WriteAsync(copy, row.ApiKeyId, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                    await WriteAsync(copy, row.Accessor, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                    await WriteAsync(copy, row.Path, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                    await WriteAsync(copy, row.Method, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                    await WriteAsync(copy, row.Endpoint, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                    await WriteAsync(copy, row.Deployment, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                    await WriteArrayAsync(copy, row.Models, cancellationToken).ConfigureAwait(false);
                    await WriteArrayAsync(copy, row.Tags, cancellationToken).ConfigureAwait(false);
                    await WriteArrayAsync(copy, row.Features, cancellationToken).ConfigureAwait(false);
                    await WriteAsync(copy, row.Duration, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
                    await WriteAsync(copy, row.TotalAudio, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
                    await WriteAsync(copy, row.Channels, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
                    await WriteAsync(copy, row.Streams, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
                    await WriteAsync(copy, row.Usd, NpgsqlDbType.Numeric, cancellationToken).ConfigureAwait(false);
                    await WriteAsync(copy, row.TokensIn, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
                    await WriteAsync(copy, row.TokensOut, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
                    await WriteAsync(copy, row.TtsCharacters, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
                    await WriteAsync(copy, row.Code, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
                    await copy.WriteAsync(row.State, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                    await copy.WriteAsync(UsageJson.Serialize(row.Request), NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                }
                await copy.CompleteAsync(cancellationToken).ConfigureAwait(false);
            }
            await rollups.NoteStoredAsync(projectId, cancellationToken).ConfigureAwait(false);
            await using (var upsert = Command(c, tx, UpsertSql))
            {
                upsert.Parameters.AddWithValue("synced", NpgsqlDbType.TimestampTz, syncedAt);
                added = Convert.ToInt32(await upsert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
            }
            await rollups.ApplyAsync(projectId, rows, cancellationToken).ConfigureAwait(false); // the roll-ups, in the same transaction
        }
        await using (var cmd = Command(c, tx, """
            INSERT INTO usage_sync_state (project_id, synced_through, pass_start, pass_end, pass_token, pass_pages, pass_items, last_sync_at)
            VALUES (@p, @through, @start, @end, @token, @pages, @items, @at)
            ON CONFLICT (project_id) DO UPDATE SET synced_through = excluded.synced_through, pass_start = excluded.pass_start, pass_end = excluded.pass_end,
                pass_token = excluded.pass_token, pass_pages = excluded.pass_pages, pass_items = excluded.pass_items, last_sync_at = excluded.last_sync_at;
            """))
        {
            cmd.Parameters.AddWithValue("p", projectId);
            AddTime(cmd, "through", checkpoint.SyncedThrough);
            AddTime(cmd, "start", checkpoint.Pass?.Start);
            AddTime(cmd, "end", checkpoint.Pass?.End);
            cmd.Parameters.AddWithValue("token", NpgsqlDbType.Text, ArchiveValues.Db(checkpoint.Pass?.ContinuationToken));
            cmd.Parameters.AddWithValue("pages", NpgsqlDbType.Bigint, ArchiveValues.Db(checkpoint.Pass?.Pages));
            cmd.Parameters.AddWithValue("items", NpgsqlDbType.Bigint, ArchiveValues.Db(checkpoint.Pass?.Items));
            AddTime(cmd, "at", checkpoint.LastSyncAt);
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        rollups.Committed();
        return added;
    }

    /// <inheritdoc />
    public async Task AddGapAsync(string projectId, ArchiveGap gap, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(gap);
        await using var c = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = Command(c, null, """
            INSERT INTO usage_gaps (project_id, gap_from, gap_to, detected_at) VALUES (@p, @from, @to, @at)
            ON CONFLICT (project_id, gap_from) DO UPDATE SET gap_to = greatest(usage_gaps.gap_to, excluded.gap_to), detected_at = excluded.detected_at;
            """);
        cmd.Parameters.AddWithValue("p", projectId);
        AddTime(cmd, "from", gap.From);
        AddTime(cmd, "to", gap.To);
        AddTime(cmd, "at", gap.DetectedAt);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task CommitUsageAsync(string projectId, DateOnly from, DateOnly to, UsageSummary? summary, IReadOnlyList<ArchivedBreakdown> breakdowns, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(breakdowns);
        await using var c = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var batch = new NpgsqlBatch(c, tx);
        await using (batch.ConfigureAwait(false))
        {
            if (summary is not null)
            {
                var del = Add(batch, "DELETE FROM usage_daily_summaries WHERE project_id = @p AND day >= @from AND day <= @to;");
                del.Parameters.AddWithValue("p", projectId);
                del.Parameters.AddWithValue("from", from);
                del.Parameters.AddWithValue("to", to);
                foreach (var r in summary.Results)
                {
                    var day = r.Start ?? from;
                    var ins = Add(batch, """
                        INSERT INTO usage_daily_summaries (project_id, day, end_day, hours, total_hours, requests, tokens_in, tokens_out, tts_characters, tts_requests)
                        VALUES (@p, @day, @end, @hours, @total, @requests, @tin, @tout, @ttsc, @ttsr)
                        ON CONFLICT (project_id, day) DO UPDATE SET end_day = excluded.end_day, hours = excluded.hours, total_hours = excluded.total_hours,
                            requests = excluded.requests, tokens_in = excluded.tokens_in, tokens_out = excluded.tokens_out,
                            tts_characters = excluded.tts_characters, tts_requests = excluded.tts_requests;
                        """);
                    ins.Parameters.AddWithValue("p", projectId);
                    ins.Parameters.AddWithValue("day", day);
                    ins.Parameters.AddWithValue("end", r.End ?? day);
                    ins.Parameters.AddWithValue("hours", r.Hours);
                    ins.Parameters.AddWithValue("total", r.TotalHours);
                    ins.Parameters.AddWithValue("requests", NpgsqlDbType.Bigint, ArchiveValues.Db(r.Requests));
                    ins.Parameters.AddWithValue("tin", NpgsqlDbType.Bigint, ArchiveValues.Db(r.Tokens?.In));
                    ins.Parameters.AddWithValue("tout", NpgsqlDbType.Bigint, ArchiveValues.Db(r.Tokens?.Out));
                    ins.Parameters.AddWithValue("ttsc", NpgsqlDbType.Bigint, ArchiveValues.Db(r.Tts?.Characters));
                    ins.Parameters.AddWithValue("ttsr", NpgsqlDbType.Bigint, ArchiveValues.Db(r.Tts?.Requests));
                }
            }
            foreach (var b in breakdowns)
            {
                var grouping = b.Grouping.ToString();
                var del = Add(batch, "DELETE FROM usage_daily_breakdowns WHERE project_id = @p AND grouping = @g AND day >= @from AND day <= @to;");
                del.Parameters.AddWithValue("p", projectId);
                del.Parameters.AddWithValue("g", grouping);
                del.Parameters.AddWithValue("from", from);
                del.Parameters.AddWithValue("to", to);
                foreach (var r in b.Breakdown.Results)
                {
                    var g = r.Grouping;
                    var day = g?.Start ?? from;
                    var ins = Add(batch, """
                        INSERT INTO usage_daily_breakdowns (project_id, grouping, day, end_day, group_key, accessor, endpoint, feature_set, models, method, tags, deployment,
                            hours, total_hours, agent_hours, tokens_in, tokens_out, tts_characters, requests)
                        VALUES (@p, @g, @day, @end, @key, @accessor, @endpoint, @fs, @models, @method, @tags, @deployment, @hours, @total, @agent, @tin, @tout, @ttsc, @requests)
                        ON CONFLICT (project_id, grouping, day, group_key) DO UPDATE SET end_day = excluded.end_day, hours = excluded.hours,
                            total_hours = excluded.total_hours, agent_hours = excluded.agent_hours, tokens_in = excluded.tokens_in, tokens_out = excluded.tokens_out,
                            tts_characters = excluded.tts_characters, requests = excluded.requests;
                        """);
                    ins.Parameters.AddWithValue("p", projectId);
                    ins.Parameters.AddWithValue("g", grouping);
                    ins.Parameters.AddWithValue("day", day);
                    ins.Parameters.AddWithValue("end", g?.End ?? day);
                    ins.Parameters.AddWithValue("key", ArchiveValues.GroupKey(g));
                    ins.Parameters.AddWithValue("accessor", NpgsqlDbType.Text, ArchiveValues.Db(g?.Accessor));
                    ins.Parameters.AddWithValue("endpoint", NpgsqlDbType.Text, ArchiveValues.Db(g?.Endpoint));
                    ins.Parameters.AddWithValue("fs", NpgsqlDbType.Text, ArchiveValues.Db(g?.FeatureSet));
                    ins.Parameters.AddWithValue("models", NpgsqlDbType.Array | NpgsqlDbType.Text, g is { Models.Count: > 0 } ? g.Models.ToArray() : DBNull.Value);
                    ins.Parameters.AddWithValue("method", NpgsqlDbType.Text, ArchiveValues.Db(g?.Method));
                    ins.Parameters.AddWithValue("tags", NpgsqlDbType.Array | NpgsqlDbType.Text, g?.Tags is { } tags ? tags.ToArray() : DBNull.Value);
                    ins.Parameters.AddWithValue("deployment", NpgsqlDbType.Text, ArchiveValues.Db(g?.Deployment));
                    ins.Parameters.AddWithValue("hours", r.Hours);
                    ins.Parameters.AddWithValue("total", r.TotalHours);
                    ins.Parameters.AddWithValue("agent", r.AgentHours);
                    ins.Parameters.AddWithValue("tin", NpgsqlDbType.Bigint, ArchiveValues.Db(r.TokensIn));
                    ins.Parameters.AddWithValue("tout", NpgsqlDbType.Bigint, ArchiveValues.Db(r.TokensOut));
                    ins.Parameters.AddWithValue("ttsc", NpgsqlDbType.Bigint, ArchiveValues.Db(r.TtsCharacters));
                    ins.Parameters.AddWithValue("requests", NpgsqlDbType.Bigint, ArchiveValues.Db(r.Requests));
                }
            }
            var state = Add(batch, """
                INSERT INTO usage_sync_state (project_id, usage_synced_through) VALUES (@p, @to)
                ON CONFLICT (project_id) DO UPDATE SET usage_synced_through = excluded.usage_synced_through;
                """);
            state.Parameters.AddWithValue("p", projectId);
            state.Parameters.AddWithValue("to", to);
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<UsageRequest> QueryRequestsAsync(string projectId, RequestsQuery query, DateTimeOffset now, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var parameters = new List<KeyValuePair<string, object>>();
        var where = RequestFilter.Where(query, t => t.ToUniversalTime(), parameters, projectId);
        await using var c = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = Command(c, null, $"SELECT raw::text FROM usage_requests WHERE {where} ORDER BY created DESC, request_id COLLATE \"C\" ASC;");
        foreach (var p in parameters)
        {
            if (p.Value is DateTimeOffset t)
            {
                cmd.Parameters.AddWithValue(p.Key, NpgsqlDbType.TimestampTz, t);
            }
            else
            {
                cmd.Parameters.AddWithValue(p.Key, NpgsqlDbType.Text, p.Value);
            }
        }
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return UsageJson.DeserializeRequest(reader.GetString(0), now);
        }
    }

    /// <inheritdoc />
    public async Task<UsageSummary> GetSummaryAsync(string projectId, DateOnly? from, DateOnly? to, CancellationToken cancellationToken = default)
    {
        await using var c = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = Command(c, null, """
            SELECT day, end_day, hours, total_hours, requests, tokens_in, tokens_out, tts_characters, tts_requests FROM usage_daily_summaries
            WHERE project_id = @p AND (@from::date IS NULL OR day >= @from) AND (@to::date IS NULL OR day <= @to) ORDER BY day;
            """);
        cmd.Parameters.AddWithValue("p", projectId);
        AddDay(cmd, "from", from);
        AddDay(cmd, "to", to);
        var results = new List<UsageSummaryResult>();
        await using (var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var tokens = r.IsDBNull(5) && r.IsDBNull(6) ? null : UsageModelFactory.UsageTokens(Long(r, 5), Long(r, 6));
                var tts = r.IsDBNull(7) && r.IsDBNull(8) ? null : UsageModelFactory.UsageTts(Long(r, 7), Long(r, 8));
                results.Add(UsageModelFactory.UsageSummaryResult(r.GetFieldValue<DateOnly>(0), r.GetFieldValue<DateOnly>(1), r.GetDouble(2), r.GetDouble(3), Long(r, 4), tokens, tts));
            }
        }
        return ArchiveValues.Summary(results, from, to);
    }

    /// <inheritdoc />
    public async Task<UsageBreakdown> GetBreakdownAsync(string projectId, UsageGrouping grouping, DateOnly? from, DateOnly? to, CancellationToken cancellationToken = default)
    {
        await using var c = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = Command(c, null, """
            SELECT day, end_day, accessor, endpoint, feature_set, models, method, tags, deployment, hours, total_hours, agent_hours, tokens_in, tokens_out, tts_characters, requests
            FROM usage_daily_breakdowns
            WHERE project_id = @p AND grouping = @g AND (@from::date IS NULL OR day >= @from) AND (@to::date IS NULL OR day <= @to) ORDER BY day, group_key;
            """);
        cmd.Parameters.AddWithValue("p", projectId);
        cmd.Parameters.AddWithValue("g", grouping.ToString());
        AddDay(cmd, "from", from);
        AddDay(cmd, "to", to);
        var results = new List<UsageBreakdownResult>();
        await using (var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var g = UsageModelFactory.UsageBreakdownGrouping(
                    r.GetFieldValue<DateOnly>(0), r.GetFieldValue<DateOnly>(1), Text(r, 2), Text(r, 3), Text(r, 4),
                    r.IsDBNull(5) ? null : r.GetFieldValue<string?[]>(5), Text(r, 6),
                    r.IsDBNull(7) ? null : r.GetFieldValue<string[]>(7), Text(r, 8));
                results.Add(UsageModelFactory.UsageBreakdownResult(r.GetDouble(9), r.GetDouble(10), r.GetDouble(11), Long(r, 12), Long(r, 13), Long(r, 14), Long(r, 15), g));
            }
        }
        return ArchiveValues.Breakdown(results, from, to);
    }

    /// <inheritdoc />
    public async Task<ArchiveStatistics> GetStatisticsAsync(string projectId, CancellationToken cancellationToken = default)
    {
        await using var c = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        long count, unsettled, days;
        DateTimeOffset? oldest = null, newest = null;
        await using (var cmd = Command(c, null, """
            SELECT count(*), min(created), max(created), count(*) FILTER (WHERE state IN ('pending', 'unknown', 'lost')),
                   (SELECT count(*) FROM usage_daily_summaries WHERE project_id = @p)
            FROM usage_requests WHERE project_id = @p;
            """))
        {
            cmd.Parameters.AddWithValue("p", projectId);
            await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await r.ReadAsync(cancellationToken).ConfigureAwait(false);
            count = r.GetInt64(0);
            if (!r.IsDBNull(1))
            {
                oldest = r.GetFieldValue<DateTimeOffset>(1);
                newest = r.GetFieldValue<DateTimeOffset>(2);
            }
            unsettled = r.GetInt64(3);
            days = r.GetInt64(4);
        }
        var gaps = new List<ArchiveGap>();
        await using (var cmd = Command(c, null, "SELECT gap_from, gap_to, detected_at FROM usage_gaps WHERE project_id = @p ORDER BY gap_from;"))
        {
            cmd.Parameters.AddWithValue("p", projectId);
            await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                gaps.Add(new ArchiveGap(r.GetFieldValue<DateTimeOffset>(0), r.GetFieldValue<DateTimeOffset>(1), r.GetFieldValue<DateTimeOffset>(2)));
            }
        }
        var checkpoint = await ReadCheckpointAsync(c, projectId, cancellationToken).ConfigureAwait(false);
        return new ArchiveStatistics(count, oldest, newest, unsettled, days, checkpoint, gaps);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> GetProjectIdsAsync(CancellationToken cancellationToken = default)
    {
        await using var c = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        // Every commit of request logs writes the project's checkpoint, so usage_requests need not be scanned.
        await using var cmd = Command(c, null, "SELECT project_id FROM usage_sync_state UNION SELECT project_id FROM usage_daily_summaries ORDER BY 1;");
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var ids = new List<string>();
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            ids.Add(r.GetString(0));
        }
        return ids;
    }

    /// <summary>Closes the pooled connections.</summary>
    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    /// <summary>Describes the store (never the password).</summary>
    public override string ToString() => Description;

    // ------------------------------------------------------------------ internals

    private const string CopyColumns = "project_id, request_id, created, api_key_id, accessor, path, method, endpoint, deployment, models, tags, features, duration, total_audio, channels, streams, usd, tokens_in, tokens_out, tts_characters, code, state, raw";

    private const string StageColumns = """
        project_id text, request_id text, created timestamptz, api_key_id text, accessor text, path text, method text, endpoint text, deployment text,
        models text[], tags text[], features text[], duration double precision, total_audio double precision, channels integer, streams integer,
        usd numeric, tokens_in bigint, tokens_out bigint, tts_characters bigint, code integer, state text, raw text
        """;

    private const string UpsertSql = """
        WITH written AS (
            INSERT INTO usage_requests (project_id, request_id, created, api_key_id, accessor, path, method, endpoint, deployment, models, tags, features,
                duration, total_audio, channels, streams, usd, tokens_in, tokens_out, tts_characters, code, state, raw, first_synced, last_synced)
            SELECT project_id, request_id, created, api_key_id, accessor, path, method, endpoint, deployment, models, tags, features,
                duration, total_audio, channels, streams, usd, tokens_in, tokens_out, tts_characters, code, state, raw::json, @synced, @synced
            FROM usage_requests_stage
            ON CONFLICT (project_id, request_id) DO UPDATE SET created = excluded.created, api_key_id = excluded.api_key_id, accessor = excluded.accessor,
                path = excluded.path, method = excluded.method, endpoint = excluded.endpoint, deployment = excluded.deployment, models = excluded.models,
                tags = excluded.tags, features = excluded.features, duration = excluded.duration, total_audio = excluded.total_audio,
                channels = excluded.channels, streams = excluded.streams, usd = excluded.usd, tokens_in = excluded.tokens_in,
                tokens_out = excluded.tokens_out, tts_characters = excluded.tts_characters, code = excluded.code, state = excluded.state,
                raw = excluded.raw, last_synced = excluded.last_synced
            RETURNING (xmax = 0) AS inserted)
        SELECT count(*) FILTER (WHERE inserted) FROM written;
        """;

    private static ValueTask WriteAsync<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type, CancellationToken cancellationToken) where T : class
        => value is null ? new ValueTask(copy.WriteNullAsync(cancellationToken)) : new ValueTask(copy.WriteAsync(value, type, cancellationToken));

    private static ValueTask WriteAsync<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type, CancellationToken cancellationToken) where T : struct
        => value is { } v ? new ValueTask(copy.WriteAsync(v, type, cancellationToken)) : new ValueTask(copy.WriteNullAsync(cancellationToken));

    private static ValueTask WriteArrayAsync(NpgsqlBinaryImporter copy, IReadOnlyList<string> values, CancellationToken cancellationToken)
        => values.Count == 0
            ? new ValueTask(copy.WriteNullAsync(cancellationToken))
            : new ValueTask(copy.WriteAsync(values as string[] ?? values.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text, cancellationToken));

    private static async Task<ArchiveCheckpoint?> ReadCheckpointAsync(NpgsqlConnection c, string projectId, CancellationToken cancellationToken)
    {
        await using var cmd = Command(c, null, "SELECT synced_through, pass_start, pass_end, pass_token, pass_pages, pass_items, usage_synced_through, last_sync_at FROM usage_sync_state WHERE project_id = @p;");
        cmd.Parameters.AddWithValue("p", projectId);
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }
        ArchivePass? pass = r.IsDBNull(1) || r.IsDBNull(2)
            ? null
            : new ArchivePass(r.GetFieldValue<DateTimeOffset>(1), r.GetFieldValue<DateTimeOffset>(2), Text(r, 3), Long(r, 4) ?? 0, Long(r, 5) ?? 0);
        return new ArchiveCheckpoint(
            r.IsDBNull(0) ? null : r.GetFieldValue<DateTimeOffset>(0),
            pass,
            r.IsDBNull(6) ? null : r.GetFieldValue<DateOnly>(6),
            r.IsDBNull(7) ? null : r.GetFieldValue<DateTimeOffset>(7));
    }

    private static NpgsqlCommand Command(NpgsqlConnection c, NpgsqlTransaction? tx, string sql) => new(sql, c, tx);

    private static NpgsqlBatchCommand Add(NpgsqlBatch batch, string sql)
    {
        var cmd = new NpgsqlBatchCommand(sql);
        batch.BatchCommands.Add(cmd);
        return cmd;
    }

    private static async Task ExecuteAsync(NpgsqlConnection c, NpgsqlTransaction? tx, string sql, CancellationToken cancellationToken)
    {
        await using var cmd = Command(c, tx, sql);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void AddTime(NpgsqlCommand cmd, string name, DateTimeOffset? value)
        => cmd.Parameters.AddWithValue(name, NpgsqlDbType.TimestampTz, value is { } v ? v.ToUniversalTime() : DBNull.Value);

    private static void AddDay(NpgsqlCommand cmd, string name, DateOnly? value)
        => cmd.Parameters.AddWithValue(name, NpgsqlDbType.Date, value is { } v ? v : DBNull.Value);

    private static string? Text(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static long? Long(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetInt64(i);

    /// <summary>A stable 64-bit key per project (FNV-1a; string hashes are randomized per process).</summary>
    private static long LockKey(string projectId)
    {
        var h = 14695981039346656037UL;
        foreach (var ch in "usagesdk.archive:" + projectId)
        {
            h = (h ^ ch) * 1099511628211UL;
        }
        return unchecked((long)h);
    }

    private sealed class AdvisoryLock(NpgsqlConnection connection, long key) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await using var cmd = new NpgsqlCommand("SELECT pg_advisory_unlock(@k);", connection);
                cmd.Parameters.AddWithValue("k", key);
                await cmd.ExecuteNonQueryAsync().ConfigureAwait(false);
            }
            catch (NpgsqlException)
            {
                // the connection broke: the server released the lock with the session
            }
            finally
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
