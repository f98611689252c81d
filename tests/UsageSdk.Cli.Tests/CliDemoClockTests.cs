using Microsoft.Extensions.Time.Testing;
using UsageSdk.Cli.Tests.Infrastructure;

namespace UsageSdk.Cli.Tests;

/// <summary>
/// <c>USAGE_DEMO_NOW</c> pins the clock of the --demo API, so that two builds of the tool (JIT and Native AOT) or two
/// runs print the same thing; the benchmarks and the Native AOT test compare outputs with it.
/// </summary>
public sealed class CliDemoClockTests
{
    private static Task<CliResult> RunWithVariableAsync(string value, DateTimeOffset processClock, params string[] args)
        => CliRunner.RunAsync(new CliEnvironment
        {
            GetVariable = n => n == "USAGE_DEMO_NOW" ? value : null,
            DemoClock = new FakeTimeProvider(processClock),
            Width = 220,
        }, args);

    [Theory]
    [InlineData("report", "--demo")]
    [InlineData("requests", "list", "--demo", "--format", "csv", "--limit", "40")]
    [InlineData("summary", "--demo", "--format", "json")]
    public async Task The_variable_pins_the_demo_data_and_the_report_window_to_its_instant(params string[] args)
    {
        var pinned = (await CliRunner.RunAsync(args)).Ok(); // the demo clock at CliRunner.Now
        var otherDay = new DateTimeOffset(2031, 7, 1, 3, 4, 5, TimeSpan.Zero);

        var viaUtc = (await RunWithVariableAsync("2025-03-14T15:00:00Z", otherDay, args)).Ok();
        var viaOffset = (await RunWithVariableAsync("2025-03-14T16:30:00+01:30", otherDay, args)).Ok();
        var unpinned = (await RunWithVariableAsync("", otherDay, args)).Ok();

        Assert.NotEqual("", pinned.Stdout);
        Assert.Equal(pinned.Stdout, viaUtc.Stdout);
        Assert.Equal(pinned.Stdout, viaOffset.Stdout);
        Assert.NotEqual(pinned.Stdout, unpinned.Stdout); // empty: the process's demo clock, six years later
    }

    [Fact]
    public async Task A_date_time_without_an_offset_is_UTC()
    {
        var pinned = (await CliRunner.RunAsync("requests", "list", "--demo", "--format", "csv", "--limit", "5")).Ok();
        var noOffset = (await RunWithVariableAsync("2025-03-14T15:00:00", DateTimeOffset.UnixEpoch, "requests", "list", "--demo", "--format", "csv", "--limit", "5")).Ok();
        Assert.Equal(pinned.Stdout, noOffset.Stdout);
    }

    [Fact]
    public async Task A_value_that_is_not_a_date_time_is_a_usage_error_that_names_the_variable()
    {
        var result = await RunWithVariableAsync("last tuesday", CliRunner.Now, "report", "--demo");
        var message = result.Fails(Cli.ExitUsage);
        Assert.Equal("usage: USAGE_DEMO_NOW must be an ISO 8601 date-time such as 2025-03-14T15:00:00Z; it is 'last tuesday'.", message.TrimEnd('\n'));
    }
}
