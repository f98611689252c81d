using System.Text.Json;

namespace UsageSdk.Tests;

/// <summary>UsageModelFactory builds the cost half's models for users' tests, and a subclass of UsageClient can return them.</summary>
public sealed class CostFactoryTests
{
    private sealed class StubClient : UsageClient
    {
        public override Task<BillingBreakdown> GetBillingBreakdownAsync(string projectId, BillingQuery? query = null, CancellationToken cancellationToken = default)
            => Task.FromResult(UsageModelFactory.BillingBreakdown(new DateOnly(2025, 1, 1), new DateOnly(2025, 1, 2), UsageModelFactory.UsageResolution(),
                [UsageModelFactory.BillingResult(1.25m, UsageModelFactory.BillingBreakdownGrouping(lineItem: "sync::nova-3")), UsageModelFactory.BillingResult(0.5m)]));

        public override Task<IReadOnlyList<ProjectKey>> GetKeysAsync(string projectId, CancellationToken cancellationToken = default)
            => Task.FromResult<IReadOnlyList<ProjectKey>>([UsageModelFactory.ProjectKey("k1", "web-backend", ["member"], memberEmail: "a@b.c")]);
    }

    [Fact]
    public async Task A_mock_client_returns_factory_models()
    {
        UsageClient client = new StubClient();

        var b = await client.GetBillingBreakdownAsync("p");
        var k = Assert.Single(await client.GetKeysAsync("p"));

        Assert.Equal(1.75m, b.TotalDollars);
        Assert.Equal("sync::nova-3", b.Results[0].Grouping!.LineItem);
        Assert.Equal(("k1", "web-backend", "a@b.c", null), (k.ApiKeyId, k.Comment, k.MemberEmail, k.MemberId));
    }

    [Fact]
    public void Factory_models_serialize_in_the_wire_shape()
    {
        var models = UsageModelFactory.ProjectModels(
            [UsageModelFactory.ProjectModel("u1", "nova-3", "nova-3", "base", ["en"], "1")],
            [UsageModelFactory.ProjectModel("u2", "thalia", "aura-2-thalia-en")]);
        var fields = UsageModelFactory.BillingFields(["a1"], ["hosted"], ["prod"], [new("sync::nova-3", "Nova-3 (Sync)")]);
        var balance = UsageModelFactory.ProjectBalance("b1", 12.5m, "usd", "po-1");
        var project = UsageModelFactory.UsageProject("p1", "Acme");

        Assert.Equal("aura-2-thalia-en", models.FindName("U2"));
        Assert.Equal("""{"stt":[{"uuid":"u1","name":"nova-3","canonical_name":"nova-3","architecture":"base","languages":["en"],"version":"1"}],"tts":[{"uuid":"u2","name":"thalia","canonical_name":"aura-2-thalia-en","languages":[]}]}""",
            JsonSerializer.Serialize(models, UsageJson.ProjectModels));
        Assert.Equal("""{"accessors":["a1"],"deployments":["hosted"],"tags":["prod"],"line_items":{"sync::nova-3":"Nova-3 (Sync)"}}""", JsonSerializer.Serialize(fields, UsageJson.BillingFields));
        Assert.Equal("""{"balance_id":"b1","amount":12.5,"units":"usd","purchase_order_id":"po-1"}""", JsonSerializer.Serialize(balance, UsageJson.ProjectBalance));
        Assert.Equal("""{"project_id":"p1","name":"Acme"}""", JsonSerializer.Serialize(project, UsageJson.UsageProject));
        Assert.Equal("ProjectBalance b1 12.5 usd", balance.ToString());
    }
}
