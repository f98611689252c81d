using System.Data.Common;
using System.Globalization;
using Npgsql;

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

    /// <summary>Turns <c>postgres://user:pass@host:port/db?sslmode=require</c> (or a connection string) into an Npgsql connection string.</summary>
    public static string ToNpgsqlConnectionString(string database)
    {
        var d = database.Trim();
        if (!d.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) && !d.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            return new NpgsqlConnectionStringBuilder(d).ConnectionString;
        }
        if (!Uri.TryCreate(d, UriKind.Absolute, out var uri))
        {
            throw new ArgumentException("The PostgreSQL URL is malformed; expected postgres://user:password@host:port/database.", nameof(database));
        }
        var b = new NpgsqlConnectionStringBuilder();
        if (!string.IsNullOrEmpty(uri.Host))
        {
            b.Host = Uri.UnescapeDataString(uri.IdnHost.Trim('[', ']'));
        }
        if (!uri.IsDefaultPort && uri.Port > 0)
        {
            b.Port = uri.Port;
        }
        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            b.Username = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            if (colon >= 0)
            {
                b.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
            }
        }
        var db = Uri.UnescapeDataString(uri.AbsolutePath.Trim('/'));
        if (db.Length > 0)
        {
            b.Database = db;
        }
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]).Replace('_', ' ');
            var value = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' '));
            try
            {
                b[key] = value; // sslmode, host (a socket directory), application_name, timeout, …
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"The PostgreSQL URL has an unknown parameter '{key}': {e.Message}", nameof(database), e);
            }
        }
        return b.ConnectionString;
    }

    /// <summary>Describes a PostgreSQL database without its password.</summary>
    public static string DescribePostgres(string connectionString)
    {
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        return string.Create(CultureInfo.InvariantCulture, $"PostgreSQL {b.Host}:{b.Port}/{b.Database}");
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
