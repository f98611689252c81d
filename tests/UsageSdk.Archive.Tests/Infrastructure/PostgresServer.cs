using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace UsageSdk.Archive.Tests.Infrastructure;

/// <summary>
/// The PostgreSQL server of the tests. By default a throwaway one: Debian's binaries (/usr/lib/postgresql/*/bin), a
/// cluster in a temp directory, listening on 127.0.0.1 at a free port with its socket in that directory, trust
/// authentication. It runs as the postgres user when the tests run as root (PostgreSQL refuses root). Stopped and
/// deleted on dispose. With <see cref="ConnectionStringVariable"/> set, the tests use that server instead (a user that
/// may create databases) and drop the databases they made. With neither, the tests are skipped with
/// <see cref="SkipReason"/>; a server that is found but does not start fails them.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    /// <summary>An Npgsql connection string to an existing server, used instead of starting one.</summary>
    public const string ConnectionStringVariable = "USAGESDK_TEST_POSTGRES";

    private readonly string _binariesRoot;
    private readonly string? _connectionString;
    private readonly string _prefix = "archive_" + Guid.NewGuid().ToString("N")[..8] + "_";
    private readonly List<string> _created = [];
    private NpgsqlConnectionStringBuilder? _external;
    private string? _dir;
    private string? _bin;
    private bool _asPostgresUser;
    private int _databases;

    /// <summary>The fixture of the PostgreSQL tests: Debian's binaries, or <see cref="ConnectionStringVariable"/>.</summary>
    public PostgresServer()
        : this("/usr/lib/postgresql", Environment.GetEnvironmentVariable(ConnectionStringVariable))
    {
    }

    internal PostgresServer(string binariesRoot, string? connectionString)
    {
        _binariesRoot = binariesRoot;
        _connectionString = connectionString;
    }

    public int Port { get; private set; }

    /// <summary>Why the PostgreSQL tests are skipped (no server binaries and no connection string), or null when they run.</summary>
    public string? SkipReason { get; private set; }

    /// <summary>Why the server could not start, or null when it runs.</summary>
    public string? Failure { get; private set; }

    public async Task InitializeAsync()
    {
        if (_connectionString is { Length: > 0 })
        {
            _external = new NpgsqlConnectionStringBuilder(_connectionString);
            return;
        }
        _bin = FindBinaries(_binariesRoot);
        if (_bin is null)
        {
            SkipReason = $"PostgreSQL server binaries were not found ({_binariesRoot}/*/bin/initdb) and " +
                $"{ConnectionStringVariable} is not set. Install them (`apt-get install -y postgresql`; .ci/run does) " +
                $"or set {ConnectionStringVariable} to an Npgsql connection string.";
            return;
        }
        try
        {
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
    /// <exception cref="SkipException">There is no server to test against (<see cref="SkipReason"/>).</exception>
    public async Task<string> CreateDatabaseAsync()
    {
        Skip.If(SkipReason is not null, SkipReason);
        if (Failure is not null)
        {
            throw new InvalidOperationException("The test PostgreSQL server did not start: " + Failure);
        }
        var name = _prefix + Interlocked.Increment(ref _databases);
        await ExecuteAsync($"CREATE DATABASE {name} TEMPLATE template0;");
        lock (_created)
        {
            _created.Add(name);
        }
        return ConnectionString(name);
    }

    public string ConnectionString(string database) => _external is null
        ? new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = "postgres", Database = database, Pooling = true, MaxPoolSize = 10 }.ConnectionString
        : new NpgsqlConnectionStringBuilder(_external.ConnectionString) { Database = database }.ConnectionString;

    /// <summary>Runs one statement in the server's maintenance database (the connection string's own, or <c>postgres</c>).</summary>
    private async Task ExecuteAsync(string sql)
    {
        await using var c = new NpgsqlConnection(ConnectionString(_external?.Database is { Length: > 0 } db ? db : "postgres"));
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, c);
        await cmd.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_external is not null)
        {
            // Someone else's server: drop what the tests made, keep the rest.
            foreach (var name in _created)
            {
                await ExecuteAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE);");
            }
            NpgsqlConnection.ClearAllPools();
            return;
        }
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

    private static string? FindBinaries(string root)
    {
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
