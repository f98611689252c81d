using System.CommandLine;
using UsageSdk.Testing;

namespace UsageSdk.Cli.Infrastructure;

/// <summary>
/// One invocation of a command: the parsed options, the client (built on first use from --demo / --api-key /
/// --api-key-file / --base-url), the project id, the output (stdout or --output) and the cancellation token.
/// </summary>
internal sealed class CliRun(CliHost host, ParseResult parse, CancellationToken cancellationToken)
{
    /// <summary>The most an --api-key-file is read of (a key is about 40 characters).</summary>
    private const int MaxKeyFileChars = 4096;

    private UsageClient? _client;
    private string? _projectId;
    private DateTimeOffset? _now;

    public CliHost Host { get; } = host;
    public ParseResult Parse { get; } = parse;
    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>True with --demo: the built-in FakeUsageApi, no key, no network.</summary>
    public bool IsDemo => Parse.GetValue(Host.Global.Demo);

    /// <summary>The --format value, or the command's default (table for most, csv for export).</summary>
    public OutputFormat Format => Host.Global.GetFormat(Parse);

    /// <summary>The width tables are laid out for: --width, else the environment's (the terminal's, or 120).</summary>
    public int Width => Parse.GetValue(Host.Global.Width) ?? Host.Environment.Width;

    /// <summary>The clock of this run: the demo's with --demo (its data ends then), the environment's otherwise.</summary>
    public TimeProvider Clock => IsDemo ? Host.Environment.DemoClock : Host.Environment.Clock;

    /// <summary>Now, by <see cref="Clock"/>: what relative dates (<c>-7d</c>, <c>--since 7d</c>) count back from.</summary>
    public DateTimeOffset Now => _now ??= Clock.GetUtcNow();

    /// <summary>The demo API of a --demo run, once the client was built (null otherwise).</summary>
    public FakeUsageApi? DemoApi { get; private set; }

    /// <summary>
    /// Writes one line to stderr that explains a result (why a listing is empty), after clearing the progress line.
    /// The exit code stays 0 and stdout is untouched.
    /// </summary>
    public void Note(string message)
    {
        Host.Progress.Clear();
        Host.Stderr.WriteLine(CliErrors.OneLine("usage: " + message, Host.Secrets(Parse)));
    }

    /// <summary>The client, built on first use.</summary>
    public UsageClient Client => _client ??= CreateClient(out _projectId);

    /// <summary>The project id (--project; the demo project with --demo). Asked for only by commands that read one project, so `usage projects` and --all-projects need no --project.</summary>
    public string ProjectId
    {
        get
        {
            _client ??= CreateClient(out _projectId);
            return string.IsNullOrWhiteSpace(_projectId)
                ? throw new CliUsageException("No project: pass --project <project-id> (list them with 'usage projects', or try the built-in demo with --demo).")
                : _projectId;
        }
    }

    /// <summary>Opens the output: the --output file (created or overwritten) or stdout. Dispose it to flush and close.</summary>
    public OutputTarget OpenOutput() => OutputTarget.Open(this);

    /// <summary>The value of an option or argument of the command.</summary>
    public T? Get<T>(Option<T> option) => Parse.GetValue(option);

    /// <inheritdoc cref="Get{T}(Option{T})"/>
    public T? Get<T>(Argument<T> argument) => Parse.GetValue(argument);

    private UsageClient CreateClient(out string? projectId)
    {
        var g = Host.Global;
        var project = Parse.GetValue(g.Project);
        const string userAgent = "usage-cli/0.1";
        if (IsDemo)
        {
            var api = new FakeUsageApi(new FakeUsageApiOptions { Seed = FakeUsageApi.DemoSeed, TimeProvider = Host.Environment.DemoClock });
            projectId = string.IsNullOrWhiteSpace(project) ? FakeUsageApi.DemoProjectId : project;
            DemoApi = api;
            return api.CreateClient(o => o.UserAgent = userAgent);
        }
        var key = Parse.GetResult(g.ApiKeyFile) is not null ? ReadKeyFile(Parse.GetValue(g.ApiKeyFile)) : Parse.GetValue(g.ApiKey);
        if (string.IsNullOrWhiteSpace(key))
        {
            key = Host.Environment.GetVariable(GlobalOptions.ApiKeyVariable);
        }
        if (string.IsNullOrWhiteSpace(key))
        {
            throw new CliUsageException($"No API key: set {GlobalOptions.ApiKeyVariable} or pass --api-key-file <path|-> (or try the built-in demo with --demo).");
        }
        // One "now" for the run: relative dates, the end the client pins when paging, and the log states all read the same clock.
        var options = new UsageClientOptions { ApiKey = key.Trim(), UserAgent = userAgent, TimeProvider = Host.Environment.Clock };
        if (Parse.GetValue(g.BaseUrl) is { Length: > 0 } baseUrl)
        {
            if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                throw new CliUsageException($"--base-url '{baseUrl}' is not an absolute http(s) address, for example https://api.deepgram.com.");
            }
            options.BaseAddress = uri;
        }
        projectId = project?.Trim() ?? "";
        Host.Environment.ConfigureClient?.Invoke(options);
        return new UsageClient(options);
    }

    /// <summary>
    /// The key of --api-key-file: the file's text, or standard input's with '-', without surrounding white space (the
    /// newline an editor or <c>echo</c> leaves). An empty or unreadable file is a usage error that never shows the text.
    /// </summary>
    private string ReadKeyFile(string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new CliUsageException("--api-key-file is empty: pass a file that holds the key, or '-' to read it from standard input.");
        }
        var stdin = path.Trim() == "-";
        var source = stdin ? "standard input" : $"'{path}'";
        var buffer = new char[MaxKeyFileChars + 1];
        int read;
        try
        {
            if (stdin)
            {
                read = Host.Environment.OpenStandardInput().ReadBlock(buffer); // standard input stays open
            }
            else
            {
                using var file = new StreamReader(path);
                read = file.ReadBlock(buffer);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new CliUsageException($"--api-key-file: cannot read {source}: {e.Message}");
        }
        var key = new string(buffer, 0, read).Trim();
        Host.KeyFromFile = key;
        if (read > MaxKeyFileChars)
        {
            throw new CliUsageException($"--api-key-file: {source} is longer than {MaxKeyFileChars} characters; it must hold only the API key.");
        }
        if (key.Length == 0)
        {
            throw new CliUsageException($"--api-key-file: {source} is empty; it must hold the API key.");
        }
        if (key.Any(char.IsWhiteSpace))
        {
            throw new CliUsageException($"--api-key-file: {source} holds more than one word or line; it must hold only the API key.");
        }
        return key;
    }
}
