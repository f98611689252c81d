namespace UsageSdk.Archive.Tests.Infrastructure;

/// <summary>When the PostgreSQL tests run and when they are skipped (the fixture itself, no server needed).</summary>
public sealed class PostgresServerTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task Without_binaries_or_a_connection_string_the_tests_are_skipped_with_the_reason()
    {
        var server = new PostgresServer(_dir.Path, connectionString: null);
        await server.InitializeAsync();

        Assert.Null(server.Failure);
        Assert.NotNull(server.SkipReason);
        Assert.Contains($"{_dir.Path}/*/bin/initdb", server.SkipReason, StringComparison.Ordinal);
        Assert.Contains(PostgresServer.ConnectionStringVariable, server.SkipReason, StringComparison.Ordinal);
        // Skip.If's exception: [SkippableFact] reports the test as skipped with this message.
        var skip = await Assert.ThrowsAsync<SkipException>(server.CreateDatabaseAsync);
        Assert.Equal(server.SkipReason, skip.Message);
        await server.DisposeAsync();
    }

    [Fact]
    public async Task Binaries_that_are_found_but_do_not_start_fail_the_tests_instead_of_skipping_them()
    {
        // A version folder with an initdb and pg_ctl that cannot run: found, so not a reason to skip.
        var bin = Directory.CreateDirectory(System.IO.Path.Combine(_dir.Path, "99", "bin")).FullName;
        File.WriteAllText(System.IO.Path.Combine(bin, "initdb"), "not a program");
        File.WriteAllText(System.IO.Path.Combine(bin, "pg_ctl"), "not a program");
        var server = new PostgresServer(_dir.Path, connectionString: null);
        await server.InitializeAsync();

        Assert.Null(server.SkipReason);
        Assert.NotNull(server.Failure);
        var e = await Assert.ThrowsAsync<InvalidOperationException>(server.CreateDatabaseAsync);
        Assert.StartsWith("The test PostgreSQL server did not start: ", e.Message, StringComparison.Ordinal);
        await server.DisposeAsync();
    }

    [Fact]
    public async Task A_connection_string_names_the_server_instead_of_starting_one()
    {
        var server = new PostgresServer(_dir.Path, "Host=db.invalid;Port=5433;Username=ci;Password=pw;Database=maint");
        await server.InitializeAsync();

        Assert.Null(server.SkipReason);
        Assert.Null(server.Failure);
        var b = new Npgsql.NpgsqlConnectionStringBuilder(server.ConnectionString("archive_1"));
        Assert.Equal(("db.invalid", 5433, "ci", "pw", "archive_1"), (b.Host, b.Port, b.Username, b.Password, b.Database));
        await server.DisposeAsync();
    }

    public void Dispose() => _dir.Dispose();
}
