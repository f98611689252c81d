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
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await using (var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await c.OpenAsync();
            await using var cmd = c.CreateCommand();
            // Schema 2: what UsageSdk.Archive wrote before roll-ups (schema 3 only added these tables).
            cmd.CommandText = """
                DROP TABLE usage_rollups; DROP TABLE usage_rollups_daily; DROP TABLE usage_rollups_series; DROP TABLE usage_rollup_shapes;
                DROP TABLE usage_rollup_projects; UPDATE usage_schema SET version = 2;
                """;
            await cmd.ExecuteNonQueryAsync();
        }
        return new SqliteArchiveStore(path);
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
