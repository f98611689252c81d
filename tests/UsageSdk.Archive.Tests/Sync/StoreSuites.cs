using UsageSdk.Archive.Tests.Infrastructure;
using UsageSdk.Archive.PostgreSql;

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

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _dir.Dispose();
    }
}
