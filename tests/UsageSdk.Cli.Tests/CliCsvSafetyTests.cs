using Microsoft.Extensions.Time.Testing;
using UsageSdk.Testing;
using F = UsageSdk.UsageModelFactory;

namespace UsageSdk.Cli.Tests;

/// <summary>CSV formula injection (OWASP: a leading = + - @ TAB CR) in every CSV the tool writes itself: request lists, reports, fields.</summary>
public sealed class CliCsvSafetyTests
{
    /// <summary>The tags (and model ids) of one request each, oldest first, and their CSV cells.</summary>
    private static readonly (string Value, string Cell)[] Payloads =
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "\"'\rx\""),
        ("-12.5", "-12.5"),
    ];

    private static FakeUsageApi Api()
    {
        var api = new FakeUsageApi(new FakeUsageApiOptions { Days = 0, TimeProvider = new FakeTimeProvider(CliOutputSafetyTests.Now) });
        var created = new DateTimeOffset(2025, 3, 11, 10, 0, 0, TimeSpan.Zero);
        api.AddRequests(Payloads.Select((p, i) => F.UsageRequest(
            requestId: $"r-{i}", projectId: CliOutputSafetyTests.P, created: created.AddMinutes(i), path: "/v1/read", apiKeyId: "k", code: 200,
            response: F.RequestResponse(F.RequestDetails(usd: -12.5m, models: [p.Value], tags: [p.Value]), code: 200, completed: created.AddMinutes(i).AddSeconds(1)),
            now: CliOutputSafetyTests.Now)));
        return api;
    }

    private static readonly string[] Range = ["--start", "2025-03-10", "--end", "2025-03-12"];

    [Fact]
    public async Task Requests_list_csv_guards_formulas_and_keeps_negative_numbers()
    {
        var result = (await CliOutputSafetyTests.RunAsync(Api(), false, ["requests", "list", .. Range, "--format", "csv"])).Ok();

        var lines = result.Stdout.Split("\r\n");
        Assert.Equal("request_id,created,project_uuid,api_key_id,accessor,deployment,endpoint,method,code,state,models,tags,features,duration,total_audio,channels,usd,tokens_in,tokens_out,tts_characters,completed,message,path", lines[0]);
        var expected = Payloads.Select((p, i) =>
            $"r-{i},2025-03-11T10:{i:00}:00.000000Z,{CliOutputSafetyTests.P},k,,,read,,200,success,{p.Cell},{p.Cell},,,,,-12.5,,,,2025-03-11T10:{i:00}:01.000000Z,,/v1/read").Reverse();
        Assert.Equal([.. expected, ""], lines[1..]);
    }

    [Fact]
    public async Task Report_csv_guards_formulas_and_keeps_negative_numbers()
    {
        var result = (await CliOutputSafetyTests.RunAsync(Api(), false, ["report", .. Range, "--by", "tag", "--format", "csv"])).Ok();

        var lines = result.Stdout.Split("\r\n");
        var rows = lines.Where(l => l.StartsWith("tag,", StringComparison.Ordinal)).ToList();
        Assert.Equal(Payloads.Length, rows.Count);
        foreach (var (_, cell) in Payloads)
        {
            // dimension, key, name, requests 1, tokens 0 0 0, audio 0, tts 0, billed -12.5 for 1 request, …
            Assert.Contains($"tag,{cell},{cell},1,0,0,0,0,0,-12.5,1,0,0,0,0,1,0,0,0,0,0", rows);
        }
        Assert.Contains("total,,total,7,0,0,0,0,0,-87.5,7,0,0,0,0,7,0,0,0,0,0", lines);
    }

    [Fact]
    public async Task Fields_csv_guards_formulas()
    {
        var result = (await CliOutputSafetyTests.RunAsync(Api(), false, ["fields", .. Range, "--format", "csv"])).Ok();

        var lines = result.Stdout.Split("\r\n");
        foreach (var (_, cell) in Payloads)
        {
            Assert.Contains($"tag,{cell},,,", lines);
            Assert.Contains($"model,{cell},{cell},en,unknown", lines);
        }
    }
}
