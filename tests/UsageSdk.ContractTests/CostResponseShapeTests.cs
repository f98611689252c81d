using System.Text.Json;
using UsageSdk.ContractTests.Infrastructure;

namespace UsageSdk.ContractTests;

/// <summary>
/// The cost half's responses, shaped as the vendor spec says and as API-NOTES.md "The cost half" says the API and the
/// SDKs send them, read by the client (named examples from prism/add-examples.mjs). Where an example breaks the spec's
/// schema because the spec is wrong, the test asserts Prism's <c>sl-violations</c> entry and names the defect.
/// </summary>
[Collection(ExamplesSpecCollection.Name)]
public sealed class CostResponseShapeTests(ExamplesSpecFixture prism)
{
    private const string BalanceId = "b123456-7890-1234-5678-901234";

    private async Task<(T Value, Exchange Exchange)> ReadAsync<T>(string example, Func<UsageClient, Task<T>> call)
    {
        using var c = new ContractClient(prism.Server, example);
        var value = await call(c.Client);
        var exchange = Assert.Single(c.Recorder.Exchanges);
        ContractClient.AssertAccepted(exchange);
        return (value, exchange);
    }

    private static void AssertSpecDefect(Exchange exchange, params string[] location)
        => Assert.True(exchange.Violations.Any(v => v.Location.SequenceEqual(location)),
            $"Expected the spec to flag {string.Join('.', location)} (a known spec defect):\n{exchange}");

    [Fact]
    public async Task Projects_and_one_project_parse()
    {
        var (list, listExchange) = await ReadAsync("projects", c => c.GetProjectsAsync());
        var (one, oneExchange) = await ReadAsync("project", c => c.GetProjectAsync(ContractClient.ProjectId));

        Assert.Equal([(ContractClient.ProjectId, "Acme Voice (production)"), ("9d3c2b1a-0f4e-4d5c-8b7a-6e5f4d3c2b1a", "Acme Voice (staging)")], list.Select(p => (p.ProjectId, p.Name)));
        Assert.Equal((ContractClient.ProjectId, "Acme Voice (production)"), (one.ProjectId, one.Name));
        Assert.True(one.AdditionalProperties["mip_opt_out"].GetBoolean());
        Assert.Empty(listExchange.Violations);
        Assert.Empty(oneExchange.Violations);
    }

    [Fact]
    public async Task Keys_parse_flattened_and_carry_no_secret()
    {
        var (keys, exchange) = await ReadAsync("keys", c => c.GetKeysAsync(ContractClient.ProjectId));

        Assert.Equal(2, keys.Count);
        var k = keys[0];
        Assert.Equal(("1234567890abcdef1234567890abcdef", "web-backend"), (k.ApiKeyId, k.Comment));
        Assert.Equal(["admin"], k.Scopes);
        Assert.Equal(new DateTimeOffset(2023, 6, 27, 16, 59, 46, TimeSpan.Zero).AddTicks(5726600), k.Created);
        Assert.Equal(("1000-2000-3000-4000", "platform@acme.example"), (k.MemberId, k.MemberEmail));
        Assert.Equal(["member"], keys[1].Scopes);
        Assert.Empty(exchange.Violations);
    }

    [Fact]
    public async Task Models_parse_and_name_their_uuids()
    {
        var (models, exchange) = await ReadAsync("models", c => c.GetModelsAsync(ContractClient.ProjectId));

        var stt = Assert.Single(models.Stt);
        Assert.Equal(("6b28e919-8427-4f32-9847-492e2efd7daf", "nova-3", "base", "2021-11-10.1"), (stt.ModelId, stt.Name, stt.Architecture, stt.Version));
        Assert.Equal(["en", "en-us"], stt.Languages);
        var tts = Assert.Single(models.Tts);
        Assert.Equal(("zeus", "aura-2-zeus-en"), (tts.Name, tts.CanonicalName));
        Assert.Equal("aura-2-zeus-en", models.FindName("2baf189d-91ac-481d-b6d1-750888667b31"));
        Assert.Equal("nova-3", models.FindName("6B28E919-8427-4F32-9847-492E2EFD7DAF"));
        Assert.Equal("Nova-2", models.FindName("Nova-2")); // unknown: shown as it is
        Assert.Equal(JsonValueKind.Object, tts.AdditionalProperties["metadata"].ValueKind);
        Assert.Empty(exchange.Violations);
    }

    [Fact]
    public async Task Billing_breakdown_with_dollars_as_strings_as_the_spec_says_parses()
    {
        var (b, exchange) = await ReadAsync("string-dollars", c => c.GetBillingBreakdownAsync(ContractClient.ProjectId));

        AssertBilling(b);
        Assert.Empty(exchange.Violations);
    }

    [Fact]
    public async Task Spec_defect_billing_breakdown_with_dollars_as_numbers_parses()
    {
        // The kept spec types dollars as a string (title "float"); the earlier specs, the SDKs and every example send numbers.
        var (b, exchange) = await ReadAsync("number-dollars", c => c.GetBillingBreakdownAsync(ContractClient.ProjectId));

        AssertBilling(b);
        AssertSpecDefect(exchange, "response", "body", "results", "0", "dollars");
    }

    private static void AssertBilling(BillingBreakdown b)
    {
        Assert.Equal((new DateOnly(2025, 1, 16), new DateOnly(2025, 1, 23)), (b.Start!.Value, b.End!.Value));
        Assert.Equal(("day", 1), (b.Resolution!.Units, b.Resolution.Amount!.Value));
        Assert.Equal([0.25m, 1.5m], b.Results.Select(r => r.Dollars));
        Assert.Equal(1.75m, b.TotalDollars);
        var g = b.Results[0].Grouping!;
        Assert.Equal((new DateOnly(2025, 1, 16), "streaming::nova-3"), (g.Start!.Value, g.LineItem));
        Assert.Null(g.Accessor);
        Assert.Null(g.Tags);
    }

    [Fact]
    public async Task Billing_fields_parse_with_line_item_descriptions()
    {
        var (f, exchange) = await ReadAsync("fields", c => c.GetBillingFieldsAsync(ContractClient.ProjectId));

        Assert.Equal(["12345678-1234-1234-1234-123456789012", "87654321-4321-4321-4321-210987654321"], f.Accessors);
        Assert.Equal(["hosted", "dedicated"], f.Deployments);
        Assert.Equal(["dev", "production"], f.Tags);
        Assert.Equal("Nova - 3 (Stream)", f.LineItems["streaming::nova-3"]);
        Assert.Equal("Aura -2 (Sync)", f.LineItems["sync::aura-2"]);
        Assert.Empty(exchange.Violations);
    }

    [Fact]
    public async Task Balances_parse_with_exact_amounts()
    {
        var (list, exchange) = await ReadAsync("balances", c => c.GetBalancesAsync(ContractClient.ProjectId));

        var b = Assert.Single(list);
        Assert.Equal((BalanceId, 104.56822227m, "usd", "po-1"), (b.BalanceId, b.Amount, b.Units, b.PurchaseOrderId));
        Assert.True(b.IsUsd);
        Assert.Empty(exchange.Violations);
    }

    [Fact]
    public async Task Balances_with_the_classic_purchase_member_parse()
    {
        // .NET 7 and the classic SDK docs call it "purchase"; the spec allows unknown members, so this is no violation.
        var (list, _) = await ReadAsync("legacy-purchase", c => c.GetBalancesAsync(ContractClient.ProjectId));

        Assert.Equal("po-legacy", Assert.Single(list).PurchaseOrderId);
    }

    [Fact]
    public async Task One_balance_flat_as_the_spec_says_parses_in_hours()
    {
        var (b, exchange) = await ReadAsync("flat", c => c.GetBalanceAsync(ContractClient.ProjectId, BalanceId));

        Assert.Equal((BalanceId, 250m, "hour"), (b.BalanceId, b.Amount, b.Units));
        Assert.False(b.IsUsd);
        Assert.Empty(exchange.Violations);
    }
}
