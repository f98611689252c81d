using System.CommandLine;

namespace UsageSdk.Cli.Infrastructure;

/// <summary>The options every command takes (added once to the root, recursively).</summary>
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

    public Option<OutputFormat> Format { get; } = new("--format", "-f")
    {
        Description = "Output format: table (for people), json, csv or jsonl (wire field names, snake_case).",
        HelpName = "table|json|csv|jsonl",
        Recursive = true,
        DefaultValueFactory = _ => OutputFormat.Table,
        CustomParser = r =>
        {
            var text = r.Tokens.Count == 0 ? "" : r.Tokens[0].Value;
            if (Enum.TryParse<OutputFormat>(text, ignoreCase: true, out var f) && Enum.IsDefined(f) && !char.IsDigit(text.FirstOrDefault()))
            {
                return f;
            }
            r.AddError($"--format '{text}' is not a format; use table, json, csv or jsonl.");
            return OutputFormat.Table;
        },
    };

    public Option<string?> Output { get; } = new("--output", "-o")
    {
        Description = "Write to this file instead of stdout (created or overwritten).",
        HelpName = "file",
        Recursive = true,
    };

    /// <summary>The mistakes of the global options that no single option can see (a recursive option's validator does not run on subcommands).</summary>
    public IEnumerable<string> Errors(ParseResult parse)
    {
        if (parse.GetResult(ApiKey) is not null && parse.GetResult(ApiKeyFile) is not null)
        {
            yield return $"--api-key and --api-key-file are both given; pass one (or neither, and set {ApiKeyVariable})";
        }
    }

    public void AddTo(Command root)
    {
        root.Add(Project);
        root.Add(ApiKey);
        root.Add(ApiKeyFile);
        root.Add(BaseUrl);
        root.Add(Demo);
        root.Add(Format);
        root.Add(Output);
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
