using System.Text.Json;
using UsageSdk.Tests.Infrastructure;

namespace UsageSdk.Tests.Models;

/// <summary>
/// The cost half read as tolerantly as the usage models (missing, extra, null and odd-typed members), its errors
/// mapped like the other calls', bad arguments refused before any HTTP call, and no key secret anywhere (issue 22.1).
/// </summary>
public sealed class CostDriftAndErrorTests(WireMockFixture wm) : CoreTestBase(wm)
{
    private const string P = "/v1/projects/proj-1";

    // ------------------------------------------------------------------ drift

    [Fact]
    public async Task Empty_bodies_read_as_empty_models()
    {
        foreach (var path in new[] { "/v1/projects", P, P + "/keys", P + "/models", P + "/billing/breakdown", P + "/billing/fields", P + "/balances", P + "/balances/b1" })
        {
            StubJson(path, "{}");
        }
        var c = NewClient();

        Assert.Empty(await c.GetProjectsAsync());
        Assert.Null((await c.GetProjectAsync(Project)).ProjectId);
        Assert.Empty(await c.GetKeysAsync(Project));
        var models = await c.GetModelsAsync(Project);
        Assert.Empty(models.Stt);
        Assert.Empty(models.Tts);
        var b = await c.GetBillingBreakdownAsync(Project);
        Assert.Empty(b.Results);
        Assert.Null(b.Start);
        Assert.Equal(0m, b.TotalDollars);
        var f = await c.GetBillingFieldsAsync(Project);
        Assert.Empty(f.Accessors);
        Assert.Empty(f.LineItems);
        Assert.Empty(await c.GetBalancesAsync(Project));
        var one = await c.GetBalanceAsync(Project, "b1");
        Assert.Equal((null, 0m, null, null), (one.BalanceId, one.Amount, one.Units, one.PurchaseOrderId));
    }

    [Fact]
    public async Task Null_members_and_null_items_read_as_empty()
    {
        StubJson(P + "/keys", """{"api_keys":[null,{"member":null,"api_key":{"api_key_id":"k1","comment":null,"scopes":null,"created":null}}]}""");
        StubJson(P + "/billing/breakdown", """{"start":null,"end":null,"resolution":null,"results":[null,{"dollars":null,"grouping":null}]}""");
        StubJson(P + "/billing/fields", """{"accessors":null,"deployments":null,"tags":null,"line_items":null}""");
        StubJson(P + "/balances", """{"balances":[{"balance_id":null,"amount":null,"units":null,"purchase_order_id":null}]}""");

        var key = Assert.Single(await NewClient().GetKeysAsync(Project));
        var b = await NewClient().GetBillingBreakdownAsync(Project);
        var f = await NewClient().GetBillingFieldsAsync(Project);
        var balance = Assert.Single(await NewClient().GetBalancesAsync(Project));

        Assert.Equal("k1", key.ApiKeyId);
        Assert.Null(key.Comment);
        Assert.Empty(key.Scopes);
        Assert.Null(key.Created);
        Assert.Null(key.MemberEmail);
        Assert.Equal(0m, Assert.Single(b.Results).Dollars);
        Assert.Null(b.Results[0].Grouping);
        Assert.Empty(f.Tags);
        Assert.Empty(f.LineItems);
        Assert.Equal(0m, balance.Amount);
    }

    [Fact]
    public async Task Odd_types_that_still_mean_something_are_read()
    {
        // Numbers where strings belong, a single string for a list, a numeric string for amounts, an integer amount,
        // a line item without description, a created time that is not one (null), a resolution amount of "1".
        StubJson(P + "/keys", """{"api_keys":[{"member":{"member_id":1000,"email":"a@b.c"},"api_key":{"api_key_id":12345,"comment":true,"scopes":"member","created":"yesterday"}}]}""");
        StubJson(P + "/billing/breakdown", """{"start":"2025-01-16T00:00:00Z","end":"2025-01-23","resolution":{"units":"day","amount":"1"},"results":[{"dollars":" 12.50 ","grouping":{"accessor":42,"tags":"solo"}},{"dollars":"","grouping":{}}]}""");
        StubJson(P + "/billing/fields", """{"accessors":"one","deployments":["hosted",7],"tags":[],"line_items":{"sync::x":null,"sync::y":3}}""");
        StubJson(P + "/balances", """{"balances":[{"balance_id":99,"amount":250,"units":"usd"}]}""");

        var key = Assert.Single(await NewClient().GetKeysAsync(Project));
        var b = await NewClient().GetBillingBreakdownAsync(Project);
        var f = await NewClient().GetBillingFieldsAsync(Project);
        var balance = Assert.Single(await NewClient().GetBalancesAsync(Project));

        Assert.Equal(("12345", "true", "1000"), (key.ApiKeyId, key.Comment, key.MemberId));
        Assert.Equal(["member"], key.Scopes);
        Assert.Null(key.Created);
        Assert.Equal(new DateOnly(2025, 1, 16), b.Start);
        Assert.Equal(1, b.Resolution!.Amount);
        Assert.Equal([12.50m, 0m], b.Results.Select(r => r.Dollars));
        Assert.Equal("42", b.Results[0].Grouping!.Accessor);
        Assert.Equal(["solo"], b.Results[0].Grouping!.Tags);
        Assert.Equal(["one"], f.Accessors);
        Assert.Equal(["hosted", "7"], f.Deployments);
        Assert.Equal(("", "3"), (f.LineItems["sync::x"], f.LineItems["sync::y"]));
        Assert.Equal(("99", 250m), (balance.BalanceId, balance.Amount));
    }

    [Fact]
    public async Task Unknown_members_are_kept_where_the_model_keeps_them()
    {
        StubJson(P + "/billing/breakdown", """{"results":[],"currency":"usd"}""");
        StubJson(P + "/billing/fields", """{"regions":["eu"]}""");
        StubJson(P + "/models", """{"stt":[],"tts":[],"llm":[{"uuid":"x"}]}""");
        StubJson(P + "/balances", """{"balances":[{"balance_id":"b1","expires":"2026-01-01"}]}""");

        Assert.Equal("usd", (await NewClient().GetBillingBreakdownAsync(Project)).AdditionalProperties["currency"].GetString());
        Assert.Equal(JsonValueKind.Array, (await NewClient().GetBillingFieldsAsync(Project)).AdditionalProperties["regions"].ValueKind);
        Assert.Equal(JsonValueKind.Array, (await NewClient().GetModelsAsync(Project)).AdditionalProperties["llm"].ValueKind);
        Assert.Equal("2026-01-01", Assert.Single(await NewClient().GetBalancesAsync(Project)).AdditionalProperties["expires"].GetString());
    }

    [Theory]
    [InlineData("""{"results":[{"dollars":"twelve"}]}""", "twelve")]
    [InlineData("""{"results":[{"dollars":{"usd":1}}]}""", "StartObject")]
    [InlineData("""{"results":[{"dollars":1e400}]}""", "decimal")]
    public async Task Dollars_that_are_no_amount_fail_the_call_at_that_member(string body, string hint)
    {
        StubJson(P + "/billing/breakdown", body);

        var e = await Assert.ThrowsAsync<UsageApiException>(() => NewClient().GetBillingBreakdownAsync(Project));

        Assert.Equal(200, e.Status);
        Assert.Contains("could not be read", e.Message, StringComparison.Ordinal);
        var inner = Assert.IsType<JsonException>(e.InnerException);
        Assert.Equal("$.results[0].dollars", inner.Path);
        Assert.Contains(hint, inner.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"text\"")]
    [InlineData("null")]
    [InlineData("{\"balances\":[")]
    public async Task A_body_that_is_no_object_fails_with_UsageApiException(string body)
    {
        StubJson(P + "/balances", body);
        StubJson(P + "/balances/b1", body);

        Assert.Equal(200, (await Assert.ThrowsAsync<UsageApiException>(() => NewClient().GetBalancesAsync(Project))).Status);
        Assert.Equal(200, (await Assert.ThrowsAsync<UsageApiException>(() => NewClient().GetBalanceAsync(Project, "b1"))).Status);
    }

    // ------------------------------------------------------------------ errors and retries

    [Theory]
    [InlineData(401, """{"err_code":"INVALID_AUTH","err_msg":"Invalid credentials.","request_id":"r-1"}""", "INVALID_AUTH")]
    [InlineData(403, """{"category":"UNAUTHORIZED","message":"Authentication failed.","details":"billing:read required","request_id":"r-1"}""", "UNAUTHORIZED")]
    [InlineData(404, """{"err_code":"PROJECT_NOT_FOUND","err_msg":"Project not found.","request_id":"r-1"}""", "PROJECT_NOT_FOUND")]
    public async Task Error_answers_become_UsageApiException_with_status_code_and_request_id(int status, string body, string code)
    {
        StubJson("/v1/*", body, status);
        var c = NewClient();
        var calls = new Func<Task>[]
        {
            () => c.GetProjectsAsync(), () => c.GetProjectAsync(Project), () => c.GetKeysAsync(Project), () => c.GetModelsAsync(Project),
            () => c.GetBillingBreakdownAsync(Project), () => c.GetBillingFieldsAsync(Project), () => c.GetBalancesAsync(Project), () => c.GetBalanceAsync(Project, "b1"),
        };

        foreach (var call in calls)
        {
            var e = await Assert.ThrowsAsync<UsageApiException>(call);
            Assert.Equal(status, e.Status);
            Assert.Equal(code, e.ErrorCode);
            Assert.Equal("r-1", e.RequestId);
            Assert.Equal(body, e.ResponseContent);
            Assert.Equal(1, e.Attempts);
            Assert.DoesNotContain(Key, e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_503_is_retried_like_the_other_calls()
    {
        Server.Given(WireMock.RequestBuilders.Request.Create().WithPath(P + "/billing/breakdown").UsingGet())
            .InScenario("flaky").WillSetStateTo("ok")
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(503));
        Server.Given(WireMock.RequestBuilders.Request.Create().WithPath(P + "/billing/breakdown").UsingGet())
            .InScenario("flaky").WhenStateIs("ok")
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithHeader("Content-Type", "application/json").WithBody("""{"results":[{"dollars":"1.25"}]}"""));

        var b = await NewClient(maxRetries: 2).GetBillingBreakdownAsync(Project);

        Assert.Equal(1.25m, b.TotalDollars);
        Assert.Equal(2, Sent.Count);
    }

    // ------------------------------------------------------------------ arguments

    public static TheoryData<string?> BadIds => new() { null, "", " ", "a/b", "..", "a?b", "a b", new string('a', 201) };

    [Theory]
    [MemberData(nameof(BadIds))]
    public async Task A_bad_project_id_is_refused_before_any_call(string? id)
    {
        var c = NewClient();

        Assert.Equal("projectId", (await Assert.ThrowsAsync<ArgumentException>(() => c.GetProjectAsync(id!))).ParamName);
        Assert.Equal("projectId", (await Assert.ThrowsAsync<ArgumentException>(() => c.GetKeysAsync(id!))).ParamName);
        Assert.Equal("projectId", (await Assert.ThrowsAsync<ArgumentException>(() => c.GetModelsAsync(id!))).ParamName);
        Assert.Equal("projectId", (await Assert.ThrowsAsync<ArgumentException>(() => c.GetBillingBreakdownAsync(id!))).ParamName);
        Assert.Equal("projectId", (await Assert.ThrowsAsync<ArgumentException>(() => c.GetBillingFieldsAsync(id!))).ParamName);
        Assert.Equal("projectId", (await Assert.ThrowsAsync<ArgumentException>(() => c.GetBalancesAsync(id!))).ParamName);
        Assert.Equal("projectId", (await Assert.ThrowsAsync<ArgumentException>(() => c.GetBalanceAsync(id!, "b1"))).ParamName);
        Assert.Empty(Server.LogEntries);
    }

    [Theory]
    [MemberData(nameof(BadIds))]
    public async Task A_bad_balance_id_is_refused_before_any_call(string? id)
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() => NewClient().GetBalanceAsync(Project, id!));

        Assert.Equal("balanceId", e.ParamName);
        Assert.Empty(Server.LogEntries);
    }

    [Fact]
    public async Task Billing_fields_refuse_an_end_before_the_start()
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() => NewClient().GetBillingFieldsAsync(Project, new DateOnly(2025, 2, 1), new DateOnly(2025, 1, 1)));

        Assert.Equal("end", e.ParamName);
        Assert.Contains("before the start", e.Message, StringComparison.Ordinal);
        Assert.Empty(Server.LogEntries);
    }

    [Fact]
    public async Task A_cancelled_token_stops_before_any_call()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => NewClient().GetBillingBreakdownAsync(Project, null, cts.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => NewClient().GetProjectsAsync(cts.Token));
    }

    // ------------------------------------------------------------------ no secret

    [Fact]
    public async Task A_key_secret_the_server_might_send_is_never_read_shown_or_written()
    {
        const string Secret = "dg_live_SECRET_0123456789abcdef";
        StubJson(P + "/keys", $$$"""{"api_keys":[{"key":"{{{Secret}}}","member":{"member_id":"m1","email":"a@b.c","key":"{{{Secret}}}"},"api_key":{"api_key_id":"k1","comment":"web","key":"{{{Secret}}}","secret":"{{{Secret}}}","scopes":["member"]}}]}""");

        var key = Assert.Single(await NewClient().GetKeysAsync(Project));

        Assert.DoesNotContain(Secret, JsonSerializer.Serialize(key, UsageJson.ProjectKey), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, key.ToString(), StringComparison.Ordinal);
        foreach (var p in typeof(ProjectKey).GetProperties())
        {
            Assert.DoesNotContain(Secret, string.Join(",", p.GetValue(key) switch
            {
                IEnumerable<string> list => list,
                var v => [v?.ToString() ?? ""],
            }), StringComparison.Ordinal);
        }
        Assert.DoesNotContain(typeof(ProjectKey).GetProperties(), p => p.Name.Contains("Secret", StringComparison.OrdinalIgnoreCase) || p.Name is "Key");
    }
}
