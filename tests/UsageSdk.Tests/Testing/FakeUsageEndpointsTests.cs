using System.Net;
using UsageSdk.Testing;

namespace UsageSdk.Tests.Testing;

/// <summary>/usage, /usage/breakdown and /usage/fields of the fake, through the real UsageClient.</summary>
public sealed class FakeUsageEndpointsTests
{
    private static readonly FakeUsageApi Api = FakeSetup.Create(days: 14, perDay: 120);
    private static readonly DateOnly Start = new(2025, 3, 3);
    private static readonly DateOnly End = new(2025, 3, 12);

    private static List<UsageRequest> Billable(Func<UsageRequest, bool>? where = null) => Api.GetRequests(FakeSetup.P)
        .Where(r => r.Response?.Details is not null)
        .Where(r => DateOnly.FromDateTime(r.Created.UtcDateTime) is var d && d >= Start && d <= End)
        .Where(r => where?.Invoke(r) ?? true)
        .ToList();

    [Fact]
    public async Task Summary_has_one_result_per_day_with_the_expected_totals()
    {
        var client = FakeSetup.Client(Api);
        var summary = await client.GetSummaryAsync(FakeSetup.P, new UsageQuery().Between(Start, End));

        Assert.Equal(Start, summary.Start);
        Assert.Equal(End, summary.End);
        Assert.Equal("day", summary.Resolution?.Units);
        Assert.Equal(10, summary.Results.Count);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => Start.AddDays(i)), summary.Results.Select(r => r.Start!.Value));
        var expected = Billable();
        Assert.Equal(expected.Count, summary.Results.Sum(r => r.Requests));
        Assert.Equal(expected.Where(r => FakeSetup.Endpoint(r) != "agent").Sum(r => r.Response!.Details!.Duration ?? 0) / 3600, summary.Results.Sum(r => r.Hours), 4);
        Assert.Equal(expected.Sum(r => r.Response!.Details!.TotalAudio ?? r.Response.Details.Duration ?? 0) / 3600, summary.Results.Sum(r => r.TotalHours), 4);
        Assert.Equal(expected.Sum(r => r.Response!.TokenDetails.Sum(t => t.Input ?? 0)), summary.Results.Sum(r => r.Tokens!.In));
        Assert.Equal(expected.Sum(r => r.Response!.TtsDetails?.Characters ?? 0), summary.Results.Sum(r => r.Tts!.Characters));
        Assert.Equal(expected.Count(r => r.Response!.TtsDetails is not null), summary.Results.Sum(r => r.Tts!.Requests));
        var day = new DateOnly(2025, 3, 7);
        Assert.Equal(expected.Count(r => DateOnly.FromDateTime(r.Created.UtcDateTime) == day), summary.Results.Single(r => r.Start == day).Requests);
    }

    [Fact]
    public async Task Repeated_tags_models_and_methods_are_ored()
    {
        var client = FakeSetup.Client(Api);
        string[] tags = ["customer:acme", "tier:premium"];
        var byTags = await client.GetSummaryAsync(FakeSetup.P, new UsageQuery().Between(Start, End).WithTags(tags));
        Assert.Equal(Billable(r => r.Response!.Details!.Tags.Intersect(tags).Any()).Count, byTags.Results.Sum(r => r.Requests));
        Assert.Equal(["tag=customer%3Aacme", "tag=tier%3Apremium"], Api.RecordedRequests[^1].Query.Split('&').Where(p => p.StartsWith("tag=", StringComparison.Ordinal)));

        var models = Api.Models.Where(m => m.Name is "nova-2" or "whisper-large").Select(m => m.ModelId).ToArray();
        var byModels = await client.GetSummaryAsync(FakeSetup.P, new UsageQuery().Between(Start, End).WithModels(models));
        Assert.Equal(Billable(r => r.Response!.Details!.Models.Intersect(models).Any()).Count, byModels.Results.Sum(r => r.Requests));

        var byMethods = await client.GetSummaryAsync(FakeSetup.P, new UsageQuery().Between(Start, End).WithMethods(ProcessingMethod.Sync, ProcessingMethod.Async));
        Assert.Equal(Billable(r => r.Response!.Details!.Method != ProcessingMethod.Streaming).Count, byMethods.Results.Sum(r => r.Requests));

        var accessor = Billable()[0].Accessor!;
        var byAccessor = await client.GetSummaryAsync(FakeSetup.P, new UsageQuery().Between(Start, End).WithAccessors(accessor).WithEndpoints(Endpoint.Listen));
        Assert.Equal(Billable(r => r.Accessor == accessor && FakeSetup.Endpoint(r) == "listen").Count, byAccessor.Results.Sum(r => r.Requests));
    }

    [Fact]
    public async Task Feature_filters_true_are_ored_and_false_are_anded()
    {
        var client = FakeSetup.Client(Api);
        var q = new UsageQuery().Between(Start, End)
            .WithFeature(UsageFeature.Diarize).WithFeature(UsageFeature.SmartFormat)
            .WithoutFeature(UsageFeature.Punctuate).WithoutFeature(UsageFeature.Utterances);
        var summary = await client.GetSummaryAsync(FakeSetup.P, q);

        var expected = Billable(r =>
        {
            var f = r.Response!.Details!.Features;
            return (f.Contains("diarize") || f.Contains("smart_format")) && !f.Contains("punctuate") && !f.Contains("utterances");
        }).Count;
        Assert.True(expected > 0);
        Assert.Equal(expected, summary.Results.Sum(r => r.Requests));
    }

    [Theory]
    [InlineData("accessor")]
    [InlineData("endpoint")]
    [InlineData("feature_set")]
    [InlineData("models")]
    [InlineData("method")]
    [InlineData("tags")]
    [InlineData("deployment")]
    public async Task Breakdown_groups_per_day_and_key_and_adds_up(string grouping)
    {
        var client = FakeSetup.Client(Api);
        var breakdown = await client.GetBreakdownAsync(FakeSetup.P, new UsageQuery().Between(Start, End).GroupBy(new UsageGrouping(grouping)));
        var expected = Billable();

        Assert.Equal(expected.Count, breakdown.Results.Sum(r => r.Requests));
        Func<UsageRequest, string> key = grouping switch
        {
            "accessor" => r => r.Accessor!,
            "endpoint" => r => FakeSetup.Endpoint(r)!,
            "feature_set" => r => string.Join(",", r.Response!.Details!.Features.Order(StringComparer.Ordinal)),
            "models" => r => string.Join(";", r.Response!.Details!.Models),
            "method" => r => r.Response!.Details!.Method.ToString()!,
            "tags" => r => string.Join(";", r.Response!.Details!.Tags),
            _ => r => r.Deployment.ToString()!,
        };
        Func<UsageBreakdownGrouping, string?> actualKey = grouping switch
        {
            "accessor" => g => g.Accessor,
            "endpoint" => g => g.Endpoint,
            "feature_set" => g => g.FeatureSet,
            "models" => g => string.Join(";", g.Models),
            "method" => g => g.Method,
            "tags" => g => string.Join(";", g.Tags ?? []),
            _ => g => g.Deployment,
        };
        var expectedGroups = expected.GroupBy(r => (DateOnly.FromDateTime(r.Created.UtcDateTime), key(r))).ToDictionary(g => g.Key, g => (long)g.Count());
        var actualGroups = breakdown.Results.ToDictionary(r => (r.Grouping!.Start!.Value, actualKey(r.Grouping)!), r => r.Requests!.Value);
        Assert.Equal(expectedGroups.OrderBy(p => p.Key), actualGroups.OrderBy(p => p.Key));
        Assert.All(breakdown.Results, r => Assert.Equal(r.Grouping!.Start, r.Grouping.End));
    }

    [Fact]
    public async Task Breakdown_without_grouping_is_one_result_per_day_with_agent_hours()
    {
        var client = FakeSetup.Client(Api);
        var breakdown = await client.GetBreakdownAsync(FakeSetup.P, new UsageQuery().Between(Start, End));
        Assert.Equal(10, breakdown.Results.Count);
        Assert.All(breakdown.Results, r => Assert.Null(r.Grouping!.Accessor));
        Assert.Equal(Billable(r => FakeSetup.Endpoint(r) == "agent").Sum(r => r.Response!.Details!.Duration ?? 0) / 3600, breakdown.Results.Sum(r => r.AgentHours), 4);
        Assert.Equal(Billable().Sum(r => r.Response!.TokenDetails.Sum(t => t.Output ?? 0)), breakdown.Results.Sum(r => r.TokensOut));
    }

    [Fact]
    public async Task Bad_grouping_feature_value_or_dates_are_400()
    {
        using var http = FakeSetup.Raw(Api);
        foreach (var query in new[] { "grouping=colour", "diarize=maybe", "start=2025-03-12&end=2025-03-01", "start=yesterday" })
        {
            using var response = await http.GetAsync($"/v1/projects/{FakeSetup.P}/usage/breakdown?{query}");
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }
    }

    [Fact]
    public async Task Fields_list_what_the_range_used()
    {
        var client = FakeSetup.Client(Api);
        var fields = await client.GetFieldsAsync(FakeSetup.P, Start, End);
        var expected = Billable();

        Assert.Equal(expected.SelectMany(r => r.Response!.Details!.Tags).Distinct().Order(StringComparer.Ordinal), fields.Tags);
        Assert.Equal(expected.SelectMany(r => r.Response!.Details!.Features).Distinct().Order(StringComparer.Ordinal), fields.Features);
        Assert.Equal(["async", "streaming", "sync"], fields.ProcessingMethods);
        Assert.Contains("en", fields.Languages);
        var nova3 = Assert.Single(fields.Models, m => m.Name == "nova-3");
        Assert.Equal(Api.Models.Single(m => m.Name == "nova-3").ModelId, nova3.ModelId);
        Assert.Equal(expected.SelectMany(r => r.Response!.Details!.Models).Distinct().Count(), fields.Models.Count);
    }
}
