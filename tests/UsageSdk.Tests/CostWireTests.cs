using System.Text.Json;
using UsageSdk.Tests.Infrastructure;

namespace UsageSdk.Tests;

/// <summary>
/// The cost half's calls on the wire (issue 22.1): the exact path, query (WireMock's RawQuery) and headers of each call
/// and of every BillingQuery filter, and what each answer is read into.
/// </summary>
public sealed class CostWireTests(WireMockFixture wm) : CoreTestBase(wm)
{
    private const string P = "/v1/projects/proj-1";
    private static readonly DateOnly Jan1 = new(2025, 1, 1);
    private static readonly DateOnly Jan31 = new(2025, 1, 31);

    private (string Path, string Query) Single()
    {
        var e = Assert.Single(Sent).RequestMessage!;
        return (e.Path, Raw(Assert.Single(Sent)));
    }

    private async Task<string> BillingQueryAsync(BillingQuery? query)
    {
        StubJson(P + "/billing/breakdown", """{"start":"2025-01-01","end":"2025-01-31","resolution":{"units":"day","amount":1},"results":[]}""");
        await NewClient().GetBillingBreakdownAsync(Project, query);
        var (path, raw) = Single();
        Assert.Equal(P + "/billing/breakdown", path);
        return raw;
    }

    // ------------------------------------------------------------------ paths, queries, headers

    [Fact]
    public async Task Every_call_sends_a_GET_to_its_path_with_the_key_and_no_query()
    {
        StubJson("/v1/projects", """{"projects":[]}""");
        StubJson(P, """{"project_id":"proj-1"}""");
        StubJson(P + "/keys", """{"api_keys":[]}""");
        StubJson(P + "/models", """{"stt":[],"tts":[]}""");
        StubJson(P + "/billing/fields", "{}");
        StubJson(P + "/balances", """{"balances":[]}""");
        StubJson(P + "/balances/bal-1", """{"balance_id":"bal-1"}""");
        var client = NewClient();

        await client.GetProjectsAsync();
        await client.GetProjectAsync(Project);
        await client.GetKeysAsync(Project);
        await client.GetModelsAsync(Project);
        await client.GetBillingFieldsAsync(Project);
        await client.GetBalancesAsync(Project);
        await client.GetBalanceAsync(Project, "bal-1");

        Assert.Equal(
            ["/v1/projects", P, P + "/keys", P + "/models", P + "/billing/fields", P + "/balances", P + "/balances/bal-1"],
            Sent.Select(e => e.RequestMessage!.Path));
        Assert.All(Sent, e =>
        {
            Assert.Equal("GET", e.RequestMessage!.Method);
            Assert.Equal("", Raw(e));
            Assert.Equal("Token " + Key, e.RequestMessage.Headers!["Authorization"].Single());
            Assert.StartsWith("UsageSdk/", string.Join(" ", e.RequestMessage.Headers!["User-Agent"]), StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task A_bearer_token_is_sent_as_Bearer()
    {
        StubJson("/v1/projects", """{"projects":[]}""");

        await NewClient(accessToken: "eyJ.token.x").GetProjectsAsync();

        Assert.Equal("Bearer eyJ.token.x", Assert.Single(Sent).RequestMessage!.Headers!["Authorization"].Single());
    }

    [Fact]
    public async Task Models_send_include_outdated_true_only_when_asked()
    {
        StubJson(P + "/models", """{"stt":[],"tts":[]}""");

        await NewClient().GetModelsAsync(Project, includeOutdated: true);
        await NewClient().GetModelsAsync(Project, includeOutdated: false);

        Assert.Equal(["include_outdated=true", ""], RawQueries);
    }

    [Fact]
    public async Task Billing_fields_send_their_dates_as_days()
    {
        StubJson(P + "/billing/fields", "{}");

        await NewClient().GetBillingFieldsAsync(Project, Jan1, Jan31);
        await NewClient().GetBillingFieldsAsync(Project, start: Jan1);
        await NewClient().GetBillingFieldsAsync(Project, end: Jan31);

        Assert.Equal(["start=2025-01-01&end=2025-01-31", "start=2025-01-01", "end=2025-01-31"], RawQueries);
    }

    [Fact]
    public async Task Billing_without_a_query_sends_no_parameters()
        => Assert.Equal("", await BillingQueryAsync(null));

    [Fact]
    public async Task Billing_sends_every_filter_in_a_fixed_order_with_repeated_grouping_keys()
    {
        var q = new BillingQuery().Between(Jan1, Jan31).WithAccessor("acc-1").WithDeployment(Deployment.Hosted)
            .WithTag("prod").WithLineItem("streaming::nova-3").GroupBy(BillingGrouping.Accessor, BillingGrouping.LineItem)
            .WithParameter("x_extra", "a&b");

        Assert.Equal(
            "start=2025-01-01&end=2025-01-31&accessor=acc-1&deployment=hosted&tag=prod&line_item=streaming%3A%3Anova-3&grouping=accessor&grouping=line_item&x_extra=a%26b",
            await BillingQueryAsync(q));
    }

    public static TheoryData<string, string> OneFilter => new()
    {
        { "start", "start=2025-01-01" },
        { "end", "end=2025-01-31" },
        { "accessor", "accessor=acc%2B1" },
        { "deployment", "deployment=self-hosted" },
        { "dedicated", "deployment=dedicated" },
        { "tag", "tag=customer%3Aacme" },
        { "line_item", "line_item=sync%3A%3Aaura-2" },
        { "grouping", "grouping=tags" },
        { "groupings", "grouping=deployment&grouping=line_item&grouping=tags&grouping=accessor" },
        { "replaced", "accessor=second&tag=b&grouping=deployment" },
    };

    [Theory]
    [MemberData(nameof(OneFilter))]
    public async Task Billing_sends_each_filter_alone_exactly(string filter, string expected)
    {
        var q = filter switch
        {
            "start" => new BillingQuery().From(Jan1),
            "end" => new BillingQuery().Until(Jan31),
            "accessor" => new BillingQuery().WithAccessor("acc+1"),
            "deployment" => new BillingQuery().WithDeployment(Deployment.SelfHosted),
            "dedicated" => new BillingQuery().WithDeployment("dedicated"),
            "tag" => new BillingQuery().WithTag("customer:acme"),
            "line_item" => new BillingQuery().WithLineItem("sync::aura-2"),
            "grouping" => new BillingQuery().GroupBy(BillingGrouping.Tags),
            "groupings" => new BillingQuery().GroupBy(BillingGrouping.Deployment, BillingGrouping.LineItem, BillingGrouping.Tags, BillingGrouping.Accessor),
            "replaced" => new BillingQuery().WithAccessor("first").WithAccessor("second").WithTag("a").WithTag("b").GroupBy(BillingGrouping.Tags).GroupBy(BillingGrouping.Deployment),
            _ => throw new ArgumentOutOfRangeException(nameof(filter)),
        };

        Assert.Equal(expected, await BillingQueryAsync(q));
    }

    // ------------------------------------------------------------------ what the answers are read into

    [Fact]
    public async Task Projects_are_read()
    {
        StubJson("/v1/projects", """{"projects":[{"project_id":"p1","name":"One"},{"project_id":"p2","name":"Two","company":"Acme"},null]}""");

        var projects = await NewClient().GetProjectsAsync();

        Assert.Equal([("p1", "One"), ("p2", "Two")], projects.Select(p => (p.ProjectId, p.Name)));
        Assert.Equal("Acme", projects[1].AdditionalProperties["company"].GetString());
    }

    [Fact]
    public async Task One_project_is_read_with_its_other_members_kept()
    {
        StubJson(P, """{"project_id":"proj-1","mip_opt_out":true,"name":"Acme"}""");

        var p = await NewClient().GetProjectAsync(Project);

        Assert.Equal(("proj-1", "Acme"), (p.ProjectId, p.Name));
        Assert.True(p.AdditionalProperties["mip_opt_out"].GetBoolean());
    }

    [Fact]
    public async Task Keys_are_read_flattened_from_member_and_api_key()
    {
        StubJson(P + "/keys", """
            {"api_keys":[{"member":{"member_id":"1000-2000-3000-4000","email":"john@test.com","first_name":"John"},
                          "api_key":{"api_key_id":"1234567890abcdef1234567890abcdef","comment":"A comment","scopes":["admin"],"created":"2021-01-01T00:00:00Z",
                                     "tags":["ci"],"expiration_date":"2026-01-01T00:00:00Z"}}]}
            """);

        var k = Assert.Single(await NewClient().GetKeysAsync(Project));

        Assert.Equal(("1234567890abcdef1234567890abcdef", "A comment"), (k.ApiKeyId, k.Comment));
        Assert.Equal(["admin"], k.Scopes);
        Assert.Equal(new DateTimeOffset(2021, 1, 1, 0, 0, 0, TimeSpan.Zero), k.Created);
        Assert.Equal(("1000-2000-3000-4000", "john@test.com"), (k.MemberId, k.MemberEmail));
        Assert.Equal(["ci"], k.Tags);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), k.ExpirationDate);
    }

    [Fact]
    public async Task Models_are_read_with_uuid_as_the_model_id_and_names_found()
    {
        StubJson(P + "/models", """
            {"stt":[{"name":"nova-3","canonical_name":"nova-3","architecture":"base","languages":["en","en-us"],"version":"2021-11-10.1","uuid":"6b28e919-8427-4f32-9847-492e2efd7daf","batch":true}],
             "tts":[{"name":"zeus","canonical_name":"aura-2-zeus-en","architecture":"aura-2","languages":["en"],"version":"2025-04-07.0","uuid":"2baf189d-91ac-481d-b6d1-750888667b31","metadata":{"accent":"American"}}]}
            """);

        var m = await NewClient().GetModelsAsync(Project);

        var stt = Assert.Single(m.Stt);
        Assert.Equal(("6b28e919-8427-4f32-9847-492e2efd7daf", "nova-3", "base", "2021-11-10.1"), (stt.ModelId, stt.Name, stt.Architecture, stt.Version));
        Assert.Equal(["en", "en-us"], stt.Languages);
        Assert.True(stt.AdditionalProperties["batch"].GetBoolean());
        Assert.Equal("aura-2-zeus-en", m.FindName("2baf189d-91ac-481d-b6d1-750888667b31"));
        Assert.Equal("zeus", Assert.Single(m.Tts).Name);
        Assert.Equal("unknown-id", m.FindName("unknown-id"));
        Assert.Same(stt, m.Find(" 6B28E919-8427-4F32-9847-492E2EFD7DAF "));
    }

    [Fact]
    public async Task Billing_is_read_with_exact_dollars_from_numbers_and_strings()
    {
        StubJson(P + "/billing/breakdown", """
            {"start":"2025-01-16","end":"2025-01-23","resolution":{"units":"day","amount":1},
             "results":[{"dollars":0.25,"grouping":{"start":"2025-01-16","end":"2025-01-16","accessor":"acc-1","deployment":"hosted","line_item":"streaming::nova-3","tags":["tag1","tag2"]}},
                        {"dollars":"29.612552","grouping":{"start":"2025-01-17","end":"2025-01-17","accessor":null,"deployment":null,"line_item":null,"tags":null}},
                        {"dollars":"1e-2","grouping":{"start":"2025-01-18","end":"2025-01-18"}}]}
            """);

        var b = await NewClient().GetBillingBreakdownAsync(Project);

        Assert.Equal((new DateOnly(2025, 1, 16), new DateOnly(2025, 1, 23)), (b.Start!.Value, b.End!.Value));
        Assert.Equal(("day", 1), (b.Resolution!.Units, b.Resolution.Amount!.Value));
        Assert.Equal([0.25m, 29.612552m, 0.01m], b.Results.Select(r => r.Dollars));
        Assert.Equal(29.872552m, b.TotalDollars);
        var g = b.Results[0].Grouping!;
        Assert.Equal(("acc-1", "hosted", "streaming::nova-3"), (g.Accessor, g.Deployment, g.LineItem));
        Assert.Equal(["tag1", "tag2"], g.Tags);
        Assert.Null(b.Results[1].Grouping!.Tags);
        Assert.Null(b.Results[1].Grouping!.LineItem);
    }

    [Fact]
    public async Task Billing_fields_are_read_with_line_item_descriptions()
    {
        StubJson(P + "/billing/fields", """
            {"accessors":["12345678-1234-1234-1234-123456789012"],"deployments":["hosted","dedicated"],"tags":["dev"],
             "line_items":{"streaming::nova-3":"Nova - 3 (Stream)","sync::aura-2":"Aura -2 (Sync)"}}
            """);

        var f = await NewClient().GetBillingFieldsAsync(Project);

        Assert.Equal(["12345678-1234-1234-1234-123456789012"], f.Accessors);
        Assert.Equal(["hosted", "dedicated"], f.Deployments);
        Assert.Equal(["dev"], f.Tags);
        Assert.Equal([new("streaming::nova-3", "Nova - 3 (Stream)"), new KeyValuePair<string, string>("sync::aura-2", "Aura -2 (Sync)")], f.LineItems);
    }

    [Fact]
    public async Task Balances_are_read_with_exact_amounts_and_units()
    {
        StubJson(P + "/balances", """
            {"balances":[{"balance_id":"b1","amount":104.56822227,"units":"usd","purchase_order_id":"po-1"},
                         {"balance_id":"b2","amount":"250","units":"HOUR","purchase":"po-legacy"}]}
            """);

        var list = await NewClient().GetBalancesAsync(Project);

        Assert.Equal([("b1", 104.56822227m, "usd", "po-1", true), ("b2", 250m, "HOUR", "po-legacy", false)], list.Select(b => (b.BalanceId, b.Amount, b.Units, b.PurchaseOrderId, b.IsUsd)));
    }

    [Fact]
    public async Task One_balance_is_read_flat_or_wrapped_in_balance()
    {
        StubJson(P + "/balances/b1", """{"balance_id":"b1","amount":1.5,"units":"usd","purchase_order_id":"po"}""");
        StubJson(P + "/balances/b2", """{"balance":{"balance_id":"b2","amount":2.5,"units":"usd","purchase_order_id":"po"}}""");

        var flat = await NewClient().GetBalanceAsync(Project, "b1");
        var wrapped = await NewClient().GetBalanceAsync(Project, "b2");

        Assert.Equal(("b1", 1.5m), (flat.BalanceId, flat.Amount));
        Assert.Equal(("b2", 2.5m), (wrapped.BalanceId, wrapped.Amount));
    }

    [Fact]
    public async Task Models_serialize_back_to_the_wire_shape()
    {
        StubJson(P + "/keys", """{"api_keys":[{"member":{"member_id":"m1","email":"a@b.c"},"api_key":{"api_key_id":"k1","comment":"web","scopes":["member"],"created":"2021-01-01T00:00:00Z"}}]}""");
        StubJson(P + "/balances", """{"balances":[{"balance_id":"b2","amount":"250","units":"usd","purchase":"po-legacy"}]}""");

        var key = Assert.Single(await NewClient().GetKeysAsync(Project));
        var balance = Assert.Single(await NewClient().GetBalancesAsync(Project));

        Assert.Equal("""{"member":{"member_id":"m1","email":"a@b.c"},"api_key":{"api_key_id":"k1","comment":"web","scopes":["member"],"created":"2021-01-01T00:00:00+00:00"}}""",
            JsonSerializer.Serialize(key, UsageJson.ProjectKey));
        // The older "purchase" is read and written back under its current name.
        Assert.Equal("""{"balance_id":"b2","amount":250,"units":"usd","purchase_order_id":"po-legacy"}""", JsonSerializer.Serialize(balance, UsageJson.ProjectBalance));
    }
}
