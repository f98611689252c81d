using System.Globalization;
using System.Net;
using UsageSdk.Dashboard.Tests.Infrastructure;
using UsageSdk.Testing;
using static UsageSdk.Dashboard.Tests.Infrastructure.Dom;

namespace UsageSdk.Dashboard.Tests;

/// <summary>The "Invoiced (billing API)" tile of the live source, over the fake's billing (derived from its request logs).</summary>
public sealed class BillingTests : IAsyncLifetime
{
    private TestDashboard _d = null!;

    public async Task InitializeAsync() => _d = await TestDashboard.StartAsync();

    public async Task DisposeAsync() => await _d.DisposeAsync();

    private static readonly DateTimeOffset Start7 = TestDashboard.Today.AddDays(-6);

    /// <summary>The sum of usd of the fake's logs of the project created on the UTC days first..last (both included), straight from its data.</summary>
    private decimal UsdOfDays(DateOnly first, DateOnly last, Func<UsageRequest, bool>? filter = null)
        => _d.Api.GetRequests(TestDashboard.Project)
            .Where(r => DateOnly.FromDateTime(r.Created.UtcDateTime) is var day && day >= first && day <= last && (filter is null || filter(r)))
            .Sum(r => r.Response?.Details?.Usd ?? 0m);

    private List<FakeRecordedRequest> BillingCalls()
        => _d.Api.RecordedRequests.Where(r => r.Path.EndsWith("/billing/breakdown", StringComparison.Ordinal)).ToList();

    [Fact]
    public async Task The_invoiced_tile_is_the_billing_breakdown_of_the_whole_days_of_the_range()
    {
        var doc = await _d.GetDocumentAsync();
        var expected = UsdOfDays(new DateOnly(2026, 3, 12), new DateOnly(2026, 3, 18));

        Assert.True(expected > 0);
        Assert.Equal(expected, decimal.Parse(doc.TileRaw("invoiced-cost"), CultureInfo.InvariantCulture));
        Assert.Equal(Usd(expected), doc.TileText("invoiced-cost"));
        Assert.Contains("Billing breakdown, 2026-03-12 to 2026-03-18 (UTC days).", doc.Tile("invoiced-cost").TextContent);
        var call = Assert.Single(BillingCalls());
        Assert.Equal("start=2026-03-12&end=2026-03-18", call.Query.TrimStart('?'));
        Assert.Equal(200, call.StatusCode);
    }

    [Fact]
    public async Task A_key_filter_is_sent_as_the_keys_accessor_and_deployment_and_tag_as_they_are()
    {
        var logs = _d.Api.GetRequests(TestDashboard.Project).Where(r => r.Created >= Start7 && r.Response?.Details?.Usd > 0).ToList();
        var key = logs.First(r => r.ApiKeyId != r.Accessor);
        var tag = logs.SelectMany(r => r.Response!.Details!.Tags).First();

        var doc = await _d.GetDocumentAsync($"?key={key.ApiKeyId}&deployment=hosted&tag={Uri.EscapeDataString(tag)}");

        var expected = UsdOfDays(new DateOnly(2026, 3, 12), new DateOnly(2026, 3, 18),
            r => r.Accessor == key.Accessor && r.Deployment?.ToString() == "hosted" && r.Response?.Details?.Tags.Contains(tag) == true);
        Assert.Equal(expected, decimal.Parse(doc.TileRaw("invoiced-cost"), CultureInfo.InvariantCulture));
        Assert.Contains("filtered.", doc.Tile("invoiced-cost").TextContent);
        var call = Assert.Single(BillingCalls());
        Assert.Equal($"start=2026-03-12&end=2026-03-18&accessor={key.Accessor}&deployment=hosted&tag={Uri.EscapeDataString(tag)}", call.Query.TrimStart('?'));
    }

    [Theory]
    [InlineData("model")]
    [InlineData("method")]
    [InlineData("endpoint")]
    public async Task Filters_billing_cannot_apply_show_not_available_and_send_no_billing_request(string filter)
    {
        var week = _d.Expected(Start7, TestDashboard.Today.AddDays(1));
        var value = (filter switch { "model" => week.ByModel, "method" => week.ByMethod, _ => week.ByEndpoint }).First(g => g.Key is not null).Key;
        var doc = await _d.GetDocumentAsync($"?{filter}={value}");
        Assert.NotEqual("0", doc.TileRaw("requests"));
        Assert.Equal("not available", doc.TileText("invoiced-cost"));
        Assert.Contains("the billing API cannot filter by model/method/endpoint", doc.Tile("invoiced-cost").TextContent);
        Assert.Empty(BillingCalls());
    }

    [Fact]
    public async Task Two_values_of_one_filter_show_not_available()
    {
        var doc = await _d.GetDocumentAsync("?deployment=hosted&deployment=beta");
        Assert.Equal("not available", doc.TileText("invoiced-cost"));
        Assert.Contains("one value per filter", doc.Tile("invoiced-cost").TextContent);
        Assert.Empty(BillingCalls());
    }

    [Theory]
    [InlineData(403)]
    [InlineData(401)]
    public async Task A_key_that_cannot_read_billing_gets_a_note_and_the_page_still_answers(int status)
    {
        _d.Api.Faults.AppliesTo = r => r.Path.EndsWith("/billing/breakdown", StringComparison.Ordinal);
        _d.Api.Faults.FailNext(1, status);

        var (response, doc) = await _d.GetPageAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(status, Assert.Single(BillingCalls()).StatusCode);
        Assert.Equal("not available", doc.TileText("invoiced-cost"));
        Assert.Contains("This key cannot read billing", doc.Tile("invoiced-cost").TextContent);
        Assert.Equal(N(_d.Expected(Start7, TestDashboard.Today.AddDays(1)).Totals.Requests), doc.TileText("requests"));
    }

    [Fact]
    public async Task Another_billing_error_gets_a_note_and_the_page_still_answers()
    {
        _d.Api.Faults.AppliesTo = r => r.Path.EndsWith("/billing/breakdown", StringComparison.Ordinal);
        _d.Api.Faults.FailNext(1, 500);

        var (response, doc) = await _d.GetPageAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("not available", doc.TileText("invoiced-cost"));
        Assert.Contains("The billing API did not answer (HTTP 500)", doc.Tile("invoiced-cost").TextContent);
        Assert.DoesNotContain(TestDashboard.SecretKey, doc.DocumentElement.OuterHtml);
    }

    [Fact]
    public async Task A_range_that_is_not_whole_days_is_billed_for_the_whole_days_it_touches_and_says_so()
    {
        var source = TestDashboard.DemoSource(_d.Api);
        var start = TestDashboard.Today.AddDays(-2).AddHours(6);
        var end = TestDashboard.Today.AddHours(12);

        var data = await source.LoadAsync(new UsageDashboardQuery(TestDashboard.Project, start, end, TestDashboard.Now));

        Assert.Equal(UsdOfDays(new DateOnly(2026, 3, 16), new DateOnly(2026, 3, 18)), data.InvoicedUsd);
        Assert.NotEqual(data.Report.Totals.BilledUsd, data.InvoicedUsd);
        Assert.Contains("does not start or end at midnight UTC", data.InvoicedNote);
        Assert.Equal("start=2026-03-16&end=2026-03-18", Assert.Single(BillingCalls()).Query.TrimStart('?'));
    }
}
