using System.Net;
using Microsoft.Extensions.Time.Testing;
using UsageSdk.Cli.Tests.Infrastructure;

namespace UsageSdk.Cli.Tests;

/// <summary>
/// <c>--api-key-file &lt;path|-&gt;</c> keeps the key out of argv (and so out of <c>ps</c>): the key read from a file or
/// from standard input goes on the wire, and no error ever shows it.
/// </summary>
public sealed class CliApiKeyFileTests : IDisposable
{
    private const string Key = "file-secret-key-0123456789abcdef";
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "usagesdk-keyfile-" + Guid.NewGuid().ToString("N"));

    public CliApiKeyFileTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string KeyFile(string text)
    {
        var path = Path.Combine(_dir, "key-" + Guid.NewGuid().ToString("N")[..8]);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Runs the tool against a transport that records the Authorization header and answers 401.</summary>
    private static async Task<(CliResult Result, List<string> Authorization)> RunAsync(string? stdin, IReadOnlyDictionary<string, string?>? env, params string[] args)
    {
        var handler = new RecordingHandler();
        var environment = new CliEnvironment
        {
            GetVariable = n => env?.GetValueOrDefault(n),
            DemoClock = new FakeTimeProvider(CliRunner.Now),
            OpenStandardInput = () => stdin is null ? throw new InvalidOperationException("standard input was read") : new StringReader(stdin),
            ConfigureClient = o =>
            {
                o.Transport = handler;
                o.Retry.Enabled = false;
            },
        };
        var result = await CliRunner.RunAsync(environment, args);
        return (result, handler.Authorization);
    }

    [Theory]
    [InlineData(Key + "\n")]
    [InlineData(Key)]
    [InlineData("  " + Key + " \r\n\n")]
    public async Task The_key_of_a_file_goes_on_the_wire_without_its_trailing_newline_and_is_never_printed(string content)
    {
        var (result, authorization) = await RunAsync(null, null, "fields", "--project", "p1", "--api-key-file", KeyFile(content));

        var line = result.Fails(1); // the recording transport answers 401
        Assert.Equal(["Token " + Key], authorization);
        Assert.Contains("401", line, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dash_reads_the_key_from_standard_input()
    {
        var (result, authorization) = await RunAsync(Key + "\n", null, "fields", "--project", "p1", "--api-key-file", "-");

        result.Fails(1);
        Assert.Equal(["Token " + Key], authorization);
        Assert.DoesNotContain(Key, result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_file_wins_over_the_environment_variable()
    {
        var env = new Dictionary<string, string?> { ["DEEPGRAM_API_KEY"] = "env-key-that-is-not-used" };
        var (_, authorization) = await RunAsync(null, env, "fields", "--project", "p1", "--api-key-file", KeyFile(Key));

        Assert.Equal(["Token " + Key], authorization);
    }

    [Fact]
    public async Task An_empty_file_is_a_one_line_usage_error()
    {
        var path = KeyFile(" \n\n");
        var (result, authorization) = await RunAsync(null, null, "fields", "--project", "p1", "--api-key-file", path);

        Assert.Equal($"usage: --api-key-file: '{path}' is empty; it must hold the API key.", result.Fails(2));
        Assert.Empty(authorization);
    }

    [Fact]
    public async Task Empty_standard_input_is_a_one_line_usage_error()
    {
        var (result, authorization) = await RunAsync("", null, "fields", "--project", "p1", "--api-key-file", "-");

        Assert.Equal("usage: --api-key-file: standard input is empty; it must hold the API key.", result.Fails(2));
        Assert.Empty(authorization);
    }

    [Fact]
    public async Task A_missing_file_is_a_one_line_usage_error_that_names_it()
    {
        var path = Path.Combine(_dir, "no-such-key");
        var (result, authorization) = await RunAsync(null, null, "fields", "--project", "p1", "--api-key-file", path);

        var line = result.Fails(2);
        Assert.StartsWith($"usage: --api-key-file: cannot read '{path}': ", line, StringComparison.Ordinal);
        Assert.Empty(authorization);
    }

    [Fact]
    public async Task A_folder_is_a_one_line_usage_error()
    {
        var (result, _) = await RunAsync(null, null, "fields", "--project", "p1", "--api-key-file", _dir);

        Assert.StartsWith($"usage: --api-key-file: cannot read '{_dir}': ", result.Fails(2), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_of_more_than_the_key_is_refused_without_showing_its_text()
    {
        var path = KeyFile(Key + "\nsecond-line-secret\n");
        var (result, authorization) = await RunAsync(null, null, "fields", "--project", "p1", "--api-key-file", path);

        Assert.Equal($"usage: --api-key-file: '{path}' holds more than one word or line; it must hold only the API key.", result.Fails(2));
        Assert.DoesNotContain("secret", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(authorization);
    }

    [Fact]
    public async Task A_huge_file_is_refused_after_reading_4096_characters()
    {
        var path = KeyFile(new string('k', 10_000));
        var (result, authorization) = await RunAsync(null, null, "fields", "--project", "p1", "--api-key-file", path);

        Assert.Equal($"usage: --api-key-file: '{path}' is longer than 4096 characters; it must hold only the API key.", result.Fails(2));
        Assert.Empty(authorization);
    }

    [Fact]
    public async Task Api_key_and_api_key_file_together_are_a_usage_error_that_shows_neither()
    {
        var (result, authorization) = await RunAsync(null, null, "fields", "--project", "p1", "--api-key", "argv-secret-key", "--api-key-file", KeyFile(Key));

        var line = result.Fails(2);
        Assert.Contains("--api-key and --api-key-file are both given; pass one", line, StringComparison.Ordinal);
        Assert.DoesNotContain("argv-secret-key", line, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, line, StringComparison.Ordinal);
        Assert.Empty(authorization);
    }

    [Fact]
    public async Task Help_prefers_the_environment_variable_and_warns_that_argv_shows_in_ps()
    {
        var result = (await CliRunner.RunAsync("fields", "--help")).Ok();
        var help = string.Join(' ', result.StdoutLines.Select(l => l.Trim())); // descriptions wrap

        Assert.Contains("--api-key-file <path|->", help, StringComparison.Ordinal);
        Assert.Contains("Prefer the DEEPGRAM_API_KEY environment variable (the default) or --api-key-file: a key in the command line is visible to other users in 'ps'.", help, StringComparison.Ordinal);
        Assert.Contains("standard input with '-'", help, StringComparison.Ordinal);
    }

    private sealed class RecordingHandler : HttpMessageHandler
    {
        public List<string> Authorization { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Assert.Equal("api.deepgram.com", request.RequestUri!.Host); // the key goes to the API's host only
            Authorization.Add(request.Headers.Authorization?.ToString() ?? "");
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.Unauthorized)
            {
                Content = new StringContent("""{"err_code":"INVALID_AUTH","err_msg":"Invalid credentials."}""", System.Text.Encoding.UTF8, "application/json"),
            });
        }
    }
}
