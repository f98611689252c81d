using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Spectre.Console;

namespace UsageSdk.Cli.Infrastructure;

/// <summary>
/// Where a command writes its result: the --output file or stdout. Gives a <see cref="TextWriter"/> (on a terminal, one
/// that shows control characters as escapes), a JSON writer in the wire's style and a Spectre console for tables
/// (colours only on a terminal; text made visible by <see cref="VisibleRenderHook"/>).
/// </summary>
internal sealed class OutputTarget : IAsyncDisposable
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);
    private readonly FileStream? _file;
    private readonly TextWriter _consoleWriter;

    private OutputTarget(CliRun run, TextWriter writer, TextWriter consoleWriter, FileStream? file, bool isTerminal)
    {
        Run = run;
        Writer = writer;
        _consoleWriter = consoleWriter;
        _file = file;
        IsTerminal = isTerminal;
    }

    public CliRun Run { get; }

    /// <summary>The text output.</summary>
    public TextWriter Writer { get; }

    /// <summary>True when writing to an interactive terminal (not a file, not a pipe).</summary>
    public bool IsTerminal { get; }

    /// <summary>The chosen --format.</summary>
    public OutputFormat Format => Run.Format;

    public static OutputTarget Open(CliRun run)
    {
        var path = run.Parse.GetValue(run.Host.Global.Output);
        if (string.IsNullOrWhiteSpace(path))
        {
            return new OutputTarget(run, run.Host.Stdout, run.Host.ConsoleStdout, null, run.Host.Environment.StdoutIsTerminal);
        }
        FileStream file;
        try
        {
            var full = Path.GetFullPath(path);
            if (Path.GetDirectoryName(full) is { } dir && !Directory.Exists(dir))
            {
                throw new CliUsageException($"--output '{path}': the folder '{dir}' does not exist.");
            }
            file = new FileStream(full, FileMode.Create, FileAccess.Write, FileShare.Read, 64 * 1024, useAsync: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new CliUsageException($"--output '{path}' cannot be written: {e.Message}");
        }
        var writer = new StreamWriter(file, Utf8NoBom, 64 * 1024) { NewLine = "\n" };
        return new OutputTarget(run, writer, writer, file, false);
    }

    /// <summary>A JSON writer over the output (relaxed escaping, so <c>+</c> and non-ASCII text stay readable). Flush it before writing text again.</summary>
    public Utf8JsonWriter CreateJsonWriter(Stream stream, bool indented)
        => new(stream, new JsonWriterOptions { Indented = indented, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    /// <summary>Writes one JSON value made by <paramref name="write"/> (indented for --format json), then a newline.</summary>
    public async Task WriteJsonAsync(Action<Utf8JsonWriter> write, bool indented)
    {
        using var buffer = new MemoryStream();
        using (var w = CreateJsonWriter(buffer, indented))
        {
            write(w);
        }
        await Writer.WriteAsync(Utf8NoBom.GetString(buffer.GetBuffer(), 0, (int)buffer.Length).AsMemory(), Run.CancellationToken).ConfigureAwait(false);
        await Writer.WriteLineAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// A Spectre console over the output, for tables: colours and the real width on a terminal, plain text otherwise.
    /// Every segment it draws passes <see cref="VisibleRenderHook"/>, so no API text reaches the output with control
    /// characters in it, whatever a command writes.
    /// </summary>
    public IAnsiConsole CreateConsole()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = IsTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = IsTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(_consoleWriter),
        });
        console.Pipeline.Attach(new VisibleRenderHook());
        console.Profile.Width = Math.Max(GlobalOptions.MinWidth, Run.Width);
        console.Profile.Capabilities.Unicode = true;
        return console;
    }

    public async ValueTask DisposeAsync()
    {
        await Writer.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        if (_file is not null)
        {
            await Writer.DisposeAsync().ConfigureAwait(false);
            await _file.DisposeAsync().ConfigureAwait(false);
        }
    }
}
