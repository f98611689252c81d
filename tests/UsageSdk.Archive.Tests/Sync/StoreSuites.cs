using UsageSdk.Archive.PostgreSql;
using UsageSdk.Archive.Tests.Infrastructure;

namespace UsageSdk.Archive.Tests.Sync;

/// <summary>The sync contract on SQLite files in a temp directory.</summary>
public sealed class SqliteArchiveSyncTests : ArchiveSyncContract
{
    private readonly TempDirectory _dir = new();
    private int _files;

    protected override Task<IUsageArchiveStore> NewStoreAsync()
        => Task.FromResult<IUsageArchiveStore>(new SqliteArchiveStore(_dir.File($"archive{++_files}.db")));

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _dir.Dispose();
    }
}

/// <summary>The sync contract on a real PostgreSQL server (a throwaway one the fixture starts; one database per store).</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresArchiveSyncTests(PostgresServer server) : ArchiveSyncContract
{
    protected override async Task<IUsageArchiveStore> NewStoreAsync() => new PostgresArchiveStore(await server.CreateDatabaseAsync());
}

/// <summary>The roll-up oracle on SQLite files.</summary>
public sealed class SqliteRollupTests : UsageSdk.Archive.Tests.Rollups.RollupContract
{
    private readonly TempDirectory _dir = new();
    private int _files;

    protected override Task<IUsageArchiveStore> NewStoreAsync()
        => Task.FromResult<IUsageArchiveStore>(new SqliteArchiveStore(_dir.File($"rollups{++_files}.db")));

    protected override async Task<IUsageArchiveStore> WithoutRollupsAsync(IUsageArchiveStore closed)
    {
        var path = ((SqliteArchiveStore)closed).FilePath!;
        // Schema 2: what UsageSdk.Archive wrote before roll-ups (schema 3 only added these tables).
        await ExecuteClosedAsync(path, """
            DROP TABLE usage_rollups; DROP TABLE usage_rollups_daily; DROP TABLE usage_rollups_series; DROP TABLE usage_rollup_shapes;
            DROP TABLE usage_rollup_projects; UPDATE usage_schema SET version = 2;
            """);
        return new SqliteArchiveStore(path);
    }

    /// <summary>Runs SQL on the file of a closed store (no pooled connection left open on it).</summary>
    private static async Task ExecuteClosedAsync(string path, string sql)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await using var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False");
        await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task A_schema_3_archive_gets_hourly_roll_ups_keyed_by_day_when_opened_without_loss()
    {
        var store = await NewStoreAsync();
        var archive = await SyncedArchiveAsync(store);
        var hourly = await HourlyRowsAsync(store);
        await archive.DisposeAsync();
        var path = ((SqliteArchiveStore)store).FilePath!;
        // Schema 3's hourly table: keyed by project, hour and shape, no day column.
        await ExecuteClosedAsync(path, """
            CREATE TABLE old_rollups (project_no INTEGER NOT NULL, hour INTEGER NOT NULL, shape_id INTEGER NOT NULL, series_id INTEGER NOT NULL,
                requests INTEGER NOT NULL, tokens_in INTEGER NOT NULL, tokens_out INTEGER NOT NULL, tts_characters INTEGER NOT NULL,
                audio_micros INTEGER NOT NULL, usd_nano INTEGER NOT NULL, usd_atto INTEGER NOT NULL, usd_rest TEXT, usd_scale INTEGER NOT NULL,
                parts TEXT, first_created INTEGER NOT NULL, last_created INTEGER NOT NULL, PRIMARY KEY (project_no, hour, shape_id)) WITHOUT ROWID;
            INSERT INTO old_rollups SELECT project_no, hour, shape_id, series_id, requests, tokens_in, tokens_out, tts_characters, audio_micros,
                usd_nano, usd_atto, usd_rest, usd_scale, parts, first_created, last_created FROM usage_rollups;
            DROP TABLE usage_rollups; ALTER TABLE old_rollups RENAME TO usage_rollups; UPDATE usage_schema SET version = 3;
            """);

        var reopened = new UsageArchive(new SqliteArchiveStore(path), options: new UsageArchiveOptions { TimeProvider = Time }, ownsStore: true);
        try
        {
            await AssertOracleAsync(reopened, seed: 11, cases: 20);
            await using var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False");
            await c.OpenAsync();
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT group_concat(name, ',') FROM (SELECT name FROM pragma_table_info('usage_rollups') WHERE pk > 0 ORDER BY pk); SELECT version FROM usage_schema;";
            await using var r = await cmd.ExecuteReaderAsync();
            Assert.True(await r.ReadAsync());
            Assert.Equal("project_no,day,shape_id,hour", r.GetString(0));
            Assert.True(await r.NextResultAsync() && await r.ReadAsync());
            Assert.Equal(4, r.GetInt64(0));
        }
        finally
        {
            await reopened.DisposeAsync();
        }
        Assert.Equal(hourly, await HourlyRowsAsync(new SqliteArchiveStore(path)));
    }

    protected override async Task<long> HourlyRowsAsync(IUsageArchiveStore store)
    {
        await using var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={((SqliteArchiveStore)store).FilePath};Pooling=False");
        await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM usage_rollups;";
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _dir.Dispose();
    }
}

/// <summary>The roll-up oracle on a real PostgreSQL server (one database per store).</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresRollupTests(PostgresServer server) : UsageSdk.Archive.Tests.Rollups.RollupContract
{
    private readonly Dictionary<IUsageArchiveStore, string> _databases = [];

    protected override async Task<IUsageArchiveStore> NewStoreAsync()
    {
        var cs = await server.CreateDatabaseAsync();
        var store = new PostgresArchiveStore(cs);
        _databases[store] = cs;
        return store;
    }

    protected override async Task<IUsageArchiveStore> WithoutRollupsAsync(IUsageArchiveStore closed)
    {
        var cs = _databases[closed];
        await using (var c = new Npgsql.NpgsqlConnection(Npgsql(cs)))
        {
            await c.OpenAsync();
            // Schema 1: what UsageSdk.Archive wrote before roll-ups (schema 2 only added these tables).
            await using var cmd = new Npgsql.NpgsqlCommand("""
                DROP TABLE usage_rollups; DROP TABLE usage_rollups_daily; DROP TABLE usage_rollups_series; DROP TABLE usage_rollup_shapes;
                UPDATE usage_schema SET version = 1;
                """, c);
            await cmd.ExecuteNonQueryAsync();
        }
        var store = new PostgresArchiveStore(cs);
        _databases[store] = cs;
        return store;
    }

    protected override async Task<long> HourlyRowsAsync(IUsageArchiveStore store)
    {
        await using var c = new Npgsql.NpgsqlConnection(Npgsql(_databases[store]));
        await c.OpenAsync();
        await using var cmd = new Npgsql.NpgsqlCommand("SELECT count(*) FROM usage_rollups;", c);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    private static string Npgsql(string cs) => UsageSdk.Archive.PostgreSql.Internal.PostgresConnectionString.ToNpgsql(cs);
}
