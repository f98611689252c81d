using System.CommandLine;
using System.Reflection;
using Microsoft.Extensions.Time.Testing;
using UsageSdk.Archive.Tests.Infrastructure;
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

    private static string RepoRoot() => typeof(CliHelpExamplesTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepoRoot").Value!;

    private static string DemoRequestId() => new UsageSdk.Testing.FakeUsageApi(new UsageSdk.Testing.FakeUsageApiOptions { Seed = UsageSdk.Testing.FakeUsageApi.DemoSeed, TimeProvider = new FakeTimeProvider(Today) })
        .GetRequests(UsageSdk.Testing.FakeUsageApi.DemoProjectId)[0].RequestId!;

    /// <summary>
    /// A dashboard example serves until Ctrl+C. It runs on a free port (<c>--port 0</c> in place of the example's port or
    /// the default 5177, so that no run collides with another on the same machine), must print its URL on loopback and
    /// serve a page with the demo's requests, then stops on the test's Ctrl+C with exit 0 and nothing on stderr.
    /// </summary>
    private async Task AssertDashboardShowsDataAsync(string example, string where, List<string> args)
    {
        var port = args.IndexOf("--port");
        if (port >= 0)
        {
            args[port + 1] = "0";
        }
        else
        {
            args.AddRange(["--port", "0"]);
        }
        using var ctrlC = new CancellationTokenSource();
        var stdout = new FirstLineWriter();
        var stderr = new StringWriter();
        var run = Task.Run(() => UsageSdk.Cli.Cli.RunAsync([.. args], stdout, stderr, Env, ctrlC.Token));
        try
        {
            var first = await Task.WhenAny(stdout.FirstLine, run).WaitAsync(TimeSpan.FromSeconds(60));
            Assert.True(first == stdout.FirstLine, $"'{example}' ({where}) ended before it served: exit {(run.IsCompleted ? run.Result : -1)}, stderr: {stderr}");
            var url = await stdout.FirstLine;
            Assert.Matches(@"^http://127\.0\.0\.1:\d+/usage$", url);
            Assert.DoesNotContain($":{UsageSdk.Cli.Commands.DashboardCommand.DefaultPort}/", url, StringComparison.Ordinal);

            using var http = new HttpClient();
            var html = await http.GetStringAsync(url);
            var requests = System.Text.RegularExpressions.Regex.Match(html, "data-kpi=\"requests\".*?data-value=\"([0-9]+)\"", System.Text.RegularExpressions.RegexOptions.Singleline);
            Assert.True(requests.Success && long.Parse(requests.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) > 0, $"'{example}' ({where}) served a page without requests");
        }
        finally
        {
            await ctrlC.CancelAsync();
        }
        var exit = await run.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(exit == 0 && stderr.ToString().Length == 0, $"'{example}' ({where}): exit {exit} after Ctrl+C, stderr: {stderr}");
    }

    /// <summary>Stdout of a command that keeps running: completes <see cref="FirstLine"/> once a whole line is written.</summary>
    private sealed class FirstLineWriter : TextWriter
    {
        private readonly System.Text.StringBuilder _text = new();
        private readonly TaskCompletionSource<string> _firstLine = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

        public Task<string> FirstLine => _firstLine.Task;

        public override void Write(char value)
        {
            lock (_text)
            {
                if (value == '\n')
                {
                    _firstLine.TrySetResult(_text.ToString().TrimEnd('\r'));
                }
                _text.Append(value);
            }
        }
    }

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

        if (args[0] == "dashboard")
        {
            await AssertDashboardShowsDataAsync(example, where, args);
            return;
        }

        var result = await CliRunner.RunAsync(Env, [.. args]);

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
