using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace UsageSdk.Cli.Infrastructure;

/// <summary>
/// What every command shares in one run of the tool: stdout and stderr, the environment, the global options, progress
/// and the help examples. Commands get it in <c>Create(CliHost host)</c> and run their work with <see cref="RunAsync"/>.
/// </summary>
internal sealed class CliHost(TextWriter stdout, TextWriter stderr, CliEnvironment environment)
{
    private readonly Dictionary<Command, string[]> _examples = [];

    /// <summary>Stdout for text (csv, json, lines); on a terminal, control characters are written as escapes (<see cref="VisibleTextWriter"/>).</summary>
    public TextWriter Stdout { get; } = environment.StdoutIsTerminal ? new VisibleTextWriter(stdout) : stdout;

    /// <summary>Stdout as given, for Spectre consoles only: they draw colours as escape sequences and make text visible themselves (<see cref="VisibleRenderHook"/>).</summary>
    public TextWriter ConsoleStdout { get; } = stdout;

    public TextWriter Stderr { get; } = stderr;
    public CliEnvironment Environment { get; } = environment;

    /// <summary>--project, --api-key, --api-key-file, --base-url, --demo, --format, --output (recursive: valid after any command).</summary>
    public GlobalOptions Global { get; } = new();

    /// <summary>Progress on stderr, shown only when stderr is a terminal.</summary>
    public Progress Progress { get; } = new(stderr, environment.StderrIsTerminal);

    /// <summary>
    /// The action of a command: builds the per-run context (client, project, output) and runs <paramref name="work"/>.
    /// Exceptions travel up to <see cref="Cli.RunAsync(string[], TextWriter, TextWriter, CliEnvironment, CancellationToken)"/>,
    /// which prints them as one line.
    /// </summary>
    public async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken, Func<CliRun, Task<int>> work)
    {
        var run = new CliRun(this, parse, cancellationToken);
        try
        {
            return await work(run).ConfigureAwait(false);
        }
        finally
        {
            Progress.Clear();
        }
    }

    /// <summary>Adds examples shown at the end of a command's <c>--help</c>.</summary>
    public void Examples(Command command, params string[] examples) => _examples[command] = examples;

    /// <summary>The key read from --api-key-file, once it was read (a secret like the others).</summary>
    public string? KeyFromFile { get; set; }

    /// <summary>The credentials of this run (to keep them out of every message).</summary>
    public IReadOnlyList<string> Secrets(ParseResult parse)
    {
        var list = new List<string>();
        if (KeyFromFile is { Length: > 0 } f)
        {
            list.Add(f);
        }
        if (parse.GetResult(Global.ApiKey) is not null && parse.GetValue(Global.ApiKey) is { Length: > 0 } k)
        {
            list.Add(k);
        }
        if (Environment.GetVariable(GlobalOptions.ApiKeyVariable) is { Length: > 0 } e)
        {
            list.Add(e);
        }
        return list;
    }

    /// <summary>Replaces the help action so every command's help ends with its examples.</summary>
    public void InstallHelp(RootCommand root)
    {
        var help = root.Options.OfType<HelpOption>().First();
        help.Action = new ExamplesHelpAction((HelpAction)help.Action!, _examples, this);
    }

    private sealed class ExamplesHelpAction(HelpAction inner, Dictionary<Command, string[]> examples, CliHost host) : SynchronousCommandLineAction
    {
        public override bool ClearsParseErrors => true;

        public override int Invoke(ParseResult parseResult)
        {
            // Help is laid out for the same width as tables: --width, the terminal's, or 120 when redirected.
            var given = parseResult.GetResult(host.Global.Width);
            var width = given is not null && !given.Errors.Any() ? given.GetValueOrDefault<int?>() : null;
            inner.MaxWidth = Math.Clamp(width ?? host.Environment.Width, GlobalOptions.MinWidth, GlobalOptions.MaxWidth);
            var result = inner.Invoke(parseResult);
            if (examples.TryGetValue(parseResult.CommandResult.Command, out var list) && list.Length > 0)
            {
                var output = parseResult.InvocationConfiguration.Output;
                output.WriteLine("Examples:");
                foreach (var e in list)
                {
                    output.WriteLine("  " + e);
                }
                output.WriteLine();
            }
            return result;
        }
    }
}
