using Microsoft.Extensions.Time.Testing;
using UsageSdk.Testing;

namespace UsageSdk.Tests.Testing;

/// <summary>The seeded generator: deterministic, and realistic enough to exercise every model path.</summary>
public sealed class FakeDataTests
{
    private static readonly FakeUsageApi Api = FakeSetup.Create(days: 20, perDay: 150);

    [Fact]
    public void Same_seed_and_clock_give_the_same_data_and_another_seed_differs()
    {
        var a = FakeSetup.Create(seed: 7);
        var b = FakeSetup.Create(seed: 7);
        var c = FakeSetup.Create(seed: 8);

        Assert.Equal(a.Requests.Select(UsageJson.Serialize), b.Requests.Select(UsageJson.Serialize));
        Assert.Equal(a.Projects.SelectMany(p => p.ApiKeys).Select(k => k.Accessor), b.Projects.SelectMany(p => p.ApiKeys).Select(k => k.Accessor));
        Assert.NotEqual(a.Requests.Select(r => r.RequestId), c.Requests.Select(r => r.RequestId));
    }

    [Fact]
    public void Each_project_gets_the_same_logs_whichever_project_is_read_first()
    {
        // Logs are generated when a project is first read, in project order from one generator: replacing one
        // project's logs before anything was read, then reading the last project first, changes no other project's.
        var inOrder = FakeSetup.Create(seed: 7);
        var lastFirst = FakeSetup.Create(seed: 7);
        var ids = inOrder.Projects.Select(p => p.ProjectId).ToArray();
        Assert.Equal(3, ids.Length);

        lastFirst.ReplaceRequests(ids[1], []);
        var last = lastFirst.GetRequests(ids[2]).Select(UsageJson.Serialize).ToList();

        Assert.NotEmpty(last);
        Assert.Equal(inOrder.GetRequests(ids[2]).Select(UsageJson.Serialize), last);
        Assert.Equal(inOrder.GetRequests(ids[0]).Select(UsageJson.Serialize), lastFirst.GetRequests(ids[0]).Select(UsageJson.Serialize));
        Assert.NotEmpty(inOrder.GetRequests(ids[1]));
        Assert.Empty(lastFirst.GetRequests(ids[1]));
    }

    [Fact]
    public void Data_covers_the_range_up_to_the_clock_newest_first()
    {
        var requests = Api.GetRequests(FakeSetup.P);
        Assert.True(requests.Count > 1000, $"only {requests.Count} requests");
        Assert.All(requests, r => Assert.True(r.Created < FakeSetup.Now));
        Assert.Equal(FakeSetup.Now.UtcDateTime.Date.AddDays(-19), requests[^1].Created.UtcDateTime.Date);
        Assert.Equal(requests.OrderByDescending(r => r.Created).Select(r => r.RequestId), requests.Select(r => r.RequestId));
        Assert.Equal(requests.Count, requests.Select(r => r.RequestId).Distinct().Count());
    }

    [Fact]
    public void Projects_keys_models_and_tags_are_varied()
    {
        Assert.Equal(3, Api.Projects.Count);
        Assert.Contains(Api.Projects, p => p.ProjectId == FakeUsageApi.DemoProjectId);
        Assert.Contains(Api.Projects, p => p.IsContract);
        Assert.All(Api.Projects, p => Assert.True(p.ApiKeys.Count >= 2));
        var requests = Api.GetRequests(FakeSetup.P);
        Assert.True(requests.Select(r => r.Accessor).Distinct().Count() >= 3);
        var details = requests.Select(r => r.Response?.Details).OfType<RequestDetails>().ToList();
        Assert.True(details.SelectMany(d => d.Models).Distinct().Count() >= 5);
        Assert.Contains(details, d => d.Tags.Count >= 2);
        Assert.Equal(["async", "streaming", "sync"], details.Select(d => d.Method?.ToString()).OfType<string>().Distinct().Order());
        Assert.Equal(["agent", "listen", "read", "speak"], requests.Select(FakeSetup.Endpoint).OfType<string>().Distinct().Order());
        Assert.Contains(requests, r => r.Deployment == Deployment.Beta);
    }

    [Fact]
    public void Read_and_agent_have_tokens_speak_has_tts_and_async_has_an_object_callback()
    {
        var requests = Api.GetRequests(FakeSetup.P).Where(r => r.Response?.Details is not null).ToList();
        Assert.All(requests.Where(r => FakeSetup.Endpoint(r) is "read" or "agent"), r => Assert.NotEmpty(r.Response!.TokenDetails));
        Assert.All(requests.Where(r => FakeSetup.Endpoint(r) == "speak"), r =>
        {
            Assert.NotNull(r.Response!.TtsDetails);
            Assert.True(r.Response.TtsDetails!.Characters > 0);
        });
        var async = requests.Where(r => r.Response!.Details!.Method == ProcessingMethod.Async).ToList();
        Assert.NotEmpty(async);
        Assert.All(async, r => Assert.NotNull(r.Callback?.Attempts));
        Assert.All(requests.Where(r => FakeSetup.Endpoint(r) == "listen"), r =>
        {
            var d = r.Response!.Details!;
            Assert.True(d.Duration > 0);
            Assert.Equal(d.Duration!.Value * d.Channels!.Value, d.TotalAudio!.Value, 6);
            Assert.True(d.Usd > 0);
        });
    }

    [Fact]
    public void Contract_project_requests_carry_no_cost()
    {
        var contract = Api.Projects.Single(p => p.IsContract);
        var details = Api.GetRequests(contract.ProjectId).Select(r => r.Response?.Details).OfType<RequestDetails>().ToList();
        Assert.NotEmpty(details);
        Assert.All(details, d => Assert.True(d.Usd is null or 0m));
        Assert.Contains(details, d => d.Usd is null);
    }

    [Fact]
    public void Failed_pending_and_lost_requests_exist_with_the_right_shapes()
    {
        var options = new RequestLogStateOptions();
        var requests = Api.GetRequests(FakeSetup.P);
        var failed = requests.Where(r => r.EffectiveCode >= 400).ToList();
        Assert.NotEmpty(failed);
        Assert.All(failed, r =>
        {
            Assert.False(string.IsNullOrEmpty(r.Response?.Message));
            Assert.Null(r.Response!.Details);
        });
        var states = requests.Select(r => options.Derive(r, FakeSetup.Now)).ToList();
        Assert.Contains(RequestLogState.Pending, states);
        Assert.Contains(RequestLogState.Lost, states);
        Assert.Contains(RequestLogState.Error, states);
        // A request without a response is either still running (recent) or lost (old), never in between.
        Assert.All(requests.Where(r => r.Response is null || r.Response.IsEmpty), r =>
            Assert.True(FakeSetup.Now - r.Created < TimeSpan.FromHours(3) || FakeSetup.Now - r.Created > TimeSpan.FromDays(1), r.Created.ToString("O")));
    }

    [Fact]
    public void Traffic_is_busier_in_working_hours_and_on_weekdays()
    {
        var requests = Api.GetRequests(FakeSetup.P);
        var work = requests.Count(r => r.Created.Hour is >= 9 and < 17) / 8.0;
        var night = requests.Count(r => r.Created.Hour is >= 0 and < 6) / 6.0;
        Assert.True(work > 3 * night, $"working hours {work:0.0}/h vs night {night:0.0}/h");
        var weekday = requests.Count(r => r.Created.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)) / (double)requests.Select(r => r.Created.Date).Distinct().Count(d => d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday));
        var weekend = requests.Count(r => r.Created.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday) / (double)requests.Select(r => r.Created.Date).Distinct().Count(d => d.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday);
        Assert.True(weekday > 1.5 * weekend, $"weekday {weekday:0} vs weekend {weekend:0} per day");
    }

    [Fact]
    public void Start_option_generates_any_range_and_zero_days_generates_nothing()
    {
        var api = new FakeUsageApi(new FakeUsageApiOptions { Start = new DateOnly(2025, 3, 1), RequestsPerDay = 40, TimeProvider = new FakeTimeProvider(FakeSetup.Now) });
        Assert.Equal(new DateTime(2025, 3, 1), api.GetRequests(FakeSetup.P)[^1].Created.UtcDateTime.Date);
        var empty = new FakeUsageApi(new FakeUsageApiOptions { Days = 0, TimeProvider = new FakeTimeProvider(FakeSetup.Now) });
        Assert.Empty(empty.Requests);
    }
}
