using System.CommandLine;
using System.CommandLine.Help;
using UsageSdk.Cli.Commands;
using UsageSdk.Cli.Infrastructure;

namespace UsageSdk.Cli;

/// <summary>The `usage` tool, runnable in-process (tests call <see cref="RunAsync(string[], TextWriter, TextWriter, CancellationToken)"/>).</summary>
public static class Cli
{
    /// <summary>Exit code of a run that failed at the API, the network or the output file.</summary>
    public const int ExitFailure = 1;

    /// <summary>Exit code of bad flags or arguments.</summary>
    public const int ExitUsage = 2;

    /// <summary>Exit code after Ctrl+C.</summary>
    public const int ExitCancelled = 130;

    /// <summary>Runs the tool with the process's environment variables, as if neither stdout nor stderr were a terminal.</summary>
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
        => RunAsync(args, stdout, stderr, CliEnvironment.Default(), cancellationToken);

    /// <summary>
    /// Runs the tool. Returns the exit code: 0 on success (then <paramref name="stderr"/> holds at most one line, the
    /// note that says why a listing or report is empty); otherwise exactly one line was written to <paramref name="stderr"/>.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CliEnvironment environment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        ArgumentNullException.ThrowIfNull(environment);
        var host = new CliHost(stdout, stderr, environment);
        var root = BuildRoot(host);
        ParseResult? parse = null;
        try
        {
            parse = root.Parse(args);
            var errors = parse.Errors.Select(e => e.Message).Concat(host.Global.Errors(parse)).ToList();
            if (errors.Count > 0 && parse.Action is not HelpAction)
            {
                var command = parse.CommandResult.Command;
                var name = command == root ? "usage" : "usage " + CommandPath(command);
                var messages = errors.Select(e => e.TrimEnd('.')).Distinct().Take(3);
                stderr.WriteLine(CliErrors.OneLine($"usage: {string.Join("; ", messages)} (see '{name} --help').", host.Secrets(parse)));
                return ExitUsage;
            }
            var config = new InvocationConfiguration
            {
                Output = stdout,
                Error = stderr,
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = environment.HandleTermination ? TimeSpan.FromSeconds(2) : null,
            };
            return await parse.InvokeAsync(config, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            var (message, code) = CliErrors.Describe(e, cancellationToken);
            host.Progress.Clear();
            stderr.WriteLine(CliErrors.OneLine(message, parse is null ? [] : host.Secrets(parse)));
            return code;
        }
        finally
        {
            await stdout.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>Builds the command tree: the global options, then every command of <see cref="CommandRegistry"/>.</summary>
    internal static RootCommand BuildRoot(CliHost host)
    {
        var root = new RootCommand("usage: request logs, usage summary, breakdown and fields of the Deepgram Usage API. Try it without a key: usage requests list --demo. Every command that writes output takes --format (its --help lists the formats it writes) and dates may count back from now: --start -7d, --since 24h.");
        host.Global.AddTo(root);
        foreach (var command in CommandRegistry.Create(host))
        {
            root.Add(command);
        }
        host.Global.AddDefaultFormats(root);
        host.Examples(root,
            "usage requests list --demo",
            "usage summary --demo --since 7d",
            "usage breakdown --demo --group-by models --format csv --output models.csv",
            "DEEPGRAM_API_KEY=... usage requests list --project <project-id> --status failed --since 24h --limit 20",
            "usage summary --project <project-id> --api-key-file ~/.config/deepgram/key --start -30d");
        host.InstallHelp(root);
        return root;
    }

    internal static string CommandPath(Command command)
    {
        var names = new List<string>();
        for (Command? c = command; c is not null and not RootCommand; c = c.Parents.OfType<Command>().FirstOrDefault())
        {
            names.Add(c.Name);
        }
        names.Reverse();
        return string.Join(' ', names);
    }
}
