using System.Text;
using Microsoft.Extensions.Time.Testing;
using UsageSdk.Testing;

namespace UsageSdk.Cli.Tests.Infrastructure;

/// <summary>Runs the `usage` tool in-process with a pinned demo clock and no process environment.</summary>
internal static class CliRunner
{
    public static readonly DateTimeOffset Now = new(2025, 3, 14, 15, 0, 0, TimeSpan.Zero);

    /// <summary>The same data the CLI's --demo serves at <see cref="Now"/>.</summary>
    public static readonly FakeUsageApi Demo = new(new FakeUsageApiOptions { Seed = FakeUsageApi.DemoSeed, TimeProvider = new FakeTimeProvider(Now) });

    public static IReadOnlyList<UsageRequest> DemoRequests => Demo.GetRequests(FakeUsageApi.DemoProjectId);

    public static Task<CliResult> RunAsync(params string[] args) => RunAsync(new Dictionary<string, string?>(), args);

    public static async Task<CliResult> RunAsync(IReadOnlyDictionary<string, string?> env, params string[] args)
        => await RunAsync(new CliEnvironment { GetVariable = n => env.GetValueOrDefault(n), DemoClock = new FakeTimeProvider(Now), Width = 220 }, args);

    public static async Task<CliResult> RunAsync(CliEnvironment environment, params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var code = await UsageSdk.Cli.Cli.RunAsync(args, stdout, stderr, environment);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }
}

internal sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public string[] StdoutLines => Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();

    public string[] StderrLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The cells of table rows whose first cell starts with <paramref name="firstCellPrefix"/>.</summary>
    public List<string[]> TableRows(string firstCellPrefix = "20") => StdoutLines
        .Where(l => l.StartsWith('│'))
        .Select(l => l.Trim('│').Split('│').Select(c => c.Trim()).ToArray())
        .Where(cells => cells[0].StartsWith(firstCellPrefix, StringComparison.Ordinal))
        .ToList();

    /// <summary>Asserts success: exit 0 and nothing on stderr.</summary>
    public CliResult Ok()
    {
        Assert.True(ExitCode == 0, $"exit {ExitCode}: {Stderr}");
        Assert.Equal("", Stderr);
        return this;
    }

    /// <summary>Asserts a failure: the exit code, nothing on stdout and exactly one line on stderr.</summary>
    public string Fails(int exitCode)
    {
        Assert.Equal(exitCode, ExitCode);
        Assert.Equal("", Stdout);
        Assert.Single(StderrLines);
        Assert.EndsWith("\n", Stderr);
        Assert.StartsWith("usage: ", Stderr);
        Assert.DoesNotContain("   at ", Stderr);
        return Stderr.TrimEnd('\n');
    }
}

/// <summary>A small RFC 4180 reader for checking CSV output.</summary>
internal static class CsvReader
{
    public static List<string[]> Read(string text)
    {
        var rows = new List<string[]>();
        var row = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(c);
                }
                continue;
            }
            switch (c)
            {
                case '"':
                    quoted = true;
                    break;
                case ',':
                    row.Add(cell.ToString());
                    cell.Clear();
                    break;
                case '\r':
                    break;
                case '\n':
                    row.Add(cell.ToString());
                    cell.Clear();
                    rows.Add([.. row]);
                    row.Clear();
                    break;
                default:
                    cell.Append(c);
                    break;
            }
        }
        if (cell.Length > 0 || row.Count > 0)
        {
            row.Add(cell.ToString());
            rows.Add([.. row]);
        }
        return rows;
    }

    /// <summary>Rows as dictionaries keyed by the header.</summary>
    public static List<Dictionary<string, string>> Records(string text)
    {
        var rows = Read(text);
        var header = rows[0];
        return rows.Skip(1).Select(r =>
        {
            Assert.Equal(header.Length, r.Length);
            return header.Zip(r).ToDictionary(p => p.First, p => p.Second);
        }).ToList();
    }
}
