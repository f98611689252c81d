using System.CommandLine;
using System.Reflection;
using Microsoft.Extensions.Time.Testing;
using UsageSdk.Archive.Tests.Infrastructure;
using UsageSdk.Cli;
using UsageSdk.Cli.Infrastructure;
using UsageSdk.Cli.Tests.Infrastructure;

namespace UsageSdk.Cli.Tests;

/// <summary>
/// Every <c>--demo</c> example of every command's <c>--help</c> runs and shows data: exit 0, nothing on stderr (an
/// empty result would say so there), and output on stdout or in the file it names. The demo's clock is today's, as a
/// new user's would be, so an example with a fixed date would find nothing.
/// </summary>
public sealed class CliHelpExamplesTests : IDisposable
{
    private static readonly DateTimeOffset Today = new(2026, 12, 2, 14, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private CliEnvironment Env => new() { GetVariable = _ => null, DemoClock = new FakeTimeProvider(Today) };

    /// <summary>The path of each command ("requests list") and the examples its help ends with.</summary>
    private async Task<List<(string Command, string Example)>> ExamplesAsync()
    {
        var root = UsageSdk.Cli.Cli.BuildRoot(new CliHost(TextWriter.Null, TextWriter.Null, Env));
        var paths = new List<string[]>();
        void Walk(Command c, string[] path)
        {
            paths.Add(path);
            foreach (var sub in c.Subcommands)
            {
                Walk(sub, [.. path, sub.Name]);
            }
        }
        Walk(root, []);
        var examples = new List<(string, string)>();
        foreach (var path in paths)
        {
            var help = (await CliRunner.RunAsync(Env, [.. path, "--help"])).Ok();
            var lines = help.StdoutLines;
            var at = Array.IndexOf(lines, "Examples:");
            Assert.True(at >= 0, $"'usage {string.Join(' ', path)} --help' has no examples");
            examples.AddRange(lines.Skip(at + 1).Select(l => (string.Join(' ', path), l.Trim())));
        }
        return examples;
    }

    [Fact]
    public async Task Every_demo_example_in_the_help_shows_data()
    {
        var db = _dir.File("usage.db");
        (await CliRunner.RunAsync(Env, "archive", "sync", "--demo", "--db", db, "--format", "json")).Ok();
        var prices = Path.Combine(RepoRoot(), "src", "UsageSdk.Cli", "Reports", "prices.example.json");

        var examples = (await ExamplesAsync()).Where(e => e.Example.Contains("--demo", StringComparison.Ordinal)).ToList();
        Assert.True(examples.Count >= 30, $"only {examples.Count} demo examples");

        var requestId = DemoRequestId();
        foreach (var (command, example) in examples)
        {
            await AssertShowsDataAsync(example, $"from 'usage {command} --help'", db, prices, requestId);
        }
    }

    /// <summary>
    /// Every <c>usage … --demo</c> line of a <c>```bash</c> block in the README, in docs/ and in the package readmes runs
    /// and shows data, like the help's examples (a line with a placeholder other than <c>&lt;request-id&gt;</c>, such as <c>&lt;project-id&gt;</c>, is not run).
    /// </summary>
    [Fact]
    public async Task Every_demo_example_in_the_readme_and_docs_shows_data()
    {
        var repo = RepoRoot();
        var files = new[] { Path.Combine(repo, "README.md") }
            .Concat(Directory.GetFiles(Path.Combine(repo, "docs"), "*.md"))
            .Concat(Directory.GetDirectories(Path.Combine(repo, "src")).Select(d => Path.Combine(d, "README.md")).Where(File.Exists));
        var examples = new List<(string File, string Example)>();
        foreach (var file in files)
        {
            foreach (System.Text.RegularExpressions.Match block in System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(file).Replace("\r\n", "\n"), "```bash\n(.*?)```", System.Text.RegularExpressions.RegexOptions.Singleline))
            {
                examples.AddRange(block.Groups[1].Value.Split('\n')
                    .Select(l => l.Split(" #")[0].Trim())
                    .Where(l => l.StartsWith("usage ", StringComparison.Ordinal) && l.Contains("--demo", StringComparison.Ordinal) && !l.Replace("<request-id>", "", StringComparison.Ordinal).Contains('<', StringComparison.Ordinal))
                    .SelectMany(l => l.Split(" && "))
                    .Select(l => (Path.GetRelativePath(repo, file), l.Trim())));
            }
        }
        Assert.Contains(examples, e => e.File == "README.md");
        Assert.True(examples.Count >= 20, $"only {examples.Count} demo examples in the docs");
        var db = _dir.File("usage.db");
        (await CliRunner.RunAsync(Env, "archive", "sync", "--demo", "--db", db, "--format", "json")).Ok();
        var prices = Path.Combine(repo, "src", "UsageSdk.Cli", "Reports", "prices.example.json");
        var requestId = DemoRequestId();
        foreach (var (file, example) in examples)
        {
            await AssertShowsDataAsync(example, $"in {file}", db, prices, requestId);
        }
    }

    /// <summary>
    /// <c>usage dashboard</c> serves until Ctrl+C: it runs on any free port (<c>--port 0</c> unless the example names
    /// one) until it prints its URL, then is stopped as Ctrl+C stops it.
    /// </summary>
    private async Task<CliResult> RunDashboardAsync(List<string> args)
    {
        if (!args.Contains("--port"))
        {
            args.AddRange(["--port", "0"]);
        }
        var stdout = new SignallingWriter();
        var stderr = new StringWriter { NewLine = "\n" };
        using var ctrlC = new CancellationTokenSource();
        var run = Task.Run(() => UsageSdk.Cli.Cli.RunAsync([.. args], stdout, stderr, Env, ctrlC.Token));
        await Task.WhenAny(stdout.Line.Task, run).WaitAsync(TimeSpan.FromMinutes(1));
        await ctrlC.CancelAsync();
        var code = await run.WaitAsync(TimeSpan.FromMinutes(1));
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>A StringWriter that completes <see cref="Line"/> once a whole line has been written.</summary>
    private sealed class SignallingWriter : StringWriter
    {
        public SignallingWriter() => NewLine = "\n";

        public TaskCompletionSource Line { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override void Write(char value)
        {
            base.Write(value);
            if (value == '\n')
            {
                Line.TrySetResult();
            }
        }

        public override void Write(string? value)
        {
            base.Write(value);
            if (value?.Contains('\n') == true)
            {
                Line.TrySetResult();
            }
        }

        public override void Write(char[] buffer, int index, int count)
        {
            base.Write(buffer, index, count);
            if (Array.IndexOf(buffer, '\n', index, count) >= 0)
            {
                Line.TrySetResult();
            }
        }
    }

    private static string RepoRoot() => typeof(CliHelpExamplesTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepoRoot").Value!;

    private static string DemoRequestId() => new UsageSdk.Testing.FakeUsageApi(new UsageSdk.Testing.FakeUsageApiOptions { Seed = UsageSdk.Testing.FakeUsageApi.DemoSeed, TimeProvider = new FakeTimeProvider(Today) })
        .GetRequests(UsageSdk.Testing.FakeUsageApi.DemoProjectId)[0].RequestId!;

    /// <summary>Runs one example line (<c>usage …</c>, a trailing <c>&gt; file</c> read as stdout): exit 0, nothing on stderr, and data.</summary>
    private async Task AssertShowsDataAsync(string example, string where, string db, string prices, string requestId)
    {
        var text = example.Split('#')[0].Trim();
        Assert.StartsWith("usage ", text);
        var redirect = text.IndexOf(" > ", StringComparison.Ordinal);
        if (redirect >= 0)
        {
            text = text[..redirect]; // the shell's redirection: the output is stdout
        }
        var args = text["usage ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        string? file = null;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "<request-id>":
                    args[i] = requestId;
                    break;
                case "--db":
                    args[++i] = db;
                    break;
                case "--prices":
                    args[++i] = prices;
                    break;
                case "--output" or "-o" or "--html":
                    file = _dir.File($"{Guid.NewGuid():N}-{Path.GetFileName(args[i + 1])}");
                    args[++i] = file;
                    break;
            }
        }

        var result = args[0] == "dashboard" ? await RunDashboardAsync(args) : await CliRunner.RunAsync(Env, [.. args]);

        Assert.True(result.ExitCode == 0 && result.Stderr.Length == 0, $"'{example}' ({where}): exit {result.ExitCode}, stderr: {result.Stderr}");
        if (file is null)
        {
            Assert.True(result.Stdout.Length > 0, $"'{example}' ({where}) wrote nothing to stdout");
        }
        else
        {
            Assert.True(File.Exists(file) && File.ReadAllLines(file).Length > 1, $"'{example}' ({where}) wrote no rows to {file}");
        }
    }
}
