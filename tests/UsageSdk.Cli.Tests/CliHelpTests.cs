using UsageSdk.Cli.Tests.Infrastructure;

namespace UsageSdk.Cli.Tests;

/// <summary>Every command's --help lists its options and ends with examples.</summary>
public sealed class CliHelpTests
{
    [Theory]
    [InlineData("usage requests list --demo")]
    [InlineData("usage requests list --demo", "requests")]
    [InlineData("usage requests list --demo --status failed", "requests", "list")]
    [InlineData("usage requests get <request-id> --demo", "requests", "get")]
    [InlineData("usage summary --demo", "summary")]
    [InlineData("usage breakdown --demo --group-by models", "breakdown")]
    [InlineData("usage fields --demo", "fields")]
    public async Task Help_has_examples(string example, params string[] command)
    {
        var result = (await CliRunner.RunAsync([.. command, "--help"])).Ok();
        Assert.Contains("Usage:", result.Stdout);
        Assert.Contains("Examples:", result.Stdout);
        Assert.Contains(example, result.Stdout);
        Assert.Contains("--demo", result.Stdout);
        // --format belongs to the commands that write output (each lists its own formats), not to "usage" or "usage requests".
        Assert.Equal(command is [] or ["requests"] ? 0 : 1, result.Stdout.Split('\n').Count(l => l.Contains("--format <", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task List_help_shows_the_filters()
    {
        var result = (await CliRunner.RunAsync("requests", "list", "--help")).Ok();
        foreach (var option in new[] { "--start", "--end", "--accessor", "--tag", "--method", "--model", "--feature", "--status", "--page-size", "--limit", "--output", "--api-key", "--base-url", "--project" })
        {
            Assert.Contains(option, result.Stdout);
        }
    }

    [Fact]
    public async Task Help_wins_over_a_parse_error()
    {
        var result = await CliRunner.RunAsync("summary", "--bogus", "--help");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Examples:", result.Stdout);
    }
}
