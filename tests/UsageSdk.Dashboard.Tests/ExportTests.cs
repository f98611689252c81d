using System.Globalization;
using System.Net;
using System.Text.Json;
using UsageSdk.Dashboard.Tests.Infrastructure;
using static UsageSdk.Dashboard.Tests.Infrastructure.Dom;

namespace UsageSdk.Dashboard.Tests;

public sealed class ExportTests : IAsyncLifetime
{
    private TestDashboard _d = null!;

    public async Task InitializeAsync() => _d = await TestDashboard.StartAsync();

    public async Task DisposeAsync() => await _d.DisposeAsync();

    private static readonly DateTimeOffset End = TestDashboard.Today.AddDays(1);

    private static List<string[]> Csv(string text)
    {
        Assert.EndsWith("\r\n", text);
        return text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(',')).ToList();
    }

    [Fact]
    public async Task The_CSV_export_holds_exactly_the_rows_of_the_view_with_its_filters()
    {
        var report = _d.Expected(TestDashboard.Today.AddDays(-29), End);
        var key = report.ByApiKey.First(g => g.Key is not null).Key!;
        const string view = "?range=30d&endpoint=listen&key=";
        var doc = await _d.GetDocumentAsync(view + key);
        var href = doc.QuerySelectorAll(".export a").Single(a => a.TextContent == "Export CSV").GetAttribute("href")!;
        Assert.Equal($"/usage/export.csv?project={TestDashboard.Project}&range=30d&key={key}&endpoint=listen", href);

        var response = await _d.Client.GetAsync(href);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Equal($"attachment; filename=\"usage-{TestDashboard.Project}-20260217-20260318.csv\"", response.Content.Headers.ContentDisposition!.ToString());
        var rows = Csv(await response.Content.ReadAsStringAsync());

        Assert.Equal(["start", "end", "requests", "tokens_in", "tokens_out", "tokens_total", "billed_usd", "estimated_usd", "errors"], rows[0]);
        var expected = _d.Expected(TestDashboard.Today.AddDays(-29), End, r => (r.ApiKeyId ?? r.Accessor) == key && Endpoint.FromPath(r.Path)?.ToString() == "listen").Daily;
        Assert.Equal(30, rows.Count - 1);
        for (var i = 0; i < expected.Count; i++)
        {
            var f = expected[i].Figures;
            Assert.Equal([expected[i].Start.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), expected[i].End.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                f.Requests.ToString(CultureInfo.InvariantCulture), f.TokensIn.ToString(CultureInfo.InvariantCulture), f.TokensOut.ToString(CultureInfo.InvariantCulture), f.TokensTotal.ToString(CultureInfo.InvariantCulture),
                f.BilledUsd.ToString(CultureInfo.InvariantCulture), "0", f.States.Error.ToString(CultureInfo.InvariantCulture)], rows[i + 1]);
        }
        // The rows are the rows of the page's table, value for value.
        var table = doc.QuerySelector("table.over-time")!.Rows();
        Assert.Equal(table.Count, rows.Count - 1);
        for (var i = 0; i < table.Count; i++)
        {
            Assert.Equal(table[i][0], rows[i + 1][0][..10]);
            Assert.Equal(table[i][1], N(long.Parse(rows[i + 1][2], CultureInfo.InvariantCulture)));
            Assert.Equal(table[i][4], N(long.Parse(rows[i + 1][5], CultureInfo.InvariantCulture)));
            Assert.Equal(table[i][5], Usd(decimal.Parse(rows[i + 1][6], CultureInfo.InvariantCulture)));
        }
        Assert.Equal(doc.TileRaw("requests"), rows.Skip(1).Sum(r => long.Parse(r[2], CultureInfo.InvariantCulture)).ToString(CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task The_per_key_CSV_lists_every_key_in_the_order_of_the_view()
    {
        var doc = await _d.GetDocumentAsync("?ksort=billed&kdir=asc");
        var href = doc.QuerySelector("#keys a[download]")!.GetAttribute("href")!;
        Assert.Contains("table=keys", href);
        var rows = Csv(await _d.Client.GetStringAsync(href));
        Assert.Equal(["key", "name", "requests", "tokens_in", "tokens_out", "tokens_total", "audio_hours", "billed_usd", "estimated_usd", "errors", "error_rate"], rows[0]);
        var page = doc.QuerySelector("#keys-table")!.QuerySelectorAll("tbody tr").ToList();
        Assert.Equal(page.Count, rows.Count - 1);
        for (var i = 0; i < page.Count; i++)
        {
            Assert.Equal(page[i].GetAttribute("data-key"), rows[i + 1][0]);
            Assert.Equal(page[i].Children[0].ChildNodes[0].TextContent, rows[i + 1][1]);
            Assert.Equal(page[i].Children[5].TextContent, Usd(decimal.Parse(rows[i + 1][7], CultureInfo.InvariantCulture)));
        }
        var billed = rows.Skip(1).Select(r => decimal.Parse(r[7], CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(billed.Order(), billed);
    }

    [Fact]
    public async Task The_JSON_export_holds_the_view_parameters_and_the_report_of_the_view()
    {
        var doc = await _d.GetDocumentAsync("?range=today&method=streaming");
        var href = doc.QuerySelectorAll(".export a").Single(a => a.TextContent == "Export JSON").GetAttribute("href")!;
        var response = await _d.Client.GetAsync(href);
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;
        Assert.Equal(TestDashboard.Project, root.GetProperty("project_id").GetString());
        Assert.Equal("today", root.GetProperty("range").GetString());
        Assert.Equal("2026-03-18T00:00:00Z", root.GetProperty("start").GetString());
        Assert.Equal("2026-03-19T00:00:00Z", root.GetProperty("end").GetString());
        Assert.Equal("hour", root.GetProperty("resolution").GetString());
        Assert.Equal(["streaming"], root.GetProperty("filters").GetProperty("method").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(JsonValueKind.Null, root.GetProperty("invoiced_usd").ValueKind);
        var expected = _d.Expected(TestDashboard.Today, End, r => r.Response?.Details?.Method?.ToString() == "streaming");
        using var report = JsonDocument.Parse(expected.ToJson());
        Assert.True(JsonElement.DeepEquals(report.RootElement.GetProperty("totals"), root.GetProperty("report").GetProperty("totals")), root.GetProperty("report").GetProperty("totals").GetRawText());
        Assert.True(JsonElement.DeepEquals(report.RootElement.GetProperty("hourly"), root.GetProperty("report").GetProperty("hourly")));
        Assert.Equal(doc.TileRaw("requests"), root.GetProperty("report").GetProperty("totals").GetProperty("requests").GetRawText());
    }

    [Fact]
    public async Task Export_errors_answer_400_in_plain_text()
    {
        var response = await _d.Client.GetAsync("/usage/export.csv?table=tags");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("table 'tags' is not a table of the export; use time (the default), keys or models.\n", await response.Content.ReadAsStringAsync());
        response = await _d.Client.GetAsync("/usage/export.json?range=year");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("range 'year' is not a range", await response.Content.ReadAsStringAsync());
    }
}
