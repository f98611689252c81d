using System.Globalization;
using System.Net;
using AngleSharp.Dom;
using UsageSdk.Dashboard.Tests.Infrastructure;
using UsageSdk.Reports;
using static UsageSdk.Dashboard.Tests.Infrastructure.Dom;

namespace UsageSdk.Dashboard.Tests;

public sealed class PageTests : IAsyncLifetime
{
    private TestDashboard _d = null!;

    public async Task InitializeAsync() => _d = await TestDashboard.StartAsync();

    public async Task DisposeAsync() => await _d.DisposeAsync();

    private static readonly DateTimeOffset Start7 = TestDashboard.Today.AddDays(-6);
    private static readonly DateTimeOffset End = TestDashboard.Today.AddDays(1);

    [Fact]
    public async Task The_tiles_show_the_figures_the_report_API_computes_for_the_same_range()
    {
        var (response, doc) = await _d.GetPageAsync();
        var t = _d.Expected(Start7, End).Totals;
        Assert.Matches(@"^source;dur=\d+\.\d;desc=""read the usage"", render;dur=\d+\.\d;desc=""HTML and SVG""$", response.Headers.GetValues("Server-Timing").Single());

        Assert.True(t.Requests > 300, $"the seeded week has {t.Requests} requests");
        Assert.True(t.TokensIn > 0 && t.TokensOut > 0 && t.BilledUsd > 0 && t.States.Error > 0);
        Assert.Equal((N(t.TokensTotal), t.TokensTotal.ToString(CultureInfo.InvariantCulture)), (doc.TileText("total-tokens"), doc.TileRaw("total-tokens")));
        Assert.Equal((N(t.TokensIn), t.TokensIn.ToString(CultureInfo.InvariantCulture)), (doc.TileText("input-tokens"), doc.TileRaw("input-tokens")));
        Assert.Equal((N(t.TokensOut), t.TokensOut.ToString(CultureInfo.InvariantCulture)), (doc.TileText("output-tokens"), doc.TileRaw("output-tokens")));
        Assert.Equal((N(t.Requests), t.Requests.ToString(CultureInfo.InvariantCulture)), (doc.TileText("requests"), doc.TileRaw("requests")));
        Assert.Equal((Usd(t.BilledUsd), t.BilledUsd.ToString(CultureInfo.InvariantCulture)), (doc.TileText("billed-cost"), doc.TileRaw("billed-cost")));
        Assert.Equal((Pct(t.ErrorRate), t.ErrorRate.ToString("R", CultureInfo.InvariantCulture)), (doc.TileText("error-rate"), doc.TileRaw("error-rate")));
        // Without a price table nothing is estimated (it says so instead of $0.00); the invoiced cost is the billing
        // API's, which the fake derives from the same logs: over whole days it equals the logs' usd.
        Assert.Equal("no price table", doc.TileText("estimated-cost"));
        Assert.Equal(Usd(t.BilledUsd), doc.TileText("invoiced-cost"));
        Assert.Equal("7 days: 12 Mar 2026 – 18 Mar 2026 (7 days, UTC, per day)", doc.QuerySelector("h2.period")!.TextContent);
    }

    [Fact]
    public async Task The_estimated_cost_is_kept_apart_from_billed_cost()
    {
        await using var d = await TestDashboard.StartAsync(o => o.Report.Prices = Prices());
        var doc = await d.GetDocumentAsync("?project=2b7e151a-628a-4ed2-a6ab-f7158809cf4f"); // the contract project: usd 0
        var t = d.Expected(Start7, End, project: "2b7e151a-628a-4ed2-a6ab-f7158809cf4f", configure: o => o.Prices = Prices()).Totals;

        Assert.True(t.EstimatedUsd > 0, "requests without usd are estimated");
        Assert.Equal("~" + Usd(t.EstimatedUsd), doc.TileText("estimated-cost"));
        Assert.Equal(t.EstimatedUsd.ToString(CultureInfo.InvariantCulture), doc.TileRaw("estimated-cost"));
        Assert.Equal(Usd(t.BilledUsd), doc.TileText("billed-cost"));
        Assert.NotEqual(doc.TileRaw("billed-cost"), (t.BilledUsd + t.EstimatedUsd).ToString(CultureInfo.InvariantCulture));
        Assert.Contains("estimate", doc.Tile("estimated-cost").ClassName);
    }

    internal static UsagePriceTable Prices() => UsagePriceTable.Parse("""{ "source": "test prices", "models": { "*": { "per_audio_hour": 0.25, "per_million_input_tokens": 2, "per_million_output_tokens": 8, "per_million_characters": 15 } } }""");

    [Fact]
    public async Task Filters_in_the_URL_change_the_figures_and_are_kept_in_every_link()
    {
        var all = _d.Expected(Start7, End);
        var key = all.ByApiKey.First(g => g.Key is not null);
        var endpoint = all.ByEndpoint.First(g => g.Key is not null && g.Key != key.Key);

        var doc = await _d.GetDocumentAsync($"?key={key.Key}");
        var byKey = _d.Expected(Start7, End, r => (r.ApiKeyId ?? r.Accessor) == key.Key);
        Assert.Equal(key.Figures.Requests, byKey.Totals.Requests);
        Assert.True(byKey.Totals.Requests < all.Totals.Requests);
        Assert.Equal(N(byKey.Totals.Requests), doc.TileText("requests"));
        Assert.Equal(N(byKey.Totals.TokensTotal), doc.TileText("total-tokens"));
        Assert.Equal(Usd(byKey.Totals.BilledUsd), doc.TileText("billed-cost"));
        Assert.Equal("Filtered: api key " + key.Name + " (" + key.Key + ").", doc.QuerySelector(".filters-summary")!.TextContent);
        // The filter form shows it selected, and the presets, the sort links and the exports keep it.
        Assert.Equal(key.Key, doc.QuerySelector("select[name=key] option[selected]")!.GetAttribute("value"));
        Assert.All(doc.QuerySelectorAll("nav.range a, #keys thead a, .export a"), a => Assert.Contains("key=" + key.Key, a.GetAttribute("href")));

        // Two filters: both must match.
        doc = await _d.GetDocumentAsync($"?key={key.Key}&endpoint={endpoint.Key}");
        var both = _d.Expected(Start7, End, r => (r.ApiKeyId ?? r.Accessor) == key.Key && Endpoint.FromPath(r.Path)?.ToString() == endpoint.Key);
        Assert.Equal(N(both.Totals.Requests), doc.TileText("requests"));

        // A tag filter: requests carrying the tag (a request with several tags counts once).
        var tag = all.ByTag.First(g => g.Key is not null);
        doc = await _d.GetDocumentAsync("?tag=" + Uri.EscapeDataString(tag.Key!));
        var byTag = _d.Expected(Start7, End, r => r.Response?.Details?.Tags.Contains(tag.Key!) == true);
        Assert.Equal(tag.Figures.Requests, byTag.Totals.Requests);
        Assert.Equal(N(byTag.Totals.Requests), doc.TileText("requests"));

        // Method and model, and two values of one filter (either).
        var methods = all.ByMethod.Where(g => g.Key is not null).Take(2).Select(g => g.Key!).ToList();
        var model = all.ByModel.First(g => g.Key is not null);
        doc = await _d.GetDocumentAsync($"?method={methods[0]}&method={methods[1]}&model={model.Key}");
        var mm = _d.Expected(Start7, End, r => methods.Contains(r.Response?.Details?.Method?.ToString() ?? "") && r.Response!.Details!.Models.Contains(model.Key!, StringComparer.OrdinalIgnoreCase));
        Assert.True(mm.Totals.Requests > 0);
        Assert.Equal(N(mm.Totals.Requests), doc.TileText("requests"));
    }

    [Fact]
    public async Task The_date_presets_and_a_custom_range_choose_the_days_and_the_resolution()
    {
        var today = await _d.GetDocumentAsync("?range=today");
        Assert.Equal("Today: Wed 18 Mar 2026 (1 day, UTC, per hour)", today.QuerySelector("h2.period")!.TextContent);
        Assert.Equal(24, today.QuerySelector("table.over-time")!.Rows().Count);
        Assert.Equal(N(_d.Expected(TestDashboard.Today, End).Totals.Requests), today.TileText("requests"));
        Assert.Equal("page", today.QuerySelector("nav.range a.current")!.GetAttribute("aria-current"));
        Assert.Equal("Today", today.QuerySelector("nav.range a.current")!.TextContent);

        var d30 = await _d.GetDocumentAsync("?range=30d");
        Assert.Equal(30, d30.QuerySelector("table.over-time")!.Rows().Count);
        Assert.Equal(N(_d.Expected(TestDashboard.Today.AddDays(-29), End).Totals.Requests), d30.TileText("requests"));

        var month = await _d.GetDocumentAsync("?range=month");
        Assert.StartsWith("This month: 1 Mar 2026 – 31 Mar 2026 (31 days", month.QuerySelector("h2.period")!.TextContent);
        Assert.Equal(N(_d.Expected(TestDashboard.Day(2026, 3, 1), TestDashboard.Day(2026, 4, 1)).Totals.Requests), month.TileText("requests"));

        var last = await _d.GetDocumentAsync("?range=lastmonth");
        Assert.StartsWith("Last month: 1 Feb 2026 – 28 Feb 2026 (28 days", last.QuerySelector("h2.period")!.TextContent);
        Assert.Equal(N(_d.Expected(TestDashboard.Day(2026, 2, 1), TestDashboard.Day(2026, 3, 1)).Totals.Requests), last.TileText("requests"));

        var custom = await _d.GetDocumentAsync("?range=custom&from=2026-03-10&to=2026-03-11");
        Assert.Equal("Custom: 10 Mar 2026 – 11 Mar 2026 (2 days, UTC, per hour)", custom.QuerySelector("h2.period")!.TextContent);
        Assert.Equal(48, custom.QuerySelector("table.over-time")!.Rows().Count);
        Assert.Equal(N(_d.Expected(TestDashboard.Day(2026, 3, 10), TestDashboard.Day(2026, 3, 12)).Totals.Requests), custom.TileText("requests"));
        Assert.Equal("2026-03-10", custom.QuerySelector("input#from")!.GetAttribute("value"));
    }

    [Fact]
    public async Task The_over_time_table_behind_the_charts_lists_the_report_buckets()
    {
        var doc = await _d.GetDocumentAsync();
        var expected = _d.Expected(Start7, End).Daily;
        var rows = doc.QuerySelector("table.over-time")!.Rows();
        Assert.Equal(7, rows.Count);
        for (var i = 0; i < 7; i++)
        {
            var f = expected[i].Figures;
            Assert.Equal([expected[i].Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), N(f.Requests), N(f.TokensIn), N(f.TokensOut), N(f.TokensTotal), Usd(f.BilledUsd), "–", N(f.States.Error)], rows[i]);
        }
        // Every chart is an image with a title and a text description that aria-labelledby names.
        var charts = doc.QuerySelectorAll("figure.chart-box svg[role=img]");
        Assert.Equal(4, charts.Length);
        foreach (var svg in charts)
        {
            var ids = svg.GetAttribute("aria-labelledby")!.Split(' ');
            Assert.Equal(2, ids.Length);
            Assert.False(string.IsNullOrWhiteSpace(doc.GetElementById(ids[0])!.TextContent));
            Assert.StartsWith("Per ", doc.GetElementById(ids[1])!.TextContent);
        }
        var total = charts[0];
        Assert.Contains($"Total tokens: {N(expected.Sum(b => b.Figures.TokensTotal))} in all", total.QuerySelector("desc")!.TextContent);
        Assert.Equal(7, total.QuerySelectorAll("circle").Length);
        // The requests-per-hour chart has a bar per non-empty hour.
        var hourly = _d.Expected(Start7, End).Hourly;
        Assert.Equal(hourly.Count(h => h.Figures.Requests > 0), charts[2].QuerySelectorAll("rect.bar").Length);
    }

    [Fact]
    public async Task Per_key_and_per_model_tables_show_names_and_sort_through_the_URL()
    {
        var report = _d.Expected(Start7, End);
        var doc = await _d.GetDocumentAsync();
        var keys = doc.QuerySelector("#keys-table")!;
        var names = keys.QuerySelectorAll("tbody tr").Select(tr => tr.Children[0].ChildNodes[0].TextContent).ToList();
        Assert.Equal(report.ByApiKey.Select(g => g.Name), names); // most requests first
        Assert.Contains("web-backend", names);
        Assert.Equal("descending", keys.QuerySelector("th[aria-sort]")!.GetAttribute("aria-sort"));
        Assert.Contains("Requests", keys.QuerySelector("th[aria-sort]")!.TextContent);

        // The "Input tokens" header links to the ascending... no: a first click sorts numbers highest first.
        var link = keys.QuerySelectorAll("thead a").Single(a => a.TextContent.StartsWith("Input tokens", StringComparison.Ordinal)).GetAttribute("href")!;
        Assert.Contains("ksort=tokens_in&kdir=desc", link);
        doc = await _d.GetDocumentAsync(link[link.IndexOf('?')..link.IndexOf('#')].Replace("kdir=desc", "kdir=asc"));
        keys = doc.QuerySelector("#keys-table")!;
        var sorted = report.ByApiKey.OrderBy(g => g.Figures.TokensIn).ThenBy(g => g.Name, StringComparer.OrdinalIgnoreCase).Select(g => g.Name).ToList();
        Assert.Equal(sorted, keys.QuerySelectorAll("tbody tr").Select(tr => tr.Children[0].ChildNodes[0].TextContent));
        Assert.Equal("ascending", keys.QuerySelector("th[aria-sort]")!.GetAttribute("aria-sort"));
        var ins = keys.Rows().Select(r => long.Parse(r[2], NumberStyles.AllowThousands, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(ins.Order(), ins);

        // Models: names from /usage/fields, ids beside them.
        var models = doc.QuerySelector("#models-table")!;
        var first = models.QuerySelector("tbody tr th")!;
        var model = _d.Api.Models.Single(m => m.ModelId == first.QuerySelector("small")!.TextContent);
        Assert.Equal(model.Name, first.ChildNodes[0].TextContent);
        Assert.StartsWith("Per model: ", models.QuerySelector("caption")!.TextContent);
    }

    [Theory]
    [InlineData("/keys")]
    [InlineData("/usage/fields")]
    public async Task A_key_that_may_not_read_names_still_gets_the_page_with_the_names_it_has(string forbidden)
    {
        _d.Api.Faults.AppliesTo = r => r.Path.EndsWith(forbidden, StringComparison.Ordinal);
        _d.Api.Faults.FailNext(10, 403);

        var (response, doc) = await _d.GetPageAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(_d.Api.RecordedRequests, r => r.Path.EndsWith(forbidden, StringComparison.Ordinal) && r.StatusCode == 403);
        var report = _d.Expected(Start7, End);
        Assert.Equal(N(report.Totals.Requests), doc.TileText("requests"));
        // The key names the options give stay; model names need /usage/fields, so without it the model ids show.
        Assert.Contains("web-backend", doc.QuerySelector("#keys-table")!.TextContent);
        var firstModel = doc.QuerySelector("#models-table tbody tr th")!;
        var model = _d.Api.Models.SingleOrDefault(m => m.ModelId == firstModel.ChildNodes[0].TextContent || m.Name == firstModel.ChildNodes[0].TextContent);
        Assert.Equal(forbidden == "/usage/fields" ? model?.ModelId : model?.Name, firstModel.ChildNodes[0].TextContent);
    }

    [Fact]
    public async Task Log_states_spikes_and_budget_breaches_are_those_of_the_report()
    {
        await using var d = await TestDashboard.StartAsync(o => o.Report.Budgets.Add(new UsageBudget { Name = "daily", MaxUsd = 1m }));
        var doc = await d.GetDocumentAsync("?range=30d");
        var report = d.Expected(TestDashboard.Today.AddDays(-29), End, configure: o => o.Budgets.Add(new UsageBudget { Name = "daily", MaxUsd = 1m }));

        var states = doc.QuerySelector("section.log-states table")!.Rows().ToDictionary(r => r[0], r => r[1]);
        Assert.Equal(N(report.Totals.States.Success), states["Success"]);
        Assert.Equal(N(report.Totals.States.Error), states["Error"]);
        Assert.Equal(N(report.Totals.States.Pending), states["Pending"]);
        Assert.Equal(N(report.Totals.States.Lost), states["Lost"]);

        var breaches = doc.QuerySelector("section.budgets table")!.Rows();
        Assert.True(report.BudgetBreaches.Count > 0);
        Assert.Equal(report.BudgetBreaches.Count, breaches.Count);
        Assert.Equal(report.BudgetBreaches[0].Day!.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), breaches[0][1]);
        Assert.Equal(Usd(report.BudgetBreaches[0].Actual), breaches[0][5]);

        var spikes = doc.QuerySelector("section.spikes");
        if (report.Spikes.Count == 0)
        {
            Assert.Equal("No spikes: no hour stands far above the range's norm.", spikes!.QuerySelector("p.none")!.TextContent);
        }
        else
        {
            Assert.Equal(report.Spikes.Select(s => s.Hour.ToString("yyyy-MM-dd HH:00", CultureInfo.InvariantCulture)), spikes!.QuerySelector("table")!.Rows().Select(r => r[0]));
        }
        // Without budgets the page says none is set.
        var plain = await _d.GetDocumentAsync();
        Assert.Equal("No budget is set for this dashboard.", plain.QuerySelector("section.budgets p.none")!.TextContent);
    }

    [Fact]
    public async Task Spikes_in_the_range_are_listed_and_marked_on_the_requests_chart()
    {
        await using var d = await TestDashboard.StartAsync();
        // A burst of 300 requests in one hour two days ago.
        var hour = TestDashboard.Today.AddDays(-2).AddHours(10);
        d.Api.AddRequests(Enumerable.Range(0, 300).Select(i => UsageModelFactory.UsageRequest($"burst-{i}", TestDashboard.Project, hour.AddSeconds(i * 10), "/v1/listen", apiKeyId: "burst-key", code: 200,
            response: UsageModelFactory.RequestResponse(details: UsageModelFactory.RequestDetails(usd: 0.01m)))));
        var doc = await d.GetDocumentAsync();
        var rows = doc.QuerySelector("section.spikes table")!.Rows();
        Assert.Contains(rows, r => r[0] == hour.ToString("yyyy-MM-dd HH:00", CultureInfo.InvariantCulture) && r[1] == "requests");
        var marked = doc.QuerySelectorAll("figure.chart-box svg rect.marked");
        Assert.Contains(marked, r => r.TextContent.StartsWith(hour.ToString("yyyy-MM-dd HH:00", CultureInfo.InvariantCulture), StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_empty_range_says_no_usage_data_and_why()
    {
        // Older than the API keeps.
        var old = await _d.GetDocumentAsync("?range=custom&from=2025-06-01&to=2025-06-30");
        Assert.Equal("No usage data for this range", old.QuerySelector("section.empty h2")!.TextContent);
        Assert.Equal("status", old.QuerySelector("section.empty")!.GetAttribute("role"));
        Assert.Contains("90 days", old.QuerySelector("section.empty .reason")!.TextContent);
        Assert.Null(old.QuerySelector("li.tile"));

        // Filters that match nothing in the range.
        var none = await _d.GetDocumentAsync("?key=no-such-key");
        var reason = none.QuerySelector("section.empty .reason")!.TextContent;
        Assert.StartsWith(N(_d.Expected(Start7, End).Totals.Requests) + " requests of Acme Voice (production) are in this range, but none matches the filters (api key no-such-key)", reason);
        Assert.Equal("no-such-key", none.QuerySelector("select[name=key] option[selected]")!.GetAttribute("value"));

        // In the future.
        var future = await _d.GetDocumentAsync("?range=custom&from=2026-05-01&to=2026-05-02");
        Assert.Equal("This range is in the future: nothing has happened in it yet.", future.QuerySelector("section.empty .reason")!.TextContent);

        // Days without requests inside what the API keeps (the fake's data starts 40 days ago).
        var quiet = await _d.GetDocumentAsync("?range=custom&from=2026-01-01&to=2026-01-02");
        Assert.Equal("Acme Voice (production) made no requests in this range (source: demo API).", quiet.QuerySelector("section.empty .reason")!.TextContent);
    }

    [Fact]
    public async Task Bad_parameters_answer_400_with_a_message_that_says_what_to_fix()
    {
        foreach (var (query, message) in new[]
        {
            ("?range=week", "range 'week' is not a range; use today, 7d, 30d, month, lastmonth or custom (with from and to)."),
            ("?range=custom&from=2026-03-10&to=2026-03-01", "to (2026-03-01) is before from (2026-03-10)."),
            ("?from=10.3.2026", "from '10.3.2026' is not a day; use yyyy-MM-dd, for example 2025-01-31."),
            ("?range=custom&from=2024-01-01&to=2026-01-01", "The range from 2024-01-01 to 2026-01-01 is 732 days; this dashboard shows at most 400."),
            ("?ksort=price", "ksort 'price' is not a column; use name, requests, tokens, tokens_in, tokens_out, billed, estimated, error_rate."),
            ("?project=other", "project 'other' is not one of this dashboard's projects (5d1e8a34-6f0b-4c2e-9b7d-3a4c5e6f7a8b, 9d3c2b1a-0f4e-4d5c-8b7a-6e5f4d3c2b1a, 2b7e151a-628a-4ed2-a6ab-f7158809cf4f)."),
        })
        {
            var (response, doc) = await _d.GetPageAsync(query);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal(message, doc.QuerySelector("section.alert .reason")!.TextContent);
            Assert.Equal("alert", doc.QuerySelector("section.alert")!.GetAttribute("role"));
        }
    }

    [Fact]
    public async Task The_page_has_landmarks_labels_and_captions_for_screen_readers()
    {
        var doc = await _d.GetDocumentAsync();
        Assert.Equal("en", doc.DocumentElement.GetAttribute("lang"));
        Assert.NotNull(doc.QuerySelector("header"));
        Assert.NotNull(doc.QuerySelector("main#main"));
        Assert.NotNull(doc.QuerySelector("footer"));
        Assert.Equal("Date range", doc.QuerySelector("nav")!.GetAttribute("aria-label"));
        Assert.Equal("search", doc.QuerySelector("form.filters")!.GetAttribute("role"));
        Assert.Equal("#main", doc.QuerySelector("a.skip")!.GetAttribute("href"));
        // Every control has a label.
        foreach (var control in doc.QuerySelectorAll("select, input:not([type=hidden])"))
        {
            Assert.NotNull(doc.QuerySelector($"label[for='{control.Id}']"));
        }
        // Every data table has a caption; every section a heading it is labelled by.
        Assert.All(doc.QuerySelectorAll("table"), t => Assert.False(string.IsNullOrWhiteSpace(t.QuerySelector("caption")?.TextContent)));
        Assert.All(doc.QuerySelectorAll("main section[aria-labelledby]"), s => Assert.NotNull(doc.GetElementById(s.GetAttribute("aria-labelledby")!)));
        // Scrollable table regions can be reached with the keyboard.
        Assert.All(doc.QuerySelectorAll("div.scroll"), s => Assert.Equal("0", s.GetAttribute("tabindex")));
        // Only the page's own script and stylesheet, no inline script or style.
        Assert.Equal(["/usage/assets/dashboard.js"], doc.QuerySelectorAll("script").Select(s => s.GetAttribute("src")));
        Assert.Empty(doc.QuerySelectorAll("style, [style]"));
        Assert.All(doc.QuerySelectorAll("[href], [src]").Where(e => e.GetAttribute("href")?.StartsWith('#') != true), e => Assert.StartsWith("/usage", e.GetAttribute("href") ?? e.GetAttribute("src")));
    }

    [Fact]
    public async Task Projects_are_offered_and_chosen_through_the_URL()
    {
        var doc = await _d.GetDocumentAsync("?project=9d3c2b1a-0f4e-4d5c-8b7a-6e5f4d3c2b1a");
        Assert.Equal("Acme Voice (staging) (9d3c2b1a-0f4e-4d5c-8b7a-6e5f4d3c2b1a) · demo API · times are UTC", doc.QuerySelector("header .sub")!.TextContent);
        Assert.Equal(3, doc.QuerySelectorAll("select#project option").Length);
        Assert.Equal("9d3c2b1a-0f4e-4d5c-8b7a-6e5f4d3c2b1a", doc.QuerySelector("select#project option[selected]")!.GetAttribute("value"));
        var staging = _d.Expected(Start7, End, project: "9d3c2b1a-0f4e-4d5c-8b7a-6e5f4d3c2b1a");
        Assert.Equal(N(staging.Totals.Requests), doc.TileText("requests"));
        Assert.Contains("Acme Voice (staging)", doc.Title);
    }
}
