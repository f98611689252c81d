using UsageSdk.Archive.Internal;

namespace UsageSdk.Archive.PostgreSql;

/// <summary>
/// Opens an archive by database name when PostgreSQL is one of the choices (a CLI's or a worker's <c>--db</c>):
/// <c>postgres://user:pass@host:port/db</c>, <c>postgresql://…</c> or an Npgsql connection string
/// (<c>Host=…;Database=…</c>) selects <see cref="PostgresArchiveStore"/>; anything else is handed to
/// <see cref="UsageArchive.OpenStore"/> (SQLite).
/// </summary>
public static class PostgresArchive
{
    /// <summary>Opens the archive named by <paramref name="database"/> (see <see cref="OpenStore"/>). The archive owns the store.</summary>
    /// <param name="database">A PostgreSQL URL or connection string, or a SQLite file path or connection string.</param>
    /// <param name="client">The client to sync with, or null to only read.</param>
    /// <param name="options">Settings, or null for the defaults.</param>
    /// <exception cref="ArgumentException">The name is empty, or a PostgreSQL URL is malformed.</exception>
    public static UsageArchive Open(string database, UsageClient? client = null, UsageArchiveOptions? options = null)
        => new(OpenStore(database), client, options, ownsStore: true);

    /// <summary>Opens a store from a database name: PostgreSQL for a PostgreSQL URL or connection string, else SQLite.</summary>
    /// <param name="database">A PostgreSQL URL or connection string, or a SQLite file path or connection string.</param>
    /// <exception cref="ArgumentException">The name is empty, or a PostgreSQL URL is malformed.</exception>
    public static IUsageArchiveStore OpenStore(string database)
        => IsPostgres(database)
            ? new PostgresArchiveStore(database)
            : UsageArchive.OpenStore(database);

    /// <summary>Whether <paramref name="database"/> names a PostgreSQL database (a URL or an Npgsql connection string).</summary>
    /// <param name="database">The database name.</param>
    public static bool IsPostgres(string database) => !string.IsNullOrWhiteSpace(database) && DatabaseName.IsPostgres(database);
}
