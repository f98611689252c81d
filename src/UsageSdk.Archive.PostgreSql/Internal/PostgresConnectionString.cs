using System.Globalization;
using Npgsql;

namespace UsageSdk.Archive.PostgreSql.Internal;

/// <summary>PostgreSQL names: a <c>postgres://</c> URL or an Npgsql connection string (detected by <c>DatabaseName.IsPostgres</c> in UsageSdk.Archive).</summary>
internal static class PostgresConnectionString
{
    /// <summary>Turns <c>postgres://user:pass@host:port/db?sslmode=require</c> (or a connection string) into an Npgsql connection string.</summary>
    public static string ToNpgsql(string database)
    {
        var d = database.Trim();
        if (!d.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) && !d.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            return new NpgsqlConnectionStringBuilder(d).ConnectionString;
        }
        // postgres://[user[:password]@][host][:port][,host2[:port2]…][/database][?key=value&…] (libpq's form; the host may be empty).
        var rest = d[(d.IndexOf("://", StringComparison.Ordinal) + 3)..];
        var q = rest.IndexOf('?', StringComparison.Ordinal);
        var query = q < 0 ? "" : rest[(q + 1)..];
        rest = q < 0 ? rest : rest[..q];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var authority = slash < 0 ? rest : rest[..slash];
        var db = slash < 0 ? "" : Uri.UnescapeDataString(rest[(slash + 1)..]);
        var at = authority.LastIndexOf('@');
        var userInfo = at < 0 ? "" : authority[..at];
        var hosts = at < 0 ? authority : authority[(at + 1)..];
        var b = new NpgsqlConnectionStringBuilder();
        if (hosts.Length > 0)
        {
            if (hosts.Contains(',', StringComparison.Ordinal))
            {
                b.Host = Uri.UnescapeDataString(hosts); // Npgsql reads "h1:5432,h2:5433" itself
            }
            else
            {
                var portAt = hosts.StartsWith('[') ? hosts.IndexOf("]:", StringComparison.Ordinal) + 1 : hosts.LastIndexOf(':');
                var host = portAt > 0 ? hosts[..portAt] : hosts;
                if (portAt > 0)
                {
                    if (!int.TryParse(hosts[(portAt + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
                    {
                        throw new ArgumentException($"The PostgreSQL URL has a bad port '{hosts[(portAt + 1)..]}'; expected postgres://user:password@host:port/database.", nameof(database));
                    }
                    b.Port = port;
                }
                b.Host = Uri.UnescapeDataString(host.Trim('[', ']'));
            }
        }
        if (userInfo.Length > 0)
        {
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            b.Username = Uri.UnescapeDataString(colon < 0 ? userInfo : userInfo[..colon]);
            if (colon >= 0)
            {
                b.Password = Uri.UnescapeDataString(userInfo[(colon + 1)..]);
            }
        }
        if (db.Length > 0)
        {
            b.Database = db;
        }
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
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
    public static string Describe(string connectionString)
    {
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        return string.Create(CultureInfo.InvariantCulture, $"PostgreSQL {b.Host}:{b.Port}/{b.Database}");
    }
}
