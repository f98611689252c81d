using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using UsageSdk.Archive.Tests.Infrastructure;
using UsageSdk.Cli.Infrastructure;
using UsageSdk.Cli.Tests.Infrastructure;

namespace UsageSdk.Cli.Tests;

/// <summary>--format as each command takes it, --width and the 120-column default, column names, and money in any culture.</summary>
public sealed class CliFormatAndWidthTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Not a terminal, no --width: what a pipe or a file gets.</summary>
    private static Task<CliResult> RunRedirectedAsync(params string[] args)
        => CliRunner.RunAsync(new CliEnvironment { GetVariable = _ => null, DemoClock = new FakeTimeProvider(CliRunner.Now) }, args);

    // ------------------------------------------------------------------ export --format

    [Fact]
    public async Task Export_help_shows_csv_and_jsonl_with_csv_the_default()
    {
        var help = (await CliRunner.RunAsync("export", "--help")).Ok().Stdout;

        var format = Assert.Single(help.Split('\n'), l => l.Contains("--format", StringComparison.Ordinal) && l.TrimStart().StartsWith('-'));
        Assert.Contains("-f, --format <csv|jsonl>", format);
        Assert.Contains("Output format: csv (the default) or jsonl", help);
        Assert.Contains("[default: csv]", help);
        Assert.DoesNotContain("Table", help);
    }

    [Fact]
    public async Task Export_refuses_table_in_one_line_and_writes_no_file()
    {
        var file = _dir.File("out.csv");

        var line = (await CliRunner.RunAsync("export", "--demo", "--format", "table", "--output", file)).Fails(2);

        Assert.Equal("usage: export writes csv (the default) or jsonl, not a table; for a table use 'usage requests list' or 'usage report' (see 'usage export --help').", line);
        Assert.False(File.Exists(file));
    }

    [Fact]
    public async Task Export_without_format_writes_csv()
    {
        var result = (await CliRunner.RunAsync("export", "--demo", "--since", "1h")).Ok();

        var records = CsvReader.Records(result.Stdout);
        Assert.Equal(CliRunner.DemoRequests.Where(r => r.Created >= CliRunner.Now.AddHours(-1)).Select(r => r.RequestId), records.Select(r => r["request_id"]));
    }

    [Fact]
    public async Task Listing_help_still_shows_its_four_formats_with_table_the_default()
    {
        var help = (await CliRunner.RunAsync("requests", "list", "--help")).Ok().Stdout;

        Assert.Contains("-f, --format <table|json|csv|jsonl>", help);
        Assert.Contains("Output format: table (the default), json, csv or jsonl", help);
        Assert.Contains("[default: table]", help);
    }

    // ------------------------------------------------------------------ width

    [Fact]
    public async Task Redirected_tables_are_at_most_120_columns_wide()
    {
        var result = (await RunRedirectedAsync("requests", "list", "--demo", "--limit", "10")).Ok();

        Assert.Equal(CliEnvironment.DefaultWidth, 120);
        Assert.InRange(result.StdoutLines.Max(l => l.Length), 100, 120);
        Assert.DoesNotContain("Tags", result.StdoutLines[1]); // left out below 160 columns
        // Ids and times are never broken across lines.
        Assert.Equal(CliRunner.DemoRequests.Take(10).Select(r => r.RequestId), result.TableRows().Select(r => r[1]));
    }

    [Fact]
    public async Task Width_option_widens_the_table_and_brings_the_tags_back()
    {
        var result = (await RunRedirectedAsync("requests", "list", "--demo", "--limit", "10", "--width", "200")).Ok();

        Assert.InRange(result.StdoutLines.Max(l => l.Length), 121, 200);
        Assert.Contains("│ Tags", result.StdoutLines[1]);
        Assert.Contains("│ Method", result.StdoutLines[1]);
    }

    [Fact]
    public async Task Redirected_help_is_wrapped_at_120_columns()
    {
        var help = (await RunRedirectedAsync("requests", "list", "--help")).Ok();

        Assert.InRange(help.StdoutLines.Max(l => l.Length), 100, 120);
    }

    [Theory]
    [InlineData("10")]
    [InlineData("5000")]
    public async Task A_width_out_of_range_is_one_line_and_exit_2(string width)
        => Assert.Contains($"--width {width} is out of range; use 40 to 1000 columns", (await CliRunner.RunAsync("summary", "--demo", "--width", width)).Fails(2));

    // ------------------------------------------------------------------ column names

    [Fact]
    public async Task Request_list_names_the_accessor_column_after_the_field_it_shows()
    {
        var result = (await CliRunner.RunAsync("requests", "list", "--demo", "--limit", "5")).Ok();

        var header = result.StdoutLines[1].Trim('│').Split('│').Select(c => c.Trim()).ToList();
        Assert.Contains("Accessor", header);
        Assert.DoesNotContain("Key", header);
        var column = header.IndexOf("Accessor");
        Assert.Equal(CliRunner.DemoRequests.Take(5).Select(r => r.Accessor![..8]), result.TableRows().Select(r => r[column]));
        Assert.NotEqual(CliRunner.DemoRequests[0].Accessor, CliRunner.DemoRequests[0].ApiKeyId); // the two differ in the demo, so the name matters
    }

    [Fact]
    public async Task A_report_without_key_names_heads_its_key_table_api_key_id_and_says_what_it_groups_by()
    {
        var db = _dir.File("usage.db");
        var env = new CliEnvironment { GetVariable = _ => null, DemoClock = new FakeTimeProvider(CliRunner.Now), Width = 220 };
        (await CliRunner.RunAsync(env, "archive", "sync", "--demo", "--db", db, "--no-usage", "--format", "json")).Ok();

        var report = (await CliRunner.RunAsync(env, "archive", "report", "--demo", "--db", db, "--by", "key")).Ok();

        var ids = CliRunner.DemoRequests.Select(r => r.ApiKeyId!).Distinct().ToList();
        var rows = report.TableRows("");
        var header = Assert.Single(rows, r => r[0] == "API key id");
        Assert.All(ids, id => Assert.Contains(rows, r => r[0].StartsWith(id[..8], StringComparison.Ordinal)));
        Assert.Contains("Per API key groups by api_key_id (a request without one, by its accessor); 'usage requests list' shows the accessor.", report.Stdout);
    }

    // ------------------------------------------------------------------ money

    [Theory]
    [InlineData("")]
    [InlineData("de-DE")]
    [InlineData("fr-FR")]
    [InlineData("ja-JP")]
    public async Task Money_is_dollars_with_a_dot_in_every_culture(string culture)
    {
        var saved = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = culture.Length == 0 ? CultureInfo.InvariantCulture : new CultureInfo(culture);
        try
        {
            var list = (await CliRunner.RunAsync("requests", "list", "--demo", "--limit", "10")).Ok();
            var report = (await CliRunner.RunAsync("report", "--demo")).Ok();

            var costs = list.TableRows().Select(r => r[^3]).ToList();
            var expected = CliRunner.DemoRequests.Take(10).Select(r => r.Response?.Details?.Usd is { } u ? "$" + u.ToString(u < 1 ? "0.0000" : "#,0.00", CultureInfo.InvariantCulture) : "—");
            Assert.Equal(expected, costs);
            Assert.DoesNotContain("¤", list.Stdout + report.Stdout);
            Assert.DoesNotContain("€", list.Stdout + report.Stdout);
            Assert.Matches(@"Billed cost\s+\$\d{1,3}(,\d{3})*\.\d{2,}", report.Stdout);
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Theory]
    [InlineData("29.614", "$29.61", "$29.614", "$29.61", "~$29.61")]
    [InlineData("0.0083", "$0.0083", "$0.0083", "$0.0083", "~$0.01")]
    [InlineData("1234.5", "$1,234.50", "$1,234.50", "$1,234.50", "~$1,234.50")]
    [InlineData("-0.25", "-$0.2500", "-$0.25", "-$0.25", "~-$0.25")]
    [InlineData("0", "$0.0000", "$0.00", "$0.00", "~$0.00")]
    public void Money_formats_are_explicit_usd(string amount, string cost, string exact, string shortForm, string estimate)
    {
        var v = decimal.Parse(amount, CultureInfo.InvariantCulture);
        var saved = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture; // where "C" would print ¤
        try
        {
            Assert.Equal(cost, Money.Cost(v));
            Assert.Equal(exact, Money.Exact(v));
            Assert.Equal(shortForm, Money.Short(v));
            Assert.Equal(estimate, Money.Estimate(v));
            Assert.Equal("—", Money.Cost(null));
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }
}
