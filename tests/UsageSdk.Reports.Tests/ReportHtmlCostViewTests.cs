using System.Globalization;
using System.Text.Json;
using System.Xml.Linq;
using Microsoft.Extensions.Time.Testing;
using UsageSdk.Testing;
using F = UsageSdk.UsageModelFactory;

namespace UsageSdk.Reports.Tests;

/// <summary>
/// Issue 22.4: the HTML page's cost view section, read back as XML (the page is well-formed XHTML): the tiles, the
/// reconciliation line with its exact hover text, the billed-per-day chart and the per key / line item / tag tables.
/// The expected figures are worked out by hand from the breakdown below, or from the fake's logs.
/// </summary>
public sealed class ReportHtmlCostViewTests
{
    private static readonly XNamespace H = "http://www.w3.org/1999/xhtml";
    private static readonly XNamespace S = "http://www.w3.org/2000/svg";
    private static readonly DateTimeOffset Now = new(2025, 3, 14, 15, 0, 0, TimeSpan.Zero);

    private static DateOnly D(int month, int day) => new(2025, month, day);

    /// <summary>February $1 a day (key a1, sync::nova-3, prod); March 1–13 $2 a day but $9 on the 13th; today $4 (a2, streaming::agent-x, prod+beta).</summary>
    private static BillingBreakdown Breakdown()
    {
        var results = new List<BillingResult>();
        for (var d = D(2, 1); d <= D(3, 13); d = d.AddDays(1))
        {
            var usd = d.Month == 2 ? 1m : d == D(3, 13) ? 9m : 2m;
            results.Add(F.BillingResult(usd, F.BillingBreakdownGrouping(d, d, accessor: "a1", lineItem: "sync::nova-3", tags: ["prod"])));
        }
        results.Add(F.BillingResult(4m, F.BillingBreakdownGrouping(D(3, 14), D(3, 14), accessor: "a2", lineItem: "streaming::agent-x", tags: ["prod", "beta"])));
        return F.BillingBreakdown(D(2, 1), D(3, 14), results: results);
    }

    /// <summary>A report of March 12 to now whose logs say $14.25 (the breakdown bills $2 + $9 + $4 = $15 for those days).</summary>
    private static UsageReport Report(out UsageCostView view)
    {
        var names = new UsageNames();
        names.Keys["a1"] = "web-backend";
        view = UsageCostView.Create(Breakdown(), Now, [F.ProjectBalance("b", 206.5m)], names);
        var options = new UsageReportOptions { Start = new DateTimeOffset(2025, 3, 12, 0, 0, 0, TimeSpan.Zero), End = Now, Names = names }.UseBilling(view);
        UsageRequest Request(string id, int day, decimal usd)
            => F.UsageRequest(id, "p", new DateTimeOffset(2025, 3, day, 10, 0, 0, TimeSpan.Zero), "/v1/listen", "a1", "a1", Deployment.Hosted, 200,
                F.RequestResponse(F.RequestDetails(usd: usd, models: ["m-1"]), 200));
        return new[] { Request("r1", 12, 2m), Request("r2", 13, 8.5m), Request("r3", 14, 3.75m) }.ToReport(options);
    }

    private static XElement CostSection(XDocument doc)
        => doc.Descendants(H + "section").Single(s => s.Element(H + "h2")?.Value == "Cost view (billing)");

    private static XElement Card(XElement section, string label)
        => section.Descendants(H + "div").Single(d => (string?)d.Attribute("class") == "card" && d.Elements(H + "div").First().Value == label);

    private static string Value(XElement card) => card.Elements(H + "div").Single(d => (string?)d.Attribute("class") == "value").Value;

    private static string? Hover(XElement card) => (string?)card.Elements(H + "div").Single(d => (string?)d.Attribute("class") == "value").Attribute("title");

    private static string? Detail(XElement card) => card.Elements(H + "div").SingleOrDefault(d => (string?)d.Attribute("class") == "detail")?.Value;

    private static XElement Table(XElement section, string firstHeader)
        => section.Descendants(H + "table").Single(t => t.Descendants(H + "th").First().Value == firstHeader);

    private static List<(string Name, string Shown, string? Exact)> Rows(XElement table, string part = "tbody")
        => table.Element(H + part)?.Elements(H + "tr").Select(tr => tr.Elements(H + "td").ToList()).Select(td => (td[0].Value, td[1].Value, (string?)td[1].Attribute("title"))).ToList() ?? [];

    [Fact]
    public void Tiles_show_month_to_date_previous_month_projection_with_its_range_and_balance_with_exact_hover_text()
    {
        var section = CostSection(XDocument.Parse(UsageReportHtml.Render(Report(out _))));

        // MTD: 12 × $2 + $9 + $4 = $37; February: 28 × $1; projection: 13 full days ($33) + 18 days × the trend (Mar 7–13:
        // mean $3, lowest $2, highest $9).
        var mtd = Card(section, "Month to date");
        Assert.Equal(("$37.00", "$37.00", "March 2025 to 2025-03-14"), (Value(mtd), Hover(mtd), Detail(mtd)));
        var previous = Card(section, "Previous month");
        Assert.Equal(("$28.00", "February 2025"), (Value(previous), Detail(previous)));
        var projected = Card(section, "Projected month end");
        Assert.Equal(("$87.00", "range $69.00 – $195.00"), (Value(projected), Detail(projected)));
        Assert.StartsWith("$87.00 (range $69.00 – $195.00). Projection: this month's 13 full days ($33.00) + the mean of the last 7 full days ($3.00/day) × 18 days left", Hover(projected));
        Assert.Equal(("$206.50", "$206.50"), (Value(Card(section, "Balance")), Hover(Card(section, "Balance"))));
    }

    [Fact]
    public void Reconciliation_line_shows_billed_logs_and_the_difference_for_the_reports_days()
    {
        var report = Report(out _);

        var section = CostSection(XDocument.Parse(UsageReportHtml.Render(report)));

        var line = section.Descendants(H + "p").Single(p => (string?)p.Attribute("class") == "reconciliation");
        Assert.Equal("Reconciliation: Billed $15.00 · request logs $14.25 · difference $0.75 (2025-03-12 to 2025-03-14)", line.Value);
        Assert.Equal("billed $15.00 · request logs $14.25 · difference $0.75", (string?)line.Attribute("title"));
        Assert.Equal(0.75m, report.Reconciliation!.Difference);
    }

    [Fact]
    public void A_bill_below_the_logs_shows_a_negative_difference()
    {
        var view = UsageCostView.Create(Breakdown(), Now);
        var options = new UsageReportOptions { Start = new DateTimeOffset(2025, 3, 14, 0, 0, 0, TimeSpan.Zero), End = Now }.UseBilling(view);
        var report = new[] { F.UsageRequest("r", "p", Now.AddHours(-1), "/v1/listen", "a2", "a2", Deployment.Hosted, 200, F.RequestResponse(F.RequestDetails(usd: 4.123456m), 200)) }.ToReport(options);

        var line = CostSection(XDocument.Parse(UsageReportHtml.Render(report))).Descendants(H + "p").Single(p => (string?)p.Attribute("class") == "reconciliation");

        Assert.Equal("Reconciliation: Billed $4.00 · request logs $4.12 · difference −$0.12 (2025-03-14 to 2025-03-14)", line.Value);
        Assert.Equal("billed $4.00 · request logs $4.123456 · difference -$0.123456", (string?)line.Attribute("title"));
    }

    [Fact]
    public void Per_key_line_item_and_tag_tables_list_month_to_date_with_totals_where_they_add_up()
    {
        var section = CostSection(XDocument.Parse(UsageReportHtml.Render(Report(out _))));

        var items = Table(section, "Line item (month to date)");
        Assert.Equal([("sync::nova-3", "$33.00", "$33.00"), ("streaming::agent-x", "$4.00", "$4.00")], Rows(items));
        Assert.Equal([("Total", "$37.00", "$37.00")], Rows(items, "tfoot"));
        var keys = Table(section, "API key (month to date)");
        Assert.Equal([("web-backend", "$33.00", "$33.00"), ("a2", "$4.00", "$4.00")], Rows(keys)); // a1 named, a2 by its id
        Assert.Equal([("Total", "$37.00", "$37.00")], Rows(keys, "tfoot"));
        var tags = Table(section, "Tag (month to date)");
        Assert.Equal([("prod", "$37.00", "$37.00"), ("beta", "$4.00", "$4.00")], Rows(tags));
        Assert.Empty(Rows(tags, "tfoot")); // tags overlap: $41 is no total
        Assert.Contains(section.Descendants(H + "p"), p => p.Value == "A cost with several tags counts in each tag's row.");
    }

    [Fact]
    public void Billed_per_day_is_a_bar_a_day_with_the_exact_amount_as_its_title()
    {
        var section = CostSection(XDocument.Parse(UsageReportHtml.Render(Report(out _))));

        Assert.Contains(section.Elements(H + "div").Descendants(H + "h3"), h => h.Value == "Billed per day, 2025-02-01 to 2025-03-14 (UTC)");
        var chart = section.Descendants(S + "svg").Single(s => (string?)s.Attribute("class") == "billed-daily");
        var bars = chart.Elements(S + "rect").Where(r => r.Attribute("data-day") is not null).ToList();
        Assert.Equal(42, bars.Count); // Feb 1 to Mar 14, every day billed
        Assert.Equal("2025-03-13: $9.00 billed", bars.Single(b => (string?)b.Attribute("data-day") == "2025-03-13").Element(S + "title")!.Value);
        double Height(string day) => double.Parse((string)bars.Single(b => (string?)b.Attribute("data-day") == day).Attribute("height")!, CultureInfo.InvariantCulture);
        Assert.Equal(9.0, Height("2025-03-13") / Height("2025-02-01"), 2); // $9 against $1
    }

    [Fact]
    public void An_unavailable_view_is_one_line_and_no_tiles()
    {
        var options = new UsageReportOptions { Start = Now.AddDays(-1), End = Now }.UseBilling(UsageCostView.Unavailable("billing isn't readable with this API key (403)", Now));

        var section = CostSection(XDocument.Parse(UsageReportHtml.Render(Array.Empty<UsageRequest>().ToReport(options))));

        Assert.Equal("billing isn't readable with this API key (403)", section.Elements(H + "p").Single().Value);
        Assert.DoesNotContain(section.Descendants(H + "div"), d => (string?)d.Attribute("class") == "card");
        Assert.Empty(section.Descendants(H + "table"));
    }

    [Fact]
    public async Task On_the_demo_the_page_shows_the_month_to_date_and_line_items_of_the_logs()
    {
        var api = new FakeUsageApi(new FakeUsageApiOptions { Seed = FakeUsageApi.DemoSeed, TimeProvider = new FakeTimeProvider(Now) });
        var client = api.CreateClient();
        var project = FakeUsageApi.DemoProjectId;
        var start = new DateTimeOffset(2025, 3, 8, 0, 0, 0, TimeSpan.Zero);
        var view = UsageCostView.Create(await client.GetBillingBreakdownAsync(project, UsageCostView.CreateQuery(Now, D(3, 8))), Now);
        var report = await client.GetRequestsAsync(project, new RequestsQuery().Between(start, Now)).ToReportAsync(new UsageReportOptions { Start = start, End = Now }.UseBilling(view));

        var section = CostSection(XDocument.Parse(UsageReportHtml.Render(report)));

        var billed = api.GetRequests(project).Where(r => r.Created >= new DateTimeOffset(2025, 3, 1, 0, 0, 0, TimeSpan.Zero) && r.Response?.Details?.Usd is not null).ToList();
        var mtd = billed.Sum(r => r.Response!.Details!.Usd!.Value);
        Assert.True(mtd > 50m);
        Assert.Equal((UsageMoney.Format(mtd), UsageMoney.FormatExact(mtd)), (Value(Card(section, "Month to date")), Hover(Card(section, "Month to date"))));
        var expected = billed.GroupBy(r => FakeUsageApi.LineItemOf(r)!).Select(g => (Name: g.Key, Usd: g.Sum(r => r.Response!.Details!.Usd!.Value)))
            .OrderByDescending(x => x.Usd).ThenBy(x => x.Name, StringComparer.Ordinal).Select(x => (x.Name, UsageMoney.Format(x.Usd), (string?)UsageMoney.FormatExact(x.Usd)));
        Assert.Equal(expected, Rows(Table(section, "Line item (month to date)")));
        var logs = api.GetRequests(project).Where(r => r.Created >= start && r.Created <= Now).Sum(r => r.Response?.Details?.Usd ?? 0m);
        Assert.Equal($"Reconciliation: Billed {UsageMoney.Format(logs)} · request logs {UsageMoney.Format(logs)} · difference $0.00 (2025-03-08 to 2025-03-14)",
            section.Descendants(H + "p").Single(p => (string?)p.Attribute("class") == "reconciliation").Value);
    }

    private static string Compact(JsonElement e)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            e.WriteTo(w);
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    [Fact]
    public void The_views_json_is_the_reports_cost_view()
    {
        var report = Report(out var view);

        using var fromReport = JsonDocument.Parse(report.ToJson());
        using var alone = JsonDocument.Parse(view.ToJson(report.Reconciliation, indented: false));

        Assert.Equal(Compact(fromReport.RootElement.GetProperty("cost_view")), Compact(alone.RootElement));
        Assert.Equal(37m, alone.RootElement.GetProperty("month_to_date").GetDecimal());
        Assert.Equal(0.75m, alone.RootElement.GetProperty("reconciliation").GetProperty("difference_usd").GetDecimal());
        Assert.Equal(JsonValueKind.Null, JsonDocument.Parse(view.ToJson()).RootElement.GetProperty("reconciliation").ValueKind);
        Assert.Throws<ArgumentNullException>(() => view.WriteJson(null!));
    }
}
