using System.Reflection;
using UsageSdk.Tests.Infrastructure;

namespace UsageSdk.Tests.Queries;

/// <summary>The exact query string of each of the five calls (WireMock's RawQuery, as Refit encodes it).</summary>
public sealed class WireQueryTests(WireMockFixture wm) : CoreTestBase(wm)
{
    private const string Requests = "/v1/projects/proj-1/requests";
    private const string Summary = "/v1/projects/proj-1/usage";
    private const string Breakdown = "/v1/projects/proj-1/usage/breakdown";
    private const string Fields = "/v1/projects/proj-1/usage/fields";

    private static readonly DateTimeOffset From = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset To = new(2025, 1, 31, 23, 59, 59, TimeSpan.Zero);

    private async Task<string> ListOnceAsync(RequestsQuery? query, UsageClient? client = null)
    {
        StubJson(Requests, """{"page":0,"limit":1000,"requests":[]}""");
        await foreach (var _ in (client ?? NewClient()).GetRequestsAsync(Project, query))
        {
        }
        return Assert.Single(RawQueries);
    }

    private async Task<string> SummaryOnceAsync(UsageQuery? query)
    {
        StubJson(Summary, "{}");
        await NewClient().GetSummaryAsync(Project, query);
        Assert.Equal(Summary, Assert.Single(Sent).RequestMessage!.Path);
        return Assert.Single(RawQueries);
    }

    private async Task<string> BreakdownOnceAsync(UsageQuery? query)
    {
        StubJson(Breakdown, """{"results":[]}""");
        await NewClient().GetBreakdownAsync(Project, query);
        Assert.Equal(Breakdown, Assert.Single(Sent).RequestMessage!.Path);
        return Assert.Single(RawQueries);
    }

    // ------------------------------------------------------------------ /requests

    [Fact]
    public async Task Requests_without_filters_send_the_pinned_end_the_default_page_size_and_page_zero()
    {
        var raw = await ListOnceAsync(null); // the clock says 2025-03-01T12:00:00Z

        Assert.Equal("end=2025-03-01T12%3A00%3A00Z&limit=1000&page=0", raw);
    }

    [Fact]
    public async Task Requests_send_every_filter_in_a_fixed_order()
    {
        var q = new RequestsQuery()
            .Between(new DateTimeOffset(2024, 12, 1, 8, 30, 0, TimeSpan.FromHours(2)), new DateTimeOffset(2025, 1, 31, 12, 0, 0, TimeSpan.FromHours(-5)))
            .WithStatus(RequestStatus.Failed)
            .WithPageSize(5)
            .WithAccessor("acc-1")
            .WithRequestId("req-1")
            .WithDeployment(Deployment.SelfHosted)
            .WithEndpoint(Endpoint.Listen)
            .WithMethod(ProcessingMethod.Streaming)
            .WithParameter("x_extra", "a&b=c d");

        var raw = await ListOnceAsync(q);

        Assert.Equal(
            "start=2024-12-01T08%3A30%3A00%2B02%3A00&end=2025-01-31T12%3A00%3A00-05%3A00&limit=5&page=0" +
            "&accessor=acc-1&request_id=req-1&deployment=self-hosted&endpoint=listen&method=streaming&status=failed&x_extra=a%26b%3Dc%20d",
            raw);
    }

    [Theory]
    [InlineData("succeeded")]
    [InlineData("failed")]
    public async Task Requests_status_goes_out_in_its_wire_spelling(string status)
    {
        var raw = await ListOnceAsync(new RequestsQuery().Between(From, To).WithStatus(new RequestStatus(status)));

        Assert.Equal($"start=2025-01-01T00%3A00%3A00Z&end=2025-01-31T23%3A59%3A59Z&limit=1000&page=0&status={status}", raw);
    }

    [Theory]
    [InlineData("hosted", "listen", "sync")]
    [InlineData("beta", "read", "async")]
    [InlineData("self-hosted", "speak", "streaming")]
    [InlineData("future-deployment", "agent", "future-method")]
    public async Task Requests_single_valued_enum_filters_go_out_as_is(string deployment, string endpoint, string method)
    {
        var raw = await ListOnceAsync(new RequestsQuery().Between(From, To)
            .WithDeployment(deployment).WithEndpoint(endpoint).WithMethod(method));

        Assert.Equal($"start=2025-01-01T00%3A00%3A00Z&end=2025-01-31T23%3A59%3A59Z&limit=1000&page=0&deployment={deployment}&endpoint={endpoint}&method={method}", raw);
    }

    [Fact]
    public async Task Requests_single_valued_filters_replace_earlier_values()
    {
        var raw = await ListOnceAsync(new RequestsQuery().Between(From, To)
            .WithAccessor("acc-1").WithAccessor("acc-2").WithRequestId("r-1").WithRequestId("r-2")
            .WithStatus(RequestStatus.Failed).WithStatus(RequestStatus.Succeeded).WithPageSize(3).WithPageSize(7));

        Assert.Equal("start=2025-01-01T00%3A00%3A00Z&end=2025-01-31T23%3A59%3A59Z&limit=7&page=0&accessor=acc-2&request_id=r-2&status=succeeded", raw);
    }

    public static TheoryData<DateTimeOffset, string> RequestTimes => new()
    {
        // offset kept and encoded (+ as %2B, : as %3A), never turned into a date even at midnight
        { new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.FromHours(2)), "2025-01-01T00%3A00%3A00%2B02%3A00" },
        { new DateTimeOffset(2025, 1, 1, 0, 0, 0, new TimeSpan(5, 30, 0)), "2025-01-01T00%3A00%3A00%2B05%3A30" },
        { new DateTimeOffset(2025, 1, 1, 23, 15, 0, TimeSpan.FromHours(-8)), "2025-01-01T23%3A15%3A00-08%3A00" },
        // UTC as Z
        { new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), "2025-01-01T00%3A00%3A00Z" },
        // fractional seconds kept, trailing zeros dropped
        { new DateTimeOffset(2025, 1, 1, 10, 0, 0, 123, TimeSpan.Zero), "2025-01-01T10%3A00%3A00.123Z" },
        { new DateTimeOffset(2023, 10, 5, 22, 49, 3, TimeSpan.Zero).AddTicks(5_096_540), "2023-10-05T22%3A49%3A03.509654Z" },
        { new DateTimeOffset(2025, 1, 1, 10, 0, 0, TimeSpan.FromHours(1)).AddTicks(1), "2025-01-01T10%3A00%3A00.0000001%2B01%3A00" },
    };

    [Theory]
    [MemberData(nameof(RequestTimes))]
    public async Task Requests_times_keep_their_offset_and_fraction(DateTimeOffset time, string expected)
    {
        var raw = await ListOnceAsync(new RequestsQuery().Between(time, time.AddDays(1)).WithPageSize(10));

        Assert.StartsWith($"start={expected}&end=", raw);
        var end = RequestsQueryEnd(raw);
        Assert.Equal(expected.Replace("2025-01-01T", "2025-01-02T").Replace("2023-10-05T", "2023-10-06T"), end);
    }

    [Fact]
    public async Task Requests_From_alone_sends_the_start_and_pins_the_end()
    {
        var raw = await ListOnceAsync(new RequestsQuery().From(new DateTimeOffset(2025, 2, 1, 6, 0, 0, TimeSpan.FromHours(1))));

        Assert.Equal("start=2025-02-01T06%3A00%3A00%2B01%3A00&end=2025-03-01T12%3A00%3A00Z&limit=1000&page=0", raw);
    }

    [Fact]
    public async Task Requests_Until_alone_sends_only_the_end()
    {
        var raw = await ListOnceAsync(new RequestsQuery().Until(new DateTimeOffset(2025, 2, 1, 6, 0, 0, TimeSpan.FromHours(1))));

        Assert.Equal("end=2025-02-01T06%3A00%3A00%2B01%3A00&limit=1000&page=0", raw);
    }

    [Fact]
    public async Task Requests_escape_hatch_adds_repeated_parameters_in_order()
    {
        var raw = await ListOnceAsync(new RequestsQuery().Between(From, To).WithParameter("tag", "a,b").WithParameter("tag", "c"));

        Assert.Equal("start=2025-01-01T00%3A00%3A00Z&end=2025-01-31T23%3A59%3A59Z&limit=1000&page=0&tag=a%2Cb&tag=c", raw);
    }

    [Fact]
    public async Task Requests_escape_hatch_keeps_interleaved_names_in_the_order_added()
    {
        var raw = await ListOnceAsync(new RequestsQuery().Between(From, To).WithParameter("a", "1").WithParameter("b", "2").WithParameter("a", "3"));

        Assert.Equal("start=2025-01-01T00%3A00%3A00Z&end=2025-01-31T23%3A59%3A59Z&limit=1000&page=0&a=1&b=2&a=3", raw);
    }

    private static string RequestsQueryEnd(string raw)
        => raw.Split('&').Single(p => p.StartsWith("end=", StringComparison.Ordinal))["end=".Length..];

    // ------------------------------------------------------------------ /usage

    [Fact]
    public async Task Summary_without_filters_sends_no_query()
    {
        Assert.Equal("", await SummaryOnceAsync(null));
    }

    [Fact]
    public async Task Summary_sends_days_as_yyyy_MM_dd()
    {
        var raw = await SummaryOnceAsync(new UsageQuery().Between(new DateOnly(2025, 1, 1), new DateOnly(2025, 1, 31)));

        Assert.Equal("start=2025-01-01&end=2025-01-31", raw);
    }

    [Fact]
    public async Task Summary_sends_single_values_once()
    {
        var raw = await SummaryOnceAsync(new UsageQuery()
            .WithAccessors("acc-1").WithTags("dev").WithModels("m-1").WithMethods(ProcessingMethod.Sync)
            .WithDeployments(Deployment.Hosted).WithEndpoints(Endpoint.Listen));

        Assert.Equal("accessor=acc-1&tag=dev&model=m-1&method=sync&deployment=hosted&endpoint=listen", raw);
    }

    [Fact]
    public async Task Summary_sends_multi_valued_filters_as_repeated_keys()
    {
        var raw = await SummaryOnceAsync(new UsageQuery()
            .Between(new DateOnly(2025, 1, 1), new DateOnly(2025, 1, 31))
            .WithAccessors("acc-1", "acc-2").WithTags("dev", "prod").WithModels("model-uuid-1", "model-uuid-2")
            .WithMethods(ProcessingMethod.Sync, ProcessingMethod.Streaming)
            .WithDeployments(Deployment.Hosted, Deployment.SelfHosted).WithEndpoints(Endpoint.Listen, Endpoint.Speak));

        Assert.Equal(
            "start=2025-01-01&end=2025-01-31&accessor=acc-1&accessor=acc-2&tag=dev&tag=prod&model=model-uuid-1&model=model-uuid-2" +
            "&method=sync&method=streaming&deployment=hosted&deployment=self-hosted&endpoint=listen&endpoint=speak",
            raw);
    }

    [Fact]
    public async Task Summary_keeps_a_comma_or_space_inside_one_value()
    {
        var raw = await SummaryOnceAsync(new UsageQuery().WithTags("a,b", "c d", "e+f", "x=y&z"));

        Assert.Equal("tag=a%2Cb&tag=c%20d&tag=e%2Bf&tag=x%3Dy%26z", raw);
    }

    [Fact]
    public async Task Summary_multi_valued_With_called_twice_adds_and_drops_duplicates()
    {
        var raw = await SummaryOnceAsync(new UsageQuery().WithTags("dev", "dev", "prod").WithTags("prod", "qa", "dev"));

        Assert.Equal("tag=dev&tag=prod&tag=qa", raw);
    }

    [Fact]
    public async Task Summary_sends_feature_filters_lowercase_in_the_order_set()
    {
        var raw = await SummaryOnceAsync(new UsageQuery()
            .WithFeature(UsageFeature.Punctuate).WithoutFeature(UsageFeature.Diarize).WithFeature(UsageFeature.SmartFormat, true)
            .WithFeature(UsageFeature.Punctuate, false)); // replaces the value, keeps the position

        Assert.Equal("punctuate=false&diarize=false&smart_format=true", raw);
    }

    [Fact]
    public async Task Summary_sends_every_known_feature_filter_under_its_wire_name()
    {
        var q = new UsageQuery();
        var i = 0;
        foreach (var f in AllFeatures)
        {
            q = q.WithFeature(f, i++ % 2 == 0);
        }

        var raw = await SummaryOnceAsync(q);

        var expected = string.Join("&", AllFeatureNames.Select((n, k) => $"{n}={(k % 2 == 0 ? "true" : "false")}"));
        Assert.Equal(expected, raw);
    }

    [Fact]
    public async Task Summary_escape_hatch_comes_after_features_and_is_encoded()
    {
        var raw = await SummaryOnceAsync(new UsageQuery()
            .Between(new DateOnly(2025, 1, 1), new DateOnly(2025, 1, 2)).WithParameter("new_feature", "true")
            .WithFeature(UsageFeature.Diarize).WithParameter("note", "a+b c"));

        Assert.Equal("start=2025-01-01&end=2025-01-02&diarize=true&new_feature=true&note=a%2Bb%20c", raw);
    }

    [Fact]
    public async Task Summary_ignores_the_grouping()
    {
        var raw = await SummaryOnceAsync(new UsageQuery().GroupBy(UsageGrouping.Models).WithTags("dev"));

        Assert.Equal("tag=dev", raw);
    }

    // ------------------------------------------------------------------ /usage/breakdown

    [Fact]
    public async Task Breakdown_without_filters_sends_no_query()
    {
        Assert.Equal("", await BreakdownOnceAsync(null));
    }

    [Fact]
    public async Task Breakdown_sends_grouping_after_the_dates_and_every_filter()
    {
        var raw = await BreakdownOnceAsync(new UsageQuery()
            .Between(new DateOnly(2025, 1, 16), new DateOnly(2025, 1, 23))
            .WithAccessors("acc-1", "acc-2").WithTags("dev", "prod").WithMethods(ProcessingMethod.Sync, ProcessingMethod.Streaming)
            .WithModels("model-uuid-1", "model-uuid-2").WithDeployments(Deployment.Beta).WithEndpoints(Endpoint.Agent)
            .WithFeature(UsageFeature.Diarize).WithoutFeature(UsageFeature.Punctuate)
            .GroupBy(UsageGrouping.Tags).GroupBy(UsageGrouping.Models) // replaces
            .WithParameter("extra", "1"));

        Assert.Equal(
            "start=2025-01-16&end=2025-01-23&grouping=models&accessor=acc-1&accessor=acc-2&tag=dev&tag=prod" +
            "&model=model-uuid-1&model=model-uuid-2&method=sync&method=streaming&deployment=beta&endpoint=agent" +
            "&diarize=true&punctuate=false&extra=1",
            raw);
    }

    [Theory]
    [InlineData("accessor")]
    [InlineData("endpoint")]
    [InlineData("feature_set")]
    [InlineData("models")]
    [InlineData("method")]
    [InlineData("tags")]
    [InlineData("deployment")]
    [InlineData("model")] // the docs' spelling: an open value goes out as given
    public async Task Breakdown_sends_each_grouping_as_spelled(string grouping)
    {
        Assert.Equal($"grouping={grouping}", await BreakdownOnceAsync(new UsageQuery().GroupBy(grouping)));
    }

    [Fact]
    public void Known_groupings_have_the_spec_spellings()
    {
        Assert.Equal(
            ["accessor", "endpoint", "feature_set", "models", "method", "tags", "deployment"],
            new[] { UsageGrouping.Accessor, UsageGrouping.Endpoint, UsageGrouping.FeatureSet, UsageGrouping.Models, UsageGrouping.Method, UsageGrouping.Tags, UsageGrouping.Deployment }.Select(g => g.ToString()));
    }

    // ------------------------------------------------------------------ /usage/fields

    [Fact]
    public async Task Fields_send_no_query_without_dates_and_yyyy_MM_dd_with_them()
    {
        StubJson(Fields, "{}");
        var client = NewClient();

        await client.GetFieldsAsync(Project);
        await client.GetFieldsAsync(Project, new DateOnly(2025, 1, 1), new DateOnly(2025, 1, 31));
        await client.GetFieldsAsync(Project, start: new DateOnly(2024, 12, 31));
        await client.GetFieldsAsync(Project, end: new DateOnly(2025, 2, 1));
        await client.GetFieldsAsync(Project, new DateOnly(2025, 1, 5), new DateOnly(2025, 1, 5));

        Assert.Equal(["", "start=2025-01-01&end=2025-01-31", "start=2024-12-31", "end=2025-02-01", "start=2025-01-05&end=2025-01-05"], RawQueries);
        Assert.All(Sent, e => Assert.Equal(Fields, e.RequestMessage!.Path));
    }

    // ------------------------------------------------------------------ features

    /// <summary>The 36 feature filters of API-NOTES §4, in its order.</summary>
    public static readonly string[] AllFeatureNames =
    [
        "alternatives", "callback_method", "callback", "channels", "custom_intent_mode", "custom_intent", "custom_topic_mode", "custom_topic",
        "detect_entities", "detect_language", "diarize", "dictation", "encoding", "extra", "filler_words", "intents", "keyterm", "keywords",
        "language", "measurements", "multichannel", "numerals", "paragraphs", "profanity_filter", "punctuate", "redact", "replace",
        "sample_rate", "search", "sentiment", "smart_format", "summarize", "topics", "utt_split", "utterances", "version",
    ];

    private static IEnumerable<UsageFeature> AllFeatures => AllFeatureNames.Select(n =>
        (UsageFeature)typeof(UsageFeature).GetProperties(BindingFlags.Public | BindingFlags.Static)
            .Single(p => p.PropertyType == typeof(UsageFeature) && ((UsageFeature)p.GetValue(null)!).ToString() == n)
            .GetValue(null)!);

    [Fact]
    public void UsageFeature_has_a_named_value_for_each_of_the_36_filters()
    {
        var named = typeof(UsageFeature).GetProperties(BindingFlags.Public | BindingFlags.Static)
            .Where(p => p.PropertyType == typeof(UsageFeature))
            .Select(p => ((UsageFeature)p.GetValue(null)!).ToString())
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Equal(AllFeatureNames.Order(StringComparer.Ordinal), named);
    }
}
