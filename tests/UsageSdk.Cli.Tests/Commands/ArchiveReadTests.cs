using Microsoft.Extensions.Time.Testing;
using UsageSdk.Archive.Tests.Infrastructure;
using UsageSdk.Cli.Tests.Infrastructure;
using UsageSdk.Testing;

namespace UsageSdk.Cli.Tests.Commands;

/// <summary>The archive commands that only read: they never create a database, and they find the project themselves when the archive holds one.</summary>
public sealed class ArchiveReadTests : IDisposable
{
    private const string ContractProject = "2b7e151a-628a-4ed2-a6ab-f7158809cf4f";
    private readonly TempDirectory _dir = new();
    private readonly CliEnvironment _env = new() { GetVariable = _ => null, DemoClock = new FakeTimeProvider(CliRunner.Now) };

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("query")]
    [InlineData("report")]
    [InlineData("status")]
    public async Task A_read_on_a_missing_file_fails_in_one_line_and_creates_nothing(string command)
    {
        var db = _dir.File("missing.db");

        var line = (await CliRunner.RunAsync(_env, "archive", command, "--demo", "--db", db)).Fails(2);

        Assert.Equal($"usage: --db '{db}': no archive there (the file does not exist); create it with 'usage archive sync --db {db}' (with --demo to try it on the demo API).", line);
        Assert.False(File.Exists(db));
        Assert.Empty(Directory.GetFiles(_dir.Path)); // no -wal, -shm or lock file either
    }

    [Fact]
    public async Task Status_without_project_uses_the_only_project_of_the_archive()
    {
        var db = _dir.File("usage.db");
        (await CliRunner.RunAsync(_env, "archive", "sync", "--demo", "--db", db, "--no-usage", "--format", "json")).Ok();

        var status = (await CliRunner.RunAsync(_env, "archive", "status", "--db", db)).Ok();
        var query = (await CliRunner.RunAsync(_env, "archive", "query", "--db", db, "--limit", "3", "--format", "jsonl")).Ok();

        Assert.Contains($"│ Project         │ {FakeUsageApi.DemoProjectId}", status.Stdout);
        Assert.Contains($"│ Request logs    │ {CliRunner.DemoRequests.Count.ToString("#,0", System.Globalization.CultureInfo.InvariantCulture)} from ", status.Stdout);
        Assert.Equal(CliRunner.DemoRequests.Take(3).Select(r => r.RequestId), query.StdoutLines.Select(l => UsageJson.DeserializeRequest(l).RequestId));
    }

    [Fact]
    public async Task Status_without_project_lists_the_projects_of_an_archive_that_holds_several()
    {
        var db = _dir.File("usage.db");
        (await CliRunner.RunAsync(_env, "archive", "sync", "--demo", "--db", db, "--no-usage", "--format", "json")).Ok();
        (await CliRunner.RunAsync(_env, "archive", "sync", "--demo", "--project", ContractProject, "--db", db, "--no-usage", "--format", "json")).Ok();

        var result = await CliRunner.RunAsync(_env, "archive", "status", "--db", db);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(new[] { ContractProject, FakeUsageApi.DemoProjectId }, result.StdoutLines);
        Assert.Equal($"usage: SQLite {db} holds 2 projects (listed on stdout); pass --project <project-id> to pick one.\n", result.Stderr);
    }

    [Fact]
    public async Task Status_of_an_archive_without_projects_says_to_sync_first()
    {
        var db = _dir.File("empty.db");
        await new UsageSdk.Archive.SqliteArchiveStore(db).InitializeAsync();

        var line = (await CliRunner.RunAsync(_env, "archive", "status", "--db", db)).Fails(2);

        Assert.Equal($"usage: No project: SQLite {db} holds none yet; run 'usage archive sync --project <project-id> --db …' first.", line);
    }
}
