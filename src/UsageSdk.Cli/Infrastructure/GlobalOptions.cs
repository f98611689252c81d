using System.CommandLine;

namespace UsageSdk.Cli.Infrastructure;

/// <summary>The options every command takes (added once to the root, recursively), and the --format of each command.</summary>
internal sealed class GlobalOptions
{
    public const string ApiKeyVariable = "DEEPGRAM_API_KEY";

    public Option<string?> Project { get; } = new("--project", "-p")
    {
        Description = "The project id (a UUID). Optional with --demo.",
        HelpName = "id",
        Recursive = true,
    };

    public Option<string?> ApiKey { get; } = new("--api-key")
    {
        Description = $"A Deepgram API key. Prefer the {ApiKeyVariable} environment variable (the default) or --api-key-file: a key in the command line is visible to other users in 'ps'. Never printed.",
        HelpName = "key",
        Recursive = true,
    };

    public Option<string?> ApiKeyFile { get; } = new("--api-key-file")
    {
        Description = "Read the API key from this file, or from standard input with '-' (trailing white space and newline are ignored). Never printed.",
        HelpName = "path|-",
        Recursive = true,
    };

    public Option<string?> BaseUrl { get; } = new("--base-url")
    {
        Description = "The API address (default https://api.deepgram.com).",
        HelpName = "url",
        Recursive = true,
    };

    public Option<bool> Demo { get; } = new("--demo")
    {
        Description = "Use the built-in demo API (seeded fake data): no key, no network.",
        Recursive = true,
    };

    public Option<string?> Output { get; } = new("--output", "-o")
    {
        Description = "Write to this file instead of stdout (created or overwritten).",
        HelpName = "file",
        Recursive = true,
    };

    public Option<int?> Width { get; } = new("--width")
    {
        Description = $"The width tables and text are laid out for, {MinWidth} to {MaxWidth} columns (default: the terminal's width when stdout is a terminal, else {CliEnvironment.DefaultWidth}).",
        HelpName = "n",
        Recursive = true,
    };

    public const int MinWidth = 40;
    public const int MaxWidth = 1000;

    private readonly Dictionary<Command, FormatChoice> _formats = [];

    /// <summary>
    /// Gives <paramref name="command"/> its --format option: the formats it writes, the one it writes by default, and
    /// the message for a format it refuses. Commands that do not call it get table (default), json, csv and jsonl
    /// (<see cref="AddDefaultFormats"/>). Help shows exactly the formats the command takes and its default.
    /// </summary>
    public void Formats(Command command, OutputFormat defaultFormat, OutputFormat[] formats, Func<OutputFormat, string>? refusal = null)
    {
        var names = formats.Select(Name).ToArray();
        var listed = Or(formats.Select(f => f == defaultFormat ? Name(f) + " (the default)" : Name(f)).ToArray());
        var option = new Option<OutputFormat?>("--format", "-f")
        {
            Description = $"Output format: {listed}{(formats.Any(f => f is OutputFormat.Json or OutputFormat.Jsonl or OutputFormat.Csv) ? "; machine formats use the wire's field names (snake_case)" : "")}. [default: {Name(defaultFormat)}]",
            HelpName = string.Join('|', names),
            CustomParser = r =>
            {
                var text = r.Tokens.Count == 0 ? "" : r.Tokens[0].Value;
                if (!Enum.TryParse<OutputFormat>(text, ignoreCase: true, out var f) || !Enum.IsDefined(f) || char.IsDigit(text.FirstOrDefault()))
                {
                    r.AddError($"--format '{text}' is not a format; use {Or(names)}.");
                    return null;
                }
                if (!formats.Contains(f))
                {
                    r.AddError(refusal?.Invoke(f) ?? $"--format {Name(f)} is not one this command writes; use {Or(names)}.");
                    return null;
                }
                return f;
            },
        };
        command.Add(option);
        _formats[command] = new FormatChoice(option, defaultFormat);
    }

    /// <summary>Gives every command with an action that has no --format yet the default one: table (default), json, csv, jsonl.</summary>
    public void AddDefaultFormats(Command root)
    {
        foreach (var command in Walk(root))
        {
            if (command.Action is not null && command is not RootCommand && !_formats.ContainsKey(command))
            {
                Formats(command, OutputFormat.Table, [OutputFormat.Table, OutputFormat.Json, OutputFormat.Csv, OutputFormat.Jsonl]);
            }
        }
    }

    /// <summary>The --format of the command that runs, or its default.</summary>
    public OutputFormat GetFormat(ParseResult parse)
        => _formats.TryGetValue(parse.CommandResult.Command, out var choice) ? parse.GetValue(choice.Option) ?? choice.Default : OutputFormat.Table;

    /// <summary>The --format option of a command (null when it has none).</summary>
    public Option<OutputFormat?>? FormatOption(Command command) => _formats.TryGetValue(command, out var c) ? c.Option : null;

    /// <summary>The lower-case name of a format, as --format takes it.</summary>
    public static string Name(OutputFormat f) => f.ToString().ToLowerInvariant();

    private static string Or(string[] names) => names.Length == 1 ? names[0] : string.Join(", ", names[..^1]) + " or " + names[^1];

    private static IEnumerable<Command> Walk(Command command)
    {
        yield return command;
        foreach (var sub in command.Subcommands)
        {
            foreach (var c in Walk(sub))
            {
                yield return c;
            }
        }
    }

    private sealed record FormatChoice(Option<OutputFormat?> Option, OutputFormat Default);

    /// <summary>The mistakes of the global options that no single option can see (a recursive option's validator does not run on subcommands).</summary>
    public IEnumerable<string> Errors(ParseResult parse)
    {
        if (parse.GetResult(ApiKey) is not null && parse.GetResult(ApiKeyFile) is not null)
        {
            yield return $"--api-key and --api-key-file are both given; pass one (or neither, and set {ApiKeyVariable})";
        }
        if (parse.GetResult(Width) is not null && parse.GetValue(Width) is { } w && w is < MinWidth or > MaxWidth)
        {
            yield return $"--width {w} is out of range; use {MinWidth} to {MaxWidth} columns";
        }
    }

    public void AddTo(Command root)
    {
        root.Add(Project);
        root.Add(ApiKey);
        root.Add(ApiKeyFile);
        root.Add(BaseUrl);
        root.Add(Demo);
        root.Add(Output);
        root.Add(Width);
    }
}

/// <summary>The --format values.</summary>
public enum OutputFormat
{
    /// <summary>A table for people.</summary>
    Table,

    /// <summary>JSON in the wire's shape (snake_case).</summary>
    Json,

    /// <summary>Comma-separated values with a header row.</summary>
    Csv,

    /// <summary>One JSON object per line.</summary>
    Jsonl,
}
