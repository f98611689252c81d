using UsageSdk.Testing;

namespace UsageSdk.Tests.Testing;

/// <summary>
/// The fake's cost half agrees with its request logs: billing dollars per day, per key (accessor), per line item and
/// per tag combination are the sums of the logs' usd; keys and models carry the demo's names; balances are a credit
/// less the cost (issue 22.1).
/// </summary>
public sealed class FakeCostEndpointsTests
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(FakeSetup.Now.UtcDateTime);

    private static IEnumerable<UsageRequest> Billed(FakeUsageApi api, string project)
        => api.GetRequests(project).Where(r => r.Response?.Details?.Usd is not null);

    private static DateOnly Day(UsageRequest r) => DateOnly.FromDateTime(r.Created.UtcDateTime);

    [Fact]
    public async Task Billing_per_day_is_the_sum_of_the_logs_usd_that_day()
    {
        var api = FakeSetup.Create();
        var start = Today.AddDays(-9);

        var b = await FakeSetup.Client(api).GetBillingBreakdownAsync(FakeSetup.P, new BillingQuery().Between(start, Today));

        var expected = Billed(api, FakeSetup.P).GroupBy(Day).ToDictionary(g => g.Key, g => g.Sum(r => r.Response!.Details!.Usd!.Value));
        Assert.Equal(10, b.Results.Count); // one row per day of the range
        Assert.All(b.Results, r => Assert.Equal(r.Grouping!.Start, r.Grouping.End));
        Assert.Equal(expected.OrderBy(p => p.Key).Select(p => (p.Key, p.Value)), b.Results.Where(r => r.Dollars != 0).Select(r => (r.Grouping!.Start!.Value, r.Dollars)));
        Assert.True(b.TotalDollars > 10m, $"total {b.TotalDollars}");
        Assert.Equal(Billed(api, FakeSetup.P).Sum(r => r.Response!.Details!.Usd!.Value), b.TotalDollars);
        Assert.Equal((start, Today), (b.Start!.Value, b.End!.Value));
        Assert.Equal(("day", 1), (b.Resolution!.Units, b.Resolution.Amount!.Value));
    }

    [Fact]
    public async Task Billing_per_key_and_per_line_item_adds_up_to_the_logs()
    {
        var api = FakeSetup.Create();
        var client = FakeSetup.Client(api);
        var q = new BillingQuery().Between(Today.AddDays(-9), Today);

        var byKey = await client.GetBillingBreakdownAsync(FakeSetup.P, q.GroupBy(BillingGrouping.Accessor));
        var byItem = await client.GetBillingBreakdownAsync(FakeSetup.P, q.GroupBy(BillingGrouping.LineItem));
        var byBoth = await client.GetBillingBreakdownAsync(FakeSetup.P, q.GroupBy(BillingGrouping.Accessor, BillingGrouping.LineItem));

        var logs = Billed(api, FakeSetup.P).ToList();
        Assert.Equal(
            logs.GroupBy(r => r.Accessor!).Select(g => (g.Key, g.Sum(r => r.Response!.Details!.Usd!.Value))).OrderBy(p => p.Key, StringComparer.Ordinal),
            byKey.Results.GroupBy(r => r.Grouping!.Accessor!).Select(g => (g.Key, g.Sum(r => r.Dollars))).OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal(
            logs.GroupBy(r => FakeUsageApi.LineItemOf(r)!).Select(g => (g.Key, g.Sum(r => r.Response!.Details!.Usd!.Value))).OrderBy(p => p.Key, StringComparer.Ordinal),
            byItem.Results.GroupBy(r => r.Grouping!.LineItem!).Select(g => (g.Key, g.Sum(r => r.Dollars))).OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal(
            logs.GroupBy(r => (Day(r), r.Accessor, FakeUsageApi.LineItemOf(r))).Select(g => (g.Key, g.Sum(r => r.Response!.Details!.Usd!.Value))).OrderBy(p => p.Key),
            byBoth.Results.Select(r => ((r.Grouping!.Start!.Value, r.Grouping.Accessor, r.Grouping.LineItem), r.Dollars)).OrderBy(p => p.Item1));
        Assert.All(byKey.Results, r => Assert.Null(r.Grouping!.LineItem));
        Assert.All(byItem.Results, r => Assert.Null(r.Grouping!.Accessor));
        Assert.Equal(byKey.TotalDollars, byItem.TotalDollars);
        Assert.Equal(byKey.TotalDollars, byBoth.TotalDollars);
        Assert.Equal(api.Projects[0].ApiKeys.Select(k => k.Accessor).Order(StringComparer.Ordinal), byKey.Results.Select(r => r.Grouping!.Accessor!).Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Billing_filters_keep_exactly_the_matching_logs()
    {
        var api = FakeSetup.Create();
        var client = FakeSetup.Client(api);
        var logs = Billed(api, FakeSetup.P).ToList();
        var accessor = api.Projects[0].ApiKeys[1].Accessor;
        var lineItem = FakeUsageApi.LineItemOf(logs[0])!;

        decimal Sum(Func<UsageRequest, bool> keep) => logs.Where(keep).Sum(r => r.Response!.Details!.Usd!.Value);

        Assert.Equal(Sum(r => r.Accessor == accessor), (await client.GetBillingBreakdownAsync(FakeSetup.P, new BillingQuery().WithAccessor(accessor))).TotalDollars);
        Assert.Equal(Sum(r => FakeUsageApi.LineItemOf(r) == lineItem), (await client.GetBillingBreakdownAsync(FakeSetup.P, new BillingQuery().WithLineItem(lineItem))).TotalDollars);
        Assert.Equal(Sum(r => r.Response!.Details!.Tags.Contains("prod")), (await client.GetBillingBreakdownAsync(FakeSetup.P, new BillingQuery().WithTag("prod"))).TotalDollars);
        Assert.Equal(Sum(r => r.Deployment == Deployment.Beta), (await client.GetBillingBreakdownAsync(FakeSetup.P, new BillingQuery().WithDeployment(Deployment.Beta))).TotalDollars);
        Assert.Equal(0m, (await client.GetBillingBreakdownAsync(FakeSetup.P, new BillingQuery().WithDeployment("dedicated"))).TotalDollars);
        Assert.True(Sum(r => r.Accessor == accessor) > 0);
    }

    [Fact]
    public async Task Billing_by_tags_has_one_row_per_day_and_tag_combination()
    {
        var api = FakeSetup.Create();

        var b = await FakeSetup.Client(api).GetBillingBreakdownAsync(FakeSetup.P, new BillingQuery().GroupBy(BillingGrouping.Tags));

        var expected = Billed(api, FakeSetup.P).GroupBy(r => (Day(r), string.Join("|", r.Response!.Details!.Tags)))
            .Select(g => (g.Key, g.Sum(r => r.Response!.Details!.Usd!.Value))).OrderBy(p => p.Key);
        Assert.Equal(expected, b.Results.Select(r => ((r.Grouping!.Start!.Value, string.Join("|", r.Grouping.Tags!)), r.Dollars)).OrderBy(p => p.Item1));
    }

    [Fact]
    public async Task Billing_rejects_an_unknown_grouping_and_deployment()
    {
        var api = FakeSetup.Create();
        var client = FakeSetup.Client(api);

        var grouping = await Assert.ThrowsAsync<UsageApiException>(() => client.GetBillingBreakdownAsync(FakeSetup.P, new BillingQuery().GroupBy("models")));
        var deployment = await Assert.ThrowsAsync<UsageApiException>(() => client.GetBillingBreakdownAsync(FakeSetup.P, new BillingQuery().WithDeployment("moon")));

        Assert.Equal(400, grouping.Status);
        Assert.Contains("grouping must be one of accessor, deployment, line_item, tags", grouping.Message, StringComparison.Ordinal);
        Assert.Equal(400, deployment.Status);
    }

    [Fact]
    public async Task A_contract_project_bills_nothing_from_its_logs_and_has_a_balance_in_hours()
    {
        var api = FakeSetup.Create();
        var contract = api.Projects.Single(p => p.IsContract);
        var client = FakeSetup.Client(api);

        var b = await client.GetBillingBreakdownAsync(contract.ProjectId);
        var balance = Assert.Single(await client.GetBalancesAsync(contract.ProjectId));

        Assert.Equal(Billed(api, contract.ProjectId).Sum(r => r.Response!.Details!.Usd!.Value), b.TotalDollars);
        Assert.Equal(0m, b.TotalDollars); // its logs carry usd 0 or none
        Assert.Equal("hour", balance.Units);
        Assert.False(balance.IsUsd);
        Assert.InRange(balance.Amount, 500m, 1500m);
    }

    [Fact]
    public async Task Billing_fields_list_what_was_billed_with_line_item_descriptions()
    {
        var api = FakeSetup.Create();

        var f = await FakeSetup.Client(api).GetBillingFieldsAsync(FakeSetup.P);

        var logs = Billed(api, FakeSetup.P).ToList();
        Assert.Equal(logs.Select(r => r.Accessor!).Distinct().Order(StringComparer.Ordinal), f.Accessors);
        Assert.Equal(logs.Select(FakeUsageApi.LineItemOf).Distinct().Order(StringComparer.Ordinal), f.LineItems.Keys);
        Assert.Equal("Nova-3 (Stream)", f.LineItems["streaming::nova-3"]);
        Assert.Equal("Aura-2-thalia-en (Sync)", f.LineItems["sync::aura-2-thalia-en"]);
        Assert.Contains("hosted", f.Deployments);
        Assert.Contains("prod", f.Tags);
    }

    [Fact]
    public void The_line_item_of_a_request_is_its_method_and_the_model_it_asked_for()
    {
        var api = FakeSetup.Create();
        var logs = api.GetRequests(FakeSetup.P);

        string? Item(Endpoint e) => logs.Where(r => Endpoint.FromPath(r.Path) == e && r.Response?.Details is not null).Select(FakeUsageApi.LineItemOf).FirstOrDefault();

        Assert.Matches("^(sync|async|streaming)::(nova-3|nova-2|nova-3-medical|whisper-large)$", Item(Endpoint.Listen));
        Assert.Matches("^(sync|streaming)::aura-2-(thalia|orion)-en$", Item(Endpoint.Speak));
        Assert.Equal("sync::text-intelligence", Item(Endpoint.Read)); // no config model: the first model's name
        Assert.Equal("streaming::agent-gpt-4o-mini", Item(Endpoint.Agent));
        Assert.Null(FakeUsageApi.LineItemOf(logs.First(r => r.Response?.Details is null)));
        Assert.Equal("sync::nova-3", FakeUsageApi.LineItemOf(UsageModelFactory.UsageRequest("r", FakeSetup.P, response: UsageModelFactory.RequestResponse(
            UsageModelFactory.RequestDetails(usd: 1m, method: ProcessingMethod.Sync, configJson: """{"model":"nova-3"}""")))));
    }

    [Fact]
    public async Task Keys_carry_the_demo_names_as_comments_and_no_secret()
    {
        var api = FakeSetup.Create();
        var project = api.Projects[0];

        var keys = await FakeSetup.Client(api).GetKeysAsync(FakeSetup.P);

        Assert.Equal(project.ApiKeys.Select(k => (k.ApiKeyId, k.Name)), keys.Select(k => (k.ApiKeyId!, k.Comment!)));
        Assert.Equal(["web-backend", "batch-transcriber", "voice-agent", "mobile-app"], keys.Select(k => k.Comment));
        Assert.Equal(["admin"], keys[0].Scopes);
        Assert.All(keys.Skip(1), k => Assert.Equal(["member"], k.Scopes));
        Assert.All(keys, k => Assert.True(k.Created < FakeSetup.Now.AddDays(-10), $"{k.Created}"));
        Assert.All(keys, k => Assert.EndsWith("@acme.example", k.MemberEmail, StringComparison.Ordinal));
        Assert.Equal("""{"api_keys":[]}""", await FakeSetup.Raw(api).GetStringAsync($"/v1/projects/{FakeSetup.P}/keys?status=expired"));
    }

    [Fact]
    public async Task Models_name_every_speech_model_the_logs_use()
    {
        var api = FakeSetup.Create();
        var client = FakeSetup.Client(api);

        var latest = await client.GetModelsAsync(FakeSetup.P);
        var outdated = await client.GetModelsAsync(FakeSetup.P, includeOutdated: true);

        var used = api.GetRequests(FakeSetup.P).SelectMany(r => r.Response?.Details?.Models ?? []).Distinct().ToList();
        foreach (var id in used)
        {
            var model = api.Models.Single(m => m.ModelId == id);
            var expected = model.Endpoint == Endpoint.Listen || model.Endpoint == Endpoint.Speak ? model.Name : id;
            Assert.Equal(expected, latest.FindName(id)); // text intelligence and agent models are not listed (names via /usage/fields)
        }
        Assert.Equal("thalia", latest.Find(api.Models.Single(m => m.Name == "aura-2-thalia-en").ModelId)!.Name);
        Assert.Equal(4, latest.Stt.Count);
        Assert.Equal(6, outdated.Stt.Count);
        Assert.Equal(2, outdated.Stt.Count(m => m.Name == "nova-3"));
        Assert.Equal(latest.Tts.Count, outdated.Tts.Count);
    }

    [Fact]
    public async Task Projects_list_the_generated_projects_by_name()
    {
        var api = FakeSetup.Create();
        var client = FakeSetup.Client(api);

        var projects = await client.GetProjectsAsync();
        var one = await client.GetProjectAsync(FakeSetup.P);

        Assert.Equal(api.Projects.Select(p => (p.ProjectId, p.Name)), projects.Select(p => (p.ProjectId!, p.Name!)));
        Assert.Equal("Acme Voice (production)", one.Name);
        Assert.Equal(404, (await Assert.ThrowsAsync<UsageApiException>(() => client.GetProjectAsync("00000000-0000-4000-8000-000000000001"))).Status);
    }

    [Fact]
    public async Task A_balance_is_a_round_credit_less_the_cost_of_the_logs()
    {
        var api = FakeSetup.Create();
        var client = FakeSetup.Client(api);

        var balance = Assert.Single(await client.GetBalancesAsync(FakeSetup.P));
        var one = await client.GetBalanceAsync(FakeSetup.P, balance.BalanceId!);

        var cost = Billed(api, FakeSetup.P).Sum(r => r.Response!.Details!.Usd!.Value);
        Assert.Equal("usd", balance.Units);
        Assert.InRange(balance.Amount, 200m, 300m);
        var credit = balance.Amount + cost;
        Assert.Equal(0m, credit % 100m);
        Assert.Equal((balance.BalanceId, balance.Amount, balance.PurchaseOrderId), (one.BalanceId, one.Amount, one.PurchaseOrderId));
        Assert.Equal(404, (await Assert.ThrowsAsync<UsageApiException>(() => client.GetBalanceAsync(FakeSetup.P, "nope"))).Status);
        // The same seed and clock give the same ids.
        Assert.Equal(balance.BalanceId, Assert.Single(await FakeSetup.Client(FakeSetup.Create()).GetBalancesAsync(FakeSetup.P)).BalanceId);
    }
}
