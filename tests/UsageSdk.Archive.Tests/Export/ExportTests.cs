using System.Runtime.CompilerServices;
using System.Text;
using UsageSdk.Archive.Tests.Infrastructure;

namespace UsageSdk.Archive.Tests.Export;

public sealed class ExportTests
{
    private static readonly DateTimeOffset Now = new(2025, 1, 2, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Fixed logs with the awkward values: commas, quotes and line breaks in tags and paths, a formula-like tag, a local offset, a pending and a failed log.</summary>
    internal static IReadOnlyList<UsageRequest> Fixture() =>
    [
        UsageModelFactory.UsageRequest(
            requestId: "r-1", projectId: "p", created: new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(1234560),
            path: "/v1/listen?model=nova-3&tag=a,b", apiKeyId: "key-1", accessor: "acc-1", deployment: Deployment.Hosted, code: 200,
            response: UsageModelFactory.RequestResponse(
                UsageModelFactory.RequestDetails(usd: 0.0125m, duration: 12.5, totalAudio: 25, channels: 2, models: ["m-1", "m-2"],
                    method: ProcessingMethod.Streaming, tags: ["prod", "team, \"blue\""], features: ["diarize", "punctuate"], configJson: """{"diarize":true}"""),
                code: 200, completed: new DateTimeOffset(2025, 1, 2, 3, 4, 6, TimeSpan.Zero),
                tokenDetails: [UsageModelFactory.TokenDetail("summarization", 100, 20, "llm"), UsageModelFactory.TokenDetail("topics", 50, 5, "llm")]),
            now: Now),
        UsageModelFactory.UsageRequest(
            requestId: "r-2", projectId: "p", created: new DateTimeOffset(2025, 1, 2, 4, 0, 0, TimeSpan.FromHours(2)),
            path: "/v1/read?q=\"x\"", apiKeyId: "key-2", code: 500,
            response: UsageModelFactory.RequestResponse(UsageModelFactory.RequestDetails(tags: ["=1+1", "multi\nline", "ünï"]), message: "boom, \"bad\"\r\nagain"),
            now: Now),
        UsageModelFactory.UsageRequest(requestId: "r-3", projectId: "p", created: Now.AddMinutes(-5), path: "/v1/speak", apiKeyId: "key-1", now: Now),
    ];

    private const string GoldenCsv =
        "request_id,created,api_key_id,accessor,path,method,endpoint,deployment,models,tags,features,duration,channels,usd,tokens_in,tokens_out,code,state\r\n" +
        "r-1,2025-01-02T03:04:05.123456Z,key-1,acc-1,\"/v1/listen?model=nova-3&tag=a,b\",streaming,listen,hosted,m-1;m-2,\"prod;team, \"\"blue\"\"\",diarize;punctuate,12.5,2,0.0125,150,25,200,success\r\n" +
        "r-2,2025-01-02T02:00:00Z,key-2,,\"/v1/read?q=\"\"x\"\"\",,read,,,\"'=1+1;multi\nline;ünï\",,,,,,,500,error\r\n" +
        "r-3,2025-01-02T11:55:00Z,key-1,,/v1/speak,,speak,,,,,,,,,,,pending\r\n";

    private const string GoldenJsonl =
        """{"request_id":"r-1","project_uuid":"p","created":"2025-01-02T03:04:05.123456+00:00","path":"/v1/listen?model=nova-3&tag=a,b","api_key_id":"key-1","accessor":"acc-1","deployment":"hosted","code":200,"response":{"details":{"usd":0.0125,"duration":12.5,"total_audio":25,"channels":2,"models":["m-1","m-2"],"method":"streaming","tags":["prod","team, \"blue\""],"features":["diarize","punctuate"],"config":{"diarize":true}},"code":200,"completed":"2025-01-02T03:04:06+00:00","token_details":[{"feature":"summarization","input":100,"output":20,"model":"llm"},{"feature":"topics","input":50,"output":5,"model":"llm"}]}}""" + "\n" +
        """{"request_id":"r-2","project_uuid":"p","created":"2025-01-02T04:00:00+02:00","path":"/v1/read?q=\"x\"","api_key_id":"key-2","code":500,"response":{"details":{"models":[],"tags":["=1+1","multi\nline","ünï"],"features":[]},"message":"boom, \"bad\"\r\nagain","token_details":[]}}""" + "\n" +
        """{"request_id":"r-3","project_uuid":"p","created":"2025-01-02T11:55:00+00:00","path":"/v1/speak","api_key_id":"key-1"}""" + "\n";

    [Fact]
    public async Task Requests_of_several_projects_get_a_leading_project_id_column_in_CSV()
    {
        static async IAsyncEnumerable<KeyValuePair<string, Page<UsageRequest>>> ByProject()
        {
            await Task.Yield();
            yield return new("proj-a", Page<UsageRequest>.FromValues(Fixture().Take(2).ToList(), null));
            yield return new("proj-b", Page<UsageRequest>.FromValues(Fixture().Skip(2).ToList(), null));
        }
        using var csv = new StringWriter();
        using var jsonl = new StringWriter();

        var result = await UsageExport.WriteRequestsAsync(ByProject(), csv, ExportFormat.Csv);
        await UsageExport.WriteRequestsAsync(ByProject(), jsonl, ExportFormat.Jsonl);

        var golden = GoldenCsv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(
            string.Concat(new[] { "project_id," + golden[0], "proj-a," + golden[1], "proj-a," + golden[2], "proj-b," + golden[3] }.Select(l => l + "\r\n")),
            csv.ToString());
        Assert.Equal(["project_id", .. UsageExport.RequestColumns], UsageExport.ProjectRequestColumns);
        Assert.Equal((2L, 3L), (result.Pages, result.Items));
        Assert.Equal(GoldenJsonl, jsonl.ToString()); // JSONL rows carry project_uuid already
    }

    [Fact]
    public async Task Requests_to_CSV_match_the_golden_file()
    {
        using var output = new MemoryStream();
        var result = await UsageExport.WriteRequestsAsync(Pages(Fixture()), output, ExportFormat.Csv);

        Assert.Equal(GoldenCsv, Encoding.UTF8.GetString(output.ToArray()));
        Assert.Equal(3, result.Items);
        Assert.Equal(2, result.Pages);
        Assert.Equal(UsageExport.RequestColumns, GoldenCsv[..GoldenCsv.IndexOf('\r')].Split(','));
    }

    [Fact]
    public async Task Requests_to_JSONL_match_the_golden_file_and_read_back()
    {
        using var output = new MemoryStream();
        await UsageExport.WriteRequestsAsync(Pages(Fixture()), output, ExportFormat.Jsonl);
        var text = Encoding.UTF8.GetString(output.ToArray());

        Assert.Equal(GoldenJsonl, text);
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Fixture().Select(UsageJson.Serialize), lines.Select(l => UsageJson.Serialize(UsageJson.DeserializeRequest(l, Now))));
    }

    [Fact]
    public async Task Exports_stream_each_page_before_the_next_is_read_and_report_progress()
    {
        foreach (var format in new[] { ExportFormat.Csv, ExportFormat.Jsonl })
        {
            using var output = new MemoryStream();
            var seenBeforeSecondPage = -1L;
            var reports = new List<ExportProgress>();
            async IAsyncEnumerable<Page<UsageRequest>> Source()
            {
                yield return Page<UsageRequest>.FromValues(Fixture().Take(2).ToList(), "next");
                await Task.Yield();
                seenBeforeSecondPage = output.Length;
                yield return Page<UsageRequest>.FromValues(Fixture().Skip(2).ToList(), null);
            }

            var result = await UsageExport.WriteRequestsAsync(Source(), output, format, new InlineProgress<ExportProgress>(reports.Add));

            Assert.True(seenBeforeSecondPage > 0 && seenBeforeSecondPage < output.Length, $"{format}: the first page was not written out before the second was read");
            Assert.Equal([(1L, 2L), (2L, 3L)], reports.Select(r => (r.Pages, r.Items)));
            Assert.Equal((2, 3), (result.Pages, result.Items));
        }
    }

    [Fact]
    public async Task Summary_and_breakdown_export_one_row_per_bucket()
    {
        var summary = UsageModelFactory.UsageSummary(new DateOnly(2025, 1, 1), new DateOnly(2025, 1, 2), results:
        [
            UsageModelFactory.UsageSummaryResult(new DateOnly(2025, 1, 1), new DateOnly(2025, 1, 1), 1.5, 3, 10, UsageModelFactory.UsageTokens(7, 8), UsageModelFactory.UsageTts(900, 2)),
            UsageModelFactory.UsageSummaryResult(new DateOnly(2025, 1, 2), new DateOnly(2025, 1, 2), 0.25, 0.5, 1),
        ]);
        var breakdown = UsageModelFactory.UsageBreakdown(new DateOnly(2025, 1, 1), new DateOnly(2025, 1, 1), results:
        [
            UsageModelFactory.UsageBreakdownResult(1.5, 3, 0.5, 7, 8, 900, 10,
                UsageModelFactory.UsageBreakdownGrouping(new DateOnly(2025, 1, 1), new DateOnly(2025, 1, 1), models: ["m-1", null], tags: ["a,b", "c"])),
        ]);

        using var csv = new MemoryStream();
        await UsageExport.WriteSummaryAsync(summary, csv, ExportFormat.Csv);
        using var bcsv = new MemoryStream();
        await UsageExport.WriteBreakdownAsync(breakdown, bcsv, ExportFormat.Csv);
        using var jsonl = new MemoryStream();
        await UsageExport.WriteBreakdownAsync(breakdown, jsonl, ExportFormat.Jsonl);

        Assert.Equal(
            "start,end,hours,total_hours,requests,tokens_in,tokens_out,tts_characters,tts_requests\r\n" +
            "2025-01-01,2025-01-01,1.5,3,10,7,8,900,2\r\n" +
            "2025-01-02,2025-01-02,0.25,0.5,1,,,,\r\n",
            Encoding.UTF8.GetString(csv.ToArray()));
        Assert.Equal(
            "start,end,accessor,endpoint,feature_set,models,method,tags,deployment,hours,total_hours,agent_hours,tokens_in,tokens_out,tts_characters,requests\r\n" +
            "2025-01-01,2025-01-01,,,,m-1;,,\"a,b;c\",,1.5,3,0.5,7,8,900,10\r\n",
            Encoding.UTF8.GetString(bcsv.ToArray()));
        Assert.Equal(
            """{"hours":1.5,"total_hours":3,"agent_hours":0.5,"tokens_in":7,"tokens_out":8,"tts_characters":900,"requests":10,"grouping":{"start":"2025-01-01","end":"2025-01-01","models":["m-1",null],"tags":["a,b","c"]}}""" + "\n",
            Encoding.UTF8.GetString(jsonl.ToArray()));
    }

    [Fact]
    public async Task Export_from_the_API_reads_every_page()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Now);
        var api = new UsageSdk.Testing.FakeUsageApi(new UsageSdk.Testing.FakeUsageApiOptions { Seed = 3, TimeProvider = time, Days = 2, RequestsPerDay = 100 });
        var client = api.CreateClient();
        var project = UsageSdk.Testing.FakeUsageApi.DemoProjectId;
        using var output = new MemoryStream();

        var result = await client.ExportRequestsAsync(project, new RequestsQuery().WithPageSize(40), output, ExportFormat.Jsonl);

        var expected = api.GetRequests(project).Where(r => r.Created <= Now).Select(UsageJson.Serialize).ToList();
        var lines = Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(expected.Count, result.Items);
        Assert.Equal(expected.Count / 40 + 1, result.Pages);
        Assert.Equal(expected, lines.Select(l => UsageJson.Serialize(UsageJson.DeserializeRequest(l))));
    }

    [Theory]
    [InlineData("=1+1", "'=1+1")]
    [InlineData("+1", "'+1")]
    [InlineData("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tx", "'\tx")]
    [InlineData("\rx", "'\rx")]
    [InlineData("-", "'-")]
    [InlineData("-.5", "'-.5")]
    [InlineData("-1.", "'-1.")]
    [InlineData("-1,5", "'-1,5")]
    [InlineData("-1e", "'-1e")]
    [InlineData("- 1", "'- 1")]
    [InlineData("-Infinity", "'-Infinity")]
    [InlineData("-\u0661", "'-\u0661")] // a non-ASCII digit is no plain number
    [InlineData("+12.5", "'+12.5")] // .NET never writes a leading +: only text from the API starts so
    [InlineData("-12.5", "-12.5")]
    [InlineData("-3", "-3")]
    [InlineData("-0.0125", "-0.0125")]
    [InlineData("-1E-05", "-1E-05")]
    [InlineData("-1.5e+20", "-1.5e+20")]
    [InlineData("1e5", "1e5")]
    [InlineData("12.5", "12.5")]
    [InlineData("", "")]
    [InlineData("prod", "prod")]
    [InlineData("a=b", "a=b")]
    [InlineData(" =1", " =1")] // not in the OWASP set: a leading space is text to spreadsheets
    public void A_cell_that_would_run_as_a_formula_gets_a_quote_but_a_plain_number_does_not(string value, string cell)
        => Assert.Equal(cell, UsageExport.ProtectCsvCell(value));

    [Fact]
    public void Every_plain_number_dotnet_writes_stays_a_number()
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        foreach (var v in new[] { -12.5, -3, -0.0001, -1e-7, -1.5e20, -123456789.125, double.MinValue })
        {
            Assert.Equal(v.ToString("R", inv), UsageExport.ProtectCsvCell(v.ToString("R", inv)));
        }
        foreach (var v in new[] { -12.5m, -0.0000001m, decimal.MinValue })
        {
            Assert.Equal(v.ToString(inv), UsageExport.ProtectCsvCell(v.ToString(inv)));
        }
        Assert.Equal(long.MinValue.ToString(inv), UsageExport.ProtectCsvCell(long.MinValue.ToString(inv)));
    }

    [Fact]
    public async Task Request_and_breakdown_CSV_guard_formulas_in_every_text_column_and_keep_negative_numbers()
    {
        // Each value in every text column; the endpoint is read from the path (Endpoint.FromPath: its first segment, trimmed, in lower case).
        string[] payloads = ["=1+1", "+1", "-2+3+cmd|' /C calc'!A0", "@SUM(A1)", "\tx", "\rx", "-12.5"];
        var created = new DateTimeOffset(2025, 1, 2, 3, 0, 0, TimeSpan.Zero);
        var requests = payloads.Select((p, i) => UsageModelFactory.UsageRequest(
            requestId: $"r-{i}", projectId: "p", created: created.AddMinutes(i), path: p, apiKeyId: p, accessor: p, code: 200,
            response: UsageModelFactory.RequestResponse(UsageModelFactory.RequestDetails(usd: -12.5m, models: [p], tags: [p], features: [p]), code: 200, completed: created.AddMinutes(i)),
            now: Now)).ToList();
        var breakdown = UsageModelFactory.UsageBreakdown(new DateOnly(2025, 1, 1), new DateOnly(2025, 1, 1), results:
            [.. payloads.Select(p => UsageModelFactory.UsageBreakdownResult(requests: 1, grouping: UsageModelFactory.UsageBreakdownGrouping(new DateOnly(2025, 1, 1), new DateOnly(2025, 1, 1), accessor: p, endpoint: p, featureSet: p, models: [p], method: p, tags: [p], deployment: p)))]);

        using var csv = new MemoryStream();
        await UsageExport.WriteRequestsAsync(Pages(requests), csv, ExportFormat.Csv);
        using var bcsv = new MemoryStream();
        await UsageExport.WriteBreakdownAsync(breakdown, bcsv, ExportFormat.Csv);

        Assert.Equal(
            "request_id,created,api_key_id,accessor,path,method,endpoint,deployment,models,tags,features,duration,channels,usd,tokens_in,tokens_out,code,state\r\n" +
            "r-0,2025-01-02T03:00:00Z,'=1+1,'=1+1,'=1+1,,'=1+1,,'=1+1,'=1+1,'=1+1,,,-12.5,,,200,success\r\n" +
            "r-1,2025-01-02T03:01:00Z,'+1,'+1,'+1,,'+1,,'+1,'+1,'+1,,,-12.5,,,200,success\r\n" +
            "r-2,2025-01-02T03:02:00Z,'-2+3+cmd|' /C calc'!A0,'-2+3+cmd|' /C calc'!A0,'-2+3+cmd|' /C calc'!A0,,'-2+3+cmd|',,'-2+3+cmd|' /C calc'!A0,'-2+3+cmd|' /C calc'!A0,'-2+3+cmd|' /C calc'!A0,,,-12.5,,,200,success\r\n" +
            "r-3,2025-01-02T03:03:00Z,'@SUM(A1),'@SUM(A1),'@SUM(A1),,'@sum(a1),,'@SUM(A1),'@SUM(A1),'@SUM(A1),,,-12.5,,,200,success\r\n" +
            "r-4,2025-01-02T03:04:00Z,'\tx,'\tx,'\tx,,x,,'\tx,'\tx,'\tx,,,-12.5,,,200,success\r\n" +
            "r-5,2025-01-02T03:05:00Z,\"'\rx\",\"'\rx\",\"'\rx\",,x,,\"'\rx\",\"'\rx\",\"'\rx\",,,-12.5,,,200,success\r\n" +
            "r-6,2025-01-02T03:06:00Z,-12.5,-12.5,-12.5,,-12.5,,-12.5,-12.5,-12.5,,,-12.5,,,200,success\r\n",
            Encoding.UTF8.GetString(csv.ToArray()));
        var rows = Encoding.UTF8.GetString(bcsv.ToArray()).Split("\r\n");
        string[] cells = ["'=1+1", "'+1", "'-2+3+cmd|' /C calc'!A0", "'@SUM(A1)", "'\tx", "\"'\rx\"", "-12.5"];
        Assert.Equal(cells.Select(c => $"2025-01-01,2025-01-01,{c},{c},{c},{c},{c},{c},{c},0,0,0,,,,1"), rows[1..^1]);
    }

    [Fact]
    public void Format_names_are_read_case_insensitively()
    {
        Assert.Equal(ExportFormat.Csv, UsageExport.ParseFormat("CSV"));
        Assert.Equal(ExportFormat.Jsonl, UsageExport.ParseFormat("jsonl"));
        Assert.Equal(ExportFormat.Jsonl, UsageExport.ParseFormat("ndjson"));
        Assert.Contains("csv or jsonl", Assert.Throws<ArgumentException>(() => UsageExport.ParseFormat("xml")).Message, StringComparison.Ordinal);
    }

    private static async IAsyncEnumerable<Page<UsageRequest>> Pages(IReadOnlyList<UsageRequest> items, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        yield return Page<UsageRequest>.FromValues(items.Take(2).ToList(), "p2");
        yield return Page<UsageRequest>.FromValues(items.Skip(2).ToList(), null);
    }
}
