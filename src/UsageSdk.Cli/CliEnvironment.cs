using System.Text;

namespace UsageSdk.Cli;

/// <summary>What the tool reads from its surroundings: environment variables and whether stdout/stderr are terminals.</summary>
public sealed class CliEnvironment
{
    /// <summary>Reads an environment variable (default: the process's).</summary>
    public Func<string, string?> GetVariable { get; init; } = Environment.GetEnvironmentVariable;

    /// <summary>Opens standard input, which <c>--api-key-file -</c> reads the key from (default: the process's).</summary>
    public Func<TextReader> OpenStandardInput { get; init; } = () => Console.In;

    /// <summary>True when stdout is an interactive terminal (colours, terminal width, footers).</summary>
    public bool StdoutIsTerminal { get; init; }

    /// <summary>True when stderr is an interactive terminal (progress is shown only then).</summary>
    public bool StderrIsTerminal { get; init; }

    /// <summary>The width of redirected output (a pipe or a file) when --width is not given.</summary>
    public const int DefaultWidth = 120;

    /// <summary>
    /// The width tables and text are laid out for when --width is not given: the terminal's width when stdout is a
    /// terminal (<see cref="FromProcess"/>), else <see cref="DefaultWidth"/>.
    /// </summary>
    public int Width { get; init; } = DefaultWidth;

    /// <summary>Whether Ctrl+C / SIGTERM cancel the run (only for the real process).</summary>
    public bool HandleTermination { get; init; }

    /// <summary>The clock of the --demo API (its data ends now), and "now" of relative dates with --demo; tests pin it for reproducible output.</summary>
    public TimeProvider DemoClock { get; init; } = TimeProvider.System;

    /// <summary>"Now" of relative dates (<c>--start -7d</c>, <c>--since 7d</c>) and of default windows against a real API.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Adjusts the options of the client built for a real API (not --demo), for example to turn retries off in tests.</summary>
    public Action<UsageClientOptions>? ConfigureClient { get; init; }

    /// <summary>The process's environment, but not a terminal (for in-process runs).</summary>
    public static CliEnvironment Default() => new();

    /// <summary>The real process: environment variables, terminal detection, Ctrl+C.</summary>
    public static CliEnvironment FromProcess()
    {
        var stdoutTerminal = !Console.IsOutputRedirected;
        if (stdoutTerminal)
        {
            Console.OutputEncoding = Encoding.UTF8;
        }
        int width;
        try
        {
            width = stdoutTerminal && Console.WindowWidth > 0 ? Console.WindowWidth : DefaultWidth;
        }
        catch (IOException)
        {
            width = DefaultWidth;
        }
        return new CliEnvironment
        {
            StdoutIsTerminal = stdoutTerminal,
            StderrIsTerminal = !Console.IsErrorRedirected,
            Width = width,
            HandleTermination = true,
        };
    }
}
