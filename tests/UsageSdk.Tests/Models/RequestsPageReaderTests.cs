using System.Text;
using System.Text.Json;
using UsageSdk.Internal;

namespace UsageSdk.Tests.Models;

/// <summary>
/// The hand-written page reader (<see cref="RequestsPageReader"/>) against the serializer it stands in for: every page it
/// reads must give the same objects as <see cref="JsonSerializer"/> with <see cref="WireJsonContext"/> (compared as the
/// context writes them back, plus what writing does not show: nulls kept in the list, page and limit), and every page it
/// cannot read exactly so it must leave to the serializer.
/// </summary>
public sealed class RequestsPageReaderTests
{
    private static readonly JsonSerializerOptions Options = WireJsonContext.Default.Options;

    private const string Full = """
        {"request_id":"r1","project_uuid":"p1","created":"2025-06-30T23:59:59.123456Z","path":"/v1/listen?model=nova-3","api_key_id":"k1",
         "accessor":"a1","deployment":"hosted","code":200,
         "response":{"details":{"usd":0.0043,"duration":60.5,"total_audio":121,"channels":2,"streams":1,"models":["m1","m2"],"method":"streaming",
           "tier":"nova","tags":["prod","eu"],"features":["diarize"],"config":{"model":"nova-3","keywords":["acme:2"],"alternatives":1,"x":{"y":[null,true,1.5e3]}}},
           "code":200,"completed":"2025-07-01T00:00:14.5Z","message":null,
           "token_details":[{"feature":"summarization","input":2000,"output":"300","model":"gpt-4o-mini"},null,{"input":1}],
           "tts_details":{"duration":"3.5","speech_segments":[{"characters":42,"model":"aura","tier":"aura-2","extra":1},null]}},
         "callback":{"attempts":1,"code":200,"completed":"2025-07-01T00:00:30Z"}}
        """;

    /// <summary>Pages both must read the same way.</summary>
    public static TheoryData<string, string> Same => new()
    {
        { "full item", Page(Full) },
        { "fixture: drifting types, unknown members, callbacks, page-level extras", File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "requests-drift-page.json")) },
        { "fixture: flat request, wrapped in a page", Page(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "request-flat.json"))) },
        { "fixture: all null", Page(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "request-all-null.json"))) },
        { "fixture: empty strings", Page(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "request-empty-strings.json"))) },
        { "null items kept in place", """{"page":"1","limit":2.0,"requests":[null,{"request_id":"a"},null]}""" },
        { "requests null", """{"page":0,"requests":null}""" },
        { "requests absent, unknown page members", """{"page":0,"limit":10,"cursor":{"a":[1,2]},"total":5}""" },
        { "empty object", "{}" },
        { "empty items and nested empties", Page("""{},{"response":{}},{"response":{"details":{}}},{"response":{"token_details":[],"tts_details":{}}}""") },
        { "nulls everywhere", Page("""{"request_id":null,"project_uuid":null,"created":null,"path":null,"api_key_id":null,"accessor":null,"deployment":null,"code":null,"callback":null,"response":{"details":{"usd":null,"duration":null,"total_audio":null,"channels":null,"streams":null,"models":null,"method":null,"tier":null,"tags":null,"features":null,"config":null},"code":null,"completed":null,"message":null,"token_details":null,"tts_details":{"duration":null,"speech_segments":null}}}""") },
        { "duplicate members: the last wins", Page("""{"request_id":"x","request_id":"y","code":1,"code":null,"response":{"code":1},"response":{"message":"second"},"deployment":"hosted","deployment":"self-hosted"}""") },
        { "unknown members become extension data, the last of a name wins", Page("""{"request_id":"u","zeta":[1,{"a":null}],"alpha":"x","zeta":false,"response":{"extra":1,"details":{"more":{"deep":[[]]}}}}""") },
        { "names differ in case", Page("""{"Request_Id":"c","request_ID":"d","Code":5}""") },
        { "numbers and dates as the lenient converters take them", Page("""{"code":"201","created":"2025-02-28","response":{"code":200.0,"completed":"2025-02-28T10:00:01+02:00","details":{"usd":"1.5","duration":"2","channels":"3","models":"one","tags":"solo","features":[]}}}""") },
        { "callback shapes", Page("""{"request_id":"s","callback":"https://example.com/cb"},{"request_id":"e","callback":""},{"request_id":"n","callback":5},{"request_id":"o","callback":{"url":"https://x","attempts":"2","other":[1]}}""") },
        { "open enums: known, unknown, empty", Page("""{"deployment":"beta","response":{"details":{"method":"sync"}}},{"deployment":"on-the-moon","response":{"details":{"method":"batch-v9"}}},{"deployment":"","response":{"details":{"method":""}}}""") },
        { "whitespace around everything", "\n { \"requests\" : [ { \"request_id\" : \"w\" , \"code\" : 7 } ] } \n" },
    };

    [Theory]
    [MemberData(nameof(Same))]
    public void ReadsWhatTheSerializerReads(string name, string json)
    {
        var utf8 = Encoding.UTF8.GetBytes(json);
        var expected = JsonSerializer.Deserialize(utf8, WireJsonContext.Default.RequestsPageBody);

        Assert.True(RequestsPageReader.TryRead(utf8, Options, out var actual), name);

        Assert.NotNull(expected);
        Assert.NotNull(actual);
        Assert.Equal(expected.Page, actual.Page);
        Assert.Equal(expected.Limit, actual.Limit);
        Assert.Equal(expected.Requests is null, actual.Requests is null);
        Assert.Equal(Describe(expected), Describe(actual));
        // The serializer's read and the page reader's give the same typed values, not only the same JSON.
        for (var i = 0; i < (expected.Requests?.Count ?? 0); i++)
        {
            var (e, a) = (expected.Requests![i], actual.Requests![i]);
            Assert.Equal(e?.Created, a?.Created);
            Assert.Equal(e?.Response?.Details?.Usd, a?.Response?.Details?.Usd);
            Assert.Equal(e?.Response?.Details?.Models, a?.Response?.Details?.Models);
            Assert.Equal(e?.Response?.TokenDetails.Count, a?.Response?.TokenDetails.Count);
            Assert.Equal(e?.Response?.TtsDetails?.SpeechSegments.Count, a?.Response?.TtsDetails?.SpeechSegments.Count);
            Assert.Equal(e?.AdditionalProperties.Keys.Order(), a?.AdditionalProperties.Keys.Order());
            Assert.Equal(e?.Response?.Details?.Config?.Keys, a?.Response?.Details?.Config?.Keys);
        }
    }

    /// <summary>Pages the reader leaves to the serializer (whose errors and tolerant reading then apply as before).</summary>
    public static TheoryData<string, string> LeftToTheSerializer => new()
    {
        { "escaped member name", Page("""{"request\u005fid":"x"}""") },
        { "a string member that is a number", Page("""{"request_id":5}""") },
        { "a message that is an object", Page("""{"response":{"message":{}}}""") },
        { "an object member that is an array", Page("""{"response":[]}""") },
        { "details that are a string", Page("""{"response":{"details":"x"}}""") },
        { "an item that is a number", """{"requests":[1]}""" },
        { "requests that are an object", """{"requests":{}}""" },
        { "a token detail that is a string", Page("""{"response":{"token_details":["x"]}}""") },
        { "an unreadable usd", Page("""{"response":{"details":{"usd":1e400}}}""") },
        { "an unreadable code", Page("""{"code":1.1}""") },
        { "an unreadable created", Page("""{"created":"yesterday"}""") },
        { "trailing data", """{"requests":[]} {}""" },
        { "root is an array", "[]" },
        { "root is null", "null" },
        { "truncated", """{"requests":[{"request_id":"a" """ },
        { "the name of an ignored member (state)", Page("""{"request_id":"i","state":"Lost"}""") },
        { "the name of an ignored member (is_empty)", Page("""{"response":{"is_empty":true}}""") },
        { "the name of an ignored member (additional_properties)", Page("""{"response":{"details":{"additional_properties":{}}}}""") },
        { "a comment", """{"requests":[] /* no */}""" },
    };

    [Theory]
    [MemberData(nameof(LeftToTheSerializer))]
    public void LeavesToTheSerializerWhatItDoesNotReadExactly(string name, string json)
    {
        Assert.False(RequestsPageReader.TryRead(Encoding.UTF8.GetBytes(json), Options, out var page), name);
        Assert.Null(page);
    }

    [Fact]
    public void KeepsTheMaxDepthOfTheOptions()
    {
        var nested = Page("""{"response":{"details":{"config":{"a":{"b":{"c":{}}}}}}}""");
        var shallow = new JsonSerializerOptions(Options) { MaxDepth = 6 };

        Assert.True(RequestsPageReader.TryRead(Encoding.UTF8.GetBytes(nested), Options, out _));
        Assert.False(RequestsPageReader.TryRead(Encoding.UTF8.GetBytes(nested), shallow, out _));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(nested, shallow.GetTypeInfo(typeof(RequestsPageBody))));
    }

    [Fact]
    public void ThePagerReadsAnUnreadableMemberAsBeforeWhenTheReaderGivesUp()
    {
        var utf8 = Encoding.UTF8.GetBytes(Page("""{"request_id":"a","response":{"details":{"usd":1e400,"duration":5}}},{"request_id":"b"}"""));

        var page = TolerantJson.ReadRequestsPage(utf8, WireJsonContext.Default);

        var requests = page.Requests ?? throw new InvalidOperationException("no requests");
        Assert.Equal(["a", "b"], requests.Select(r => r.RequestId));
        Assert.Null(requests[0].Response!.Details!.Usd);
        Assert.Equal(5, requests[0].Response!.Details!.Duration);
        Assert.Equal("1e400", requests[0].UnreadableMembers["response.details.usd"].GetRawText());
        Assert.Equal(1, page.Unreadable);
    }

    private static string Page(string items) => $$"""{"page":0,"limit":1000,"requests":[{{items}}]}""";

    private static string Describe(RequestsPageBody body)
        => string.Join("\n", (body.Requests ?? []).Select(r => r is null ? "(null item)" : JsonSerializer.Serialize(r, WireJsonContext.Default.UsageRequest)));
}
