using UsageSdk.Cli.Tests.Infrastructure;

namespace UsageSdk.Cli.Tests;

/// <summary>Bad flags and arguments: a clear one-line message on stderr, nothing on stdout, exit code 2.</summary>
public sealed class CliErrorTests
{
    [Theory]
    [InlineData("--bogus", "requests", "list", "--demo", "--bogus")]
    [InlineData("lst", "requests", "lst", "--demo")]
    [InlineData("2025-02-30", "requests", "list", "--demo", "--start", "2025-02-30")]
    [InlineData("--end", "requests", "list", "--demo", "--end", "next tuesday")]
    [InlineData("YYYY-MM-DD", "summary", "--demo", "--start", "2025-01-01T00:00:00Z")]
    [InlineData("before --start", "summary", "--demo", "--start", "2025-03-10", "--end", "2025-03-01")]
    [InlineData("--limit -1", "requests", "list", "--demo", "--limit", "-1")]
    [InlineData("--limit", "requests", "list", "--demo", "--limit", "ten")]
    [InlineData("xml", "requests", "list", "--demo", "--format", "xml")]
    [InlineData("--page-size 5000", "requests", "list", "--demo", "--page-size", "5000")]
    [InlineData("--group-by 'colour'", "breakdown", "--demo", "--group-by", "colour")]
    [InlineData("--feature 'diarize=maybe'", "summary", "--demo", "--feature", "diarize=maybe")]
    [InlineData("--feature 'Diarize!'", "summary", "--demo", "--feature", "Diarize!")]
    [InlineData("--status 'ok'", "requests", "list", "--demo", "--status", "ok")]
    [InlineData("--method 'batch'", "summary", "--demo", "--method", "batch")]
    [InlineData("Required command", "requests")]
    [InlineData("Required command")]
    [InlineData("Required argument missing", "requests", "get", "--demo")]
    [InlineData("No API key", "requests", "list", "--project", "p1")]
    [InlineData("No project", "summary", "--api-key", "k")]
    [InlineData("--base-url 'ftp://x'", "fields", "--api-key", "k", "--project", "p1", "--base-url", "ftp://x")]
    [InlineData("has a character that is not allowed", "requests", "get", "a/b", "--demo")]
    public async Task Bad_input_gives_one_clear_line_and_exit_2(string expected, params string[] args)
    {
        var result = await CliRunner.RunAsync(args);
        var line = result.Fails(2);
        Assert.Contains(expected, line);
    }

    [Fact]
    public async Task Unknown_request_is_an_api_error_with_exit_1()
    {
        var line = (await CliRunner.RunAsync("requests", "get", "00000000-0000-4000-8000-000000000000", "--demo")).Fails(1);
        Assert.Contains("404", line);
        Assert.Contains("Check the request id", line);
    }

    [Fact]
    public async Task Key_from_the_environment_is_used_and_never_printed()
    {
        var env = new Dictionary<string, string?> { ["DEEPGRAM_API_KEY"] = "env-secret-key-123456" };
        // Plain http to a host that is not loopback is refused by the client; the message must not echo the key.
        var line = (await CliRunner.RunAsync(env, "fields", "--project", "p1", "--base-url", "http://example.invalid")).Fails(2);
        Assert.DoesNotContain("env-secret-key-123456", line);
        Assert.Contains("clear text", line);
    }
}
