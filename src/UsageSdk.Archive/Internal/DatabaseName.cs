using System.Data.Common;

namespace UsageSdk.Archive.Internal;

/// <summary>Reads the <c>--db</c> value: a PostgreSQL URL or connection string, or a SQLite file path or connection string.</summary>
internal static class DatabaseName
{
    public static bool IsPostgres(string database)
    {
        var d = database.Trim();
        if (d.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || d.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        if (!d.Contains('=', StringComparison.Ordinal))
        {
            return false;
        }
        var keys = Keys(d);
        return keys is not null && (keys.Contains("host") || keys.Contains("server")) && !keys.Contains("data source") && !keys.Contains("filename");
    }

    /// <summary>A SQLite connection string for a path or a SQLite connection string.</summary>
    public static string ToSqliteConnectionString(string database, out string? filePath)
    {
        var d = database.Trim();
        var keys = d.Contains('=', StringComparison.Ordinal) ? Keys(d) : null;
        Microsoft.Data.Sqlite.SqliteConnectionStringBuilder b = keys is not null && (keys.Contains("data source") || keys.Contains("filename") || keys.Contains("datasource"))
            ? new(d)
            : new() { DataSource = d };
        b.Pooling = true;
        var source = b.DataSource;
        filePath = string.IsNullOrEmpty(source) || source == ":memory:" || b.Mode == Microsoft.Data.Sqlite.SqliteOpenMode.Memory ? null : Path.GetFullPath(source);
        return b.ConnectionString;
    }

    private static HashSet<string>? Keys(string connectionString)
    {
        try
        {
            var b = new DbConnectionStringBuilder { ConnectionString = connectionString };
            return b.Keys.Cast<string>().Select(k => k.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
