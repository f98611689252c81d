using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;
using UsageSdk.Archive.PostgreSql;

namespace UsageSdk.Archive.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL server for the tests: Debian's binaries (/usr/lib/postgresql/*/bin), a cluster in a temp
/// directory, listening on 127.0.0.1 at a free port with its socket in that directory, trust authentication. It runs as
/// the postgres user when the tests run as root (PostgreSQL refuses root). Stopped and deleted on dispose. When the
/// binaries are missing the tests fail with a message that says what to install.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private string? _dir;
    private string? _bin;
    private bool _asPostgresUser;
    private int _databases;

    public int Port { get; private set; }

    /// <summary>Why the server could not start, or null when it runs.</summary>
    public string? Failure { get; private set; }

    public async Task InitializeAsync()
    {
        try
        {
            _bin = FindBinaries() ?? throw new InvalidOperationException(
                "PostgreSQL server binaries were not found (/usr/lib/postgresql/*/bin/initdb). The PostgreSQL archive tests start their own " +
                "throwaway server: install it with `apt-get install -y postgresql` (.ci/run does this when missing).");
            _asPostgresUser = Environment.UserName == "root" || geteuid() == 0;
            _dir = Path.Combine(Path.GetTempPath(), "usagesdk-pg-" + Guid.NewGuid().ToString("N")[..12]);
            Directory.CreateDirectory(_dir);
            if (_asPostgresUser)
            {
                await RunAsync("chown", ["postgres:postgres", _dir]);
            }
            var data = Path.Combine(_dir, "data");
            await RunPgAsync("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C"]);
            Port = FreePort();
            var options = $"-p {Port} -k {_dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=50";
            await RunPgAsync("pg_ctl", ["-D", data, "-o", options, "-l", Path.Combine(_dir, "server.log"), "-w", "-t", "60", "start"]);
        }
        catch (Exception e)
        {
            Failure = e.Message;
        }
    }

    /// <summary>A connection string to a new, empty database.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        if (Failure is not null)
        {
            throw new InvalidOperationException("The test PostgreSQL server did not start: " + Failure);
        }
        var name = "archive_" + Interlocked.Increment(ref _databases);
        await using (var c = new NpgsqlConnection(ConnectionString("postgres")))
        {
            await c.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE {name} TEMPLATE template0;", c);
            await cmd.ExecuteNonQueryAsync();
        }
        return ConnectionString(name);
    }

    public string ConnectionString(string database)
        => new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = "postgres", Database = database, Pooling = true, MaxPoolSize = 10 }.ConnectionString;

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_dir is null)
        {
            return;
        }
        try
        {
            if (_bin is not null && Port != 0)
            {
                await RunPgAsync("pg_ctl", ["-D", Path.Combine(_dir, "data"), "-m", "immediate", "-w", "stop"]);
            }
        }
        catch (Exception)
        {
            // best effort: the directory goes anyway
        }
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string? FindBinaries()
    {
        const string root = "/usr/lib/postgresql";
        if (!Directory.Exists(root))
        {
            return null;
        }
        return Directory.GetDirectories(root)
            .Select(d => Path.Combine(d, "bin"))
            .Where(b => File.Exists(Path.Combine(b, "initdb")) && File.Exists(Path.Combine(b, "pg_ctl")))
            .OrderByDescending(b => int.TryParse(Path.GetFileName(Path.GetDirectoryName(b)), out var v) ? v : 0)
            .FirstOrDefault();
    }

    private Task RunPgAsync(string tool, string[] args)
    {
        var exe = Path.Combine(_bin!, tool);
        return _asPostgresUser ? RunAsync("runuser", ["-u", "postgres", "--", exe, .. args]) : RunAsync(exe, args);
    }

    private static async Task RunAsync(string file, string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await p.WaitForExitAsync(timeout.Token);
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(file)} {string.Join(' ', args)} exited with {p.ExitCode}: {(await stderr).Trim()} {(await stdout).Trim()}");
        }
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    [System.Runtime.InteropServices.DllImport("libc")]
    private static extern uint geteuid();
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgres";
}
