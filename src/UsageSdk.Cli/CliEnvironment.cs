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

    /// <summary>The width tables are laid out for when stdout is not a terminal (default 200).</summary>
    public int Width { get; init; } = 200;

    /// <summary>Whether Ctrl+C / SIGTERM cancel the run (only for the real process).</summary>
    public bool HandleTermination { get; init; }

    /// <summary>The clock of the --demo API (its data ends now); tests pin it for reproducible output.</summary>
    public TimeProvider DemoClock { get; init; } = TimeProvider.System;

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
            width = stdoutTerminal && Console.WindowWidth > 0 ? Console.WindowWidth : 200;
        }
        catch (IOException)
        {
            width = 200;
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
