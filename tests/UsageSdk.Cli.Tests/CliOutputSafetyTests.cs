using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using Spectre.Console;
using UsageSdk.Cli.Infrastructure;
using UsageSdk.Cli.Tests.Infrastructure;
using UsageSdk.Testing;
using F = UsageSdk.UsageModelFactory;

namespace UsageSdk.Cli.Tests;

/// <summary>
/// Text from whoever holds a project key (tags, key ids, model ids and names, messages, languages, features, the
/// summary's units) printed by every command: tables and text show control characters as escapes; CSV cells that a
/// spreadsheet would run as formulas get a leading <c>'</c>.
/// </summary>
public sealed class CliOutputSafetyTests
{
    internal static readonly DateTimeOffset Now = new(2025, 3, 14, 15, 0, 0, TimeSpan.Zero);
    internal const string P = "0b1c2d3e-4f50-4617-8a9b-0c1d2e3f4a5b";

    private const string Osc0 = "\u001b]0;pwned\u0007";
    private const string Clear = "\u001b[2J";
    private const string Osc52 = "\u001b]52;c;cHduZWQ=\u0007";
    private const string C1Csi = "\u009b31m";
    private const string Del = "x\u007fy";
    private const string Bidi = "abc\u202edef";
    private const string Plain = "ünï-🎉";

    /// <summary>Each hostile value and how it must read on the terminal.</summary>
    private static readonly (string Raw, string Visible)[] Hostile =
    [
        (Osc0, @"\x1b]0;pwned\x07"),
        (Clear, @"\x1b[2J"),
        (Osc52, @"\x1b]52;c;cHduZWQ=\x07"),
        (C1Csi, @"\x9b31m"),
        (Del, @"x\x7fy"),
        (Bidi, @"abc\u202edef"),
    ];

    /// <summary>One request per hostile value, as a tag, a model id (the fake names unknown models by their id), a language, a feature, a key id and a message.</summary>
    private static FakeUsageApi HostileApi()
    {
        var api = new FakeUsageApi(new FakeUsageApiOptions { Days = 0, TimeProvider = new FakeTimeProvider(Now) });
        var created = new DateTimeOffset(2025, 3, 11, 10, 0, 0, TimeSpan.Zero);
        api.AddRequests(Hostile.Select((h, i) => F.UsageRequest(
            requestId: $"00000000-0000-4000-8000-00000000000{i}", projectId: P, created: created.AddMinutes(i), path: "/v1/listen",
            apiKeyId: "key" + h.Raw, accessor: h.Raw, code: 200,
            response: F.RequestResponse(
                F.RequestDetails(usd: 0.5m, duration: 10, models: ["m" + h.Raw], method: ProcessingMethod.Sync, tags: [h.Raw, Plain],
                    features: ["f" + h.Raw], configJson: JsonSerializer.Serialize(new Dictionary<string, string> { ["language"] = "l" + h.Raw })),
                code: 200, completed: created.AddMinutes(i).AddSeconds(1), message: "msg" + h.Raw),
            now: Now)));
        return api;
    }

    internal static Task<CliResult> RunAsync(HttpMessageHandler api, bool terminal, params string[] args)
        => CliRunner.RunAsync(new CliEnvironment
        {
            GetVariable = _ => null,
            DemoClock = new FakeTimeProvider(Now),
            Width = 220,
            StdoutIsTerminal = terminal,
            ConfigureClient = o =>
            {
                o.Transport = api;
                o.BaseAddress = FakeUsageApi.BaseAddress;
                o.Retry.MaxRetries = 0;
            },
        }, [.. args, "--api-key", FakeUsageApi.DefaultApiKey, "--project", P]);

    private static readonly string[] Range = ["--start", "2025-03-10", "--end", "2025-03-12"];

    /// <summary>No C0 (but LF), DEL, C1 or bidi control; on a terminal, Spectre's own SGR colour sequences are allowed.</summary>
    private static void AssertNoRawControls(string output, bool allowColours = false)
    {
        var text = allowColours ? Regex.Replace(output, @"\u001b\[[0-9;]*m", "") : output;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var bad = (c < 0x20 && c != '\n') || c is >= '\u007f' and <= '\u009f' or '\u061c' or '\u200e' or '\u200f' or >= '\u202a' and <= '\u202e' or >= '\u2066' and <= '\u2069';
            Assert.False(bad, $"raw U+{(int)c:X4} at {i}: …{text[Math.Max(0, i - 20)..Math.Min(text.Length, i + 20)]}…");
        }
    }

    private static void AssertAllVisible(string output, string prefix = "")
    {
        foreach (var (_, visible) in Hostile)
        {
            Assert.Contains(prefix + visible, output);
        }
    }

    [Fact]
    public async Task Requests_list_table_shows_control_characters_as_escapes()
    {
        var result = (await RunAsync(HostileApi(), false, ["requests", "list", .. Range])).Ok();

        AssertNoRawControls(result.Stdout);
        AssertAllVisible(result.Stdout);
        Assert.Contains(@"\x1b]0;pwned\x07, ünï-🎉", result.Stdout); // ordinary Unicode stays as it is
        Assert.Equal(Hostile.Length, result.TableRows("2025-03-11").Count);
        // Made visible before layout, so the columns line up.
        Assert.Single(result.StdoutLines.Where(l => l.StartsWith('│')).Select(l => l.Length).Distinct());
    }

    [Fact]
    public async Task Requests_get_shows_control_characters_as_escapes()
    {
        var result = (await RunAsync(HostileApi(), false, "requests", "get", "00000000-0000-4000-8000-000000000000")).Ok();

        AssertNoRawControls(result.Stdout);
        Assert.Contains(@"msg\x1b]0;pwned\x07", result.Stdout);
        Assert.Contains(@"key\x1b]0;pwned\x07", result.Stdout);
        Assert.Contains(@"{""language"":""l\u001B]0;pwned\u0007""}", result.Stdout); // the config, as JSON text
    }

    [Fact]
    public async Task Report_tables_show_control_characters_as_escapes()
    {
        var result = (await RunAsync(HostileApi(), false, ["report", .. Range, "--by", "key,model,tag"])).Ok();

        AssertNoRawControls(result.Stdout);
        AssertAllVisible(result.Stdout);
        Assert.Contains(Plain, result.Stdout);
        AssertAllVisible(result.Stdout, "key"); // the key table
        AssertAllVisible(result.Stdout, "m"); // the model table, named from /usage/fields
    }

    [Fact]
    public async Task Breakdown_tables_show_control_characters_as_escapes()
    {
        var byTags = (await RunAsync(HostileApi(), false, ["breakdown", .. Range, "--group-by", "tags"])).Ok();
        var byModels = (await RunAsync(HostileApi(), false, ["breakdown", .. Range, "--group-by", "models"])).Ok();

        AssertNoRawControls(byTags.Stdout);
        AssertAllVisible(byTags.Stdout);
        Assert.Contains(@"\x1b]0;pwned\x07;ünï-🎉", byTags.Stdout);
        AssertNoRawControls(byModels.Stdout);
        AssertAllVisible(byModels.Stdout, "m");
    }

    [Fact]
    public async Task Fields_table_shows_control_characters_as_escapes()
    {
        var result = (await RunAsync(HostileApi(), false, ["fields", .. Range])).Ok();

        AssertNoRawControls(result.Stdout);
        AssertAllVisible(result.Stdout); // tags
        Assert.Contains(Plain, result.Stdout);
        AssertAllVisible(result.Stdout, "m"); // model names and ids
        AssertAllVisible(result.Stdout, "f"); // features
        AssertAllVisible(result.Stdout, "l"); // languages
    }

    [Fact]
    public async Task Summary_table_footer_shows_control_characters_as_escapes()
    {
        // The units of the resolution are the only free text of /usage.
        var summary = """{"start":"2025-03-10","end":"2025-03-12","resolution":{"units":"day\u001b]0;pwned\u0007\u009b2J","amount":1},"results":[{"start":"2025-03-10","end":"2025-03-10","hours":1.5,"total_hours":1.5,"requests":3}]}""";
        var result = (await RunAsync(new CannedHandler(summary), false, ["summary", .. Range])).Ok();

        AssertNoRawControls(result.Stdout);
        Assert.Contains(@"per 1 day\x1b]0;pwned\x07\x9b2J", result.Stdout);
        Assert.Equal("3", Assert.Single(result.TableRows("2025-03-10"))[1]);
    }

    [Fact]
    public async Task On_a_terminal_tables_keep_their_colours_and_csv_and_jsonl_show_escapes()
    {
        var table = (await RunAsync(HostileApi(), true, ["requests", "list", .. Range])).Ok();
        var csv = (await RunAsync(HostileApi(), true, ["requests", "list", .. Range, "--format", "csv"])).Ok();
        var jsonl = (await RunAsync(HostileApi(), true, ["requests", "list", .. Range, "--format", "jsonl"])).Ok();

        AssertNoRawControls(table.Stdout, allowColours: true);
        AssertAllVisible(table.Stdout);
        AssertNoRawControls(csv.Stdout.Replace("\r\n", "\n", StringComparison.Ordinal));
        var records = CsvReader.Records(csv.Stdout);
        Assert.Equal(Hostile.Select(h => h.Visible + ";" + Plain).Reverse(), records.Select(r => r["tags"]));
        AssertNoRawControls(jsonl.Stdout);
        Assert.Equal(Hostile.Select(h => "m" + h.Raw).Reverse(), jsonl.StdoutLines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("response").GetProperty("details").GetProperty("models")[0].GetString()));
    }

    [Fact]
    public async Task Csv_to_a_file_or_pipe_keeps_the_values_exactly()
    {
        var csv = (await RunAsync(HostileApi(), false, ["requests", "list", .. Range, "--format", "csv"])).Ok();

        Assert.Equal(Hostile.Select(h => h.Raw + ";" + Plain).Reverse(), CsvReader.Records(csv.Stdout).Select(r => r["tags"]));
    }

    [Fact]
    public async Task Json_escapes_C0_DEL_and_C1_and_on_a_terminal_bidi_controls_too()
    {
        var file = (await RunAsync(HostileApi(), false, ["requests", "list", .. Range, "--format", "json"])).Ok();
        var terminal = (await RunAsync(HostileApi(), true, ["requests", "list", .. Range, "--format", "json"])).Ok();

        // The serializer escapes C0, DEL and C1; it leaves bidi controls as they are (valid JSON, the data exactly).
        AssertNoRawControls(file.Stdout.Replace("\u202e", "", StringComparison.Ordinal));
        Assert.Contains(@"""accessor"": ""\u001B]0;pwned\u0007""", file.Stdout);
        Assert.Contains(@"""accessor"": ""\u009B31m""", file.Stdout);
        Assert.Contains(@"""accessor"": ""x\u007Fy""", file.Stdout);
        Assert.Contains("\"accessor\": \"abc\u202edef\"", file.Stdout);
        // On a terminal the bidi controls are escaped as well, still as JSON escapes.
        AssertNoRawControls(terminal.Stdout);
        Assert.Contains(@"""accessor"": ""abc\u202edef""", terminal.Stdout);
        foreach (var json in new[] { file.Stdout, terminal.Stdout })
        {
            using var doc = JsonDocument.Parse(json);
            Assert.Equal(Hostile.Select(h => h.Raw).Reverse(), doc.RootElement.EnumerateArray().Select(e => e.GetProperty("accessor").GetString()));
            Assert.Equal(Plain, doc.RootElement[0].GetProperty("response").GetProperty("details").GetProperty("tags")[1].GetString());
        }
    }

    [Fact]
    public async Task Error_lines_show_control_characters_as_escapes()
    {
        var body = """{"err_code":"FORBIDDEN","err_msg":"no\u001b]0;pwned\u0007 access\u009b2J","request_id":"x"}""";
        var result = await RunAsync(new CannedHandler(body, HttpStatusCode.Forbidden), false, ["summary", .. Range]);

        var line = result.Fails(1);
        AssertNoRawControls(line);
        Assert.Contains(@"no\x1b]0;pwned\x07 access\x9b2J", line);
    }

    [Fact]
    public async Task A_console_of_the_tool_makes_text_visible_even_when_a_command_forgets_to()
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var host = new CliHost(stdout, new StringWriter(), new CliEnvironment { GetVariable = _ => null, Width = 100 });
        var run = new CliRun(host, UsageSdk.Cli.Cli.BuildRoot(host).Parse(["fields", "--demo"]), CancellationToken.None);
        await using (var output = run.OpenOutput())
        {
            var console = output.CreateConsole();
            console.Write(new Text(Osc0 + "|" + C1Csi + "\n"));
            console.Write(new Table().AddColumn("x").AddRow(new Text(Osc52 + Bidi)));
            console.MarkupLine("[bold]" + Markup.Escape(Clear + Del) + "[/]");
        }

        var text = stdout.ToString();
        AssertNoRawControls(text);
        Assert.Contains(@"\x1b]0;pwned\x07|\x9b31m", text);
        Assert.Contains(@"\x1b]52;c;cHduZWQ=\x07abc\u202edef", text);
        Assert.Contains(@"\x1b[2Jx\x7fy", text);
    }

    [Fact]
    public void Visible_escapes_C0_DEL_C1_and_bidi_controls_and_keeps_other_text()
    {
        Assert.Equal(@"a\x00b\x09c\x0ad\x0de\x1bf\x7fg\x80h\x9fi", TerminalText.Visible("a\0b\tc\nd\re\u001bf\u007fg\u0080h\u009fi"));
        Assert.Equal(@"\u061c\u200e\u200f\u202a\u202e\u2066\u2069", TerminalText.Visible("\u061c\u200e\u200f\u202a\u202e\u2066\u2069"));
        const string ordinary = "ünï 日本 🎉 👩‍💻 \u00a0 ¡ \u200d";
        Assert.Same(ordinary, TerminalText.Visible(ordinary));
        Assert.Equal("", TerminalText.Visible(null));
        Assert.Equal(@"[[x\x1b]]", TerminalText.Markup("[x\u001b]"));
    }

    [Fact]
    public void The_terminal_writer_keeps_line_ends_and_escapes_a_lone_CR_even_across_writes()
    {
        var inner = new StringWriter();
        var w = new VisibleTextWriter(inner);
        w.Write("a\r\nb\u001b\r");
        w.Write("\nc\r");
        w.Write("d\n\te\r");
        w.Flush();

        Assert.Equal("a\r\nb\\x1b\r\nc\\x0dd\n\\x09e\\x0d", inner.ToString());
    }

    /// <summary>Answers every request with one body.</summary>
    private sealed class CannedHandler(string body, HttpStatusCode status = HttpStatusCode.OK) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            => Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
    }
}
