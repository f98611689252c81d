using System.Text.Json;
using System.Xml.Linq;
using static UsageSdk.Reports.Tests.Infrastructure.ReportData;
using F = UsageSdk.UsageModelFactory;

namespace UsageSdk.Reports.Tests;

public sealed class ReportOutputTests
{
    private static readonly XNamespace H = "http://www.w3.org/1999/xhtml";
    private static readonly XNamespace S = "http://www.w3.org/2000/svg";

    private static UsageReport Sample()
    {
        var options = new UsageReportOptions
        {
            Prices = new UsagePriceTable([new(M2, new UsageModelPrice { PerMillionInputTokens = 2m, PerMillionOutputTokens = 8m })], "test prices"),
        };
        options.Names.Models[M1] = "nova-3";
        options.Budgets.Add(new UsageBudget { Name = "daily cap", MaxUsd = 1.00m });
        return SixRequests().ToReport(options);
    }

    [Fact]
    public void Html_is_well_formed_xhtml_with_svg_charts_and_the_figures()
    {
        var html = UsageReportHtml.Render(Sample(), new UsageReportHtmlOptions { Title = "Acme <usage> & co", Subtitle = "project p" });

        Assert.StartsWith("<!DOCTYPE html>", html);
        var doc = XDocument.Parse(html);
        Assert.Equal(H + "html", doc.Root!.Name);
        Assert.Equal("Acme <usage> & co", doc.Descendants(H + "title").Single().Value);
        var svgs = doc.Descendants(S + "svg").ToList();
        Assert.True(svgs.Count >= 4, $"expected the hourly, tokens, cost, hour-of-day and state charts; got {svgs.Count}");
        Assert.Contains(svgs, s => (string?)s.Attribute("aria-label") == "Requests per hour");
        // Requests per hour: 2, 2, 1 and 1 request in four hours → four bars with those titles.
        var hourlyTitles = svgs.Single(s => (string?)s.Attribute("aria-label") == "Requests per hour").Descendants(S + "title").Select(t => t.Value).ToList();
        Assert.Equal(4, hourlyTitles.Count);
        Assert.Contains(hourlyTitles, t => t.StartsWith("2025-03-10 10:00 UTC: 2 requests", StringComparison.Ordinal));

        var text = doc.Root.Value;
        Assert.Contains("$2.00", text);                         // billed, in cents
        Assert.Contains("~<$0.01", text);                       // estimated 0.0044: labelled, and never shown as free
        var estimateTile = doc.Descendants(H + "div").Single(d => (string?)d.Attribute("class") == "value" && d.Value == "~<$0.01");
        Assert.Equal("~$0.0044", (string?)estimateTile.Attribute("title")); // the exact figure as hover text
        Assert.Contains("Estimated cost (not billed)", text);
        Assert.Contains("1,475", text);                         // tokens
        Assert.Contains("1,150 in · 325 out", text);
        Assert.Contains("nova-3", text);                        // model name
        Assert.Contains("k1", text);
        Assert.Contains("team:a", text);
        Assert.Contains("error rate 20%", text);
        Assert.Contains("3 of 6 requests carry no usd", text);
        Assert.Contains("1 estimated from the price table, 2 with no price", text);
        Assert.Contains("test prices", text);
        Assert.Contains("Success 4", text);
        Assert.Contains("Pending 1", text);
        // Budget breach row: day 2025-03-11, limit $1.00, actual $1.25.
        var breachRow = doc.Descendants(H + "tr").Single(tr => tr.Value.Contains("2025-03-11", StringComparison.Ordinal) && tr.Value.Contains("daily cap", StringComparison.Ordinal));
        Assert.Contains("$1.25", breachRow.Value);
    }

    [Fact]
    public void Html_has_no_script_no_external_resource_and_no_self_closed_html_elements()
    {
        var html = UsageReportHtml.Render(Sample());
        var doc = XDocument.Parse(html);

        Assert.DoesNotContain(doc.Descendants(), e => e.Name.LocalName is "script" or "link" or "img" or "iframe" or "object");
        Assert.DoesNotContain(doc.Descendants().Attributes(), a => a.Name.LocalName is "src" or "href");
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org/", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        Assert.DoesNotContain("@import", html, StringComparison.Ordinal);
        Assert.DoesNotContain("url(", html, StringComparison.Ordinal);
        // An HTML parser reads <div /> as an open tag: only void elements may be self-closed.
        var selfClosed = System.Text.RegularExpressions.Regex.Matches(html, @"<(\w+)[^<>]*/>").Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.All(selfClosed, name => Assert.Contains(name, new[] { "meta", "rect", "line", "br" }));
    }

    [Fact]
    public void Html_marks_spike_hours_and_escapes_odd_names()
    {
        var requests = new List<UsageRequest>();
        for (var h = 0; h < 12; h++)
        {
            for (var i = 0; i < (h == 7 ? 40 : 2); i++)
            {
                requests.Add(F.UsageRequest($"{h}-{i}", "p", T0.AddHours(h).AddMinutes(i), "/v1/listen", "key\u0001<x>", "a", Deployment.Hosted, 200,
                    F.RequestResponse(F.RequestDetails(usd: 0.01m, tags: ["a&b"]), 200)));
            }
        }
        var html = UsageReportHtml.Render(requests.ToReport());
        var doc = XDocument.Parse(html);

        var spikeBars = doc.Descendants(S + "rect").Where(r => (string?)r.Attribute("fill") == "#d9480f").ToList();
        Assert.Contains(spikeBars, r => r.Value.Contains("2025-03-10 07:00 UTC: 40 requests (spike)", StringComparison.Ordinal));
        Assert.Contains("key\uFFFD<x>", doc.Root!.Value);
        Assert.Contains("a&b", doc.Root.Value);
        Assert.Contains(doc.Descendants(H + "td"), td => td.Value == "2025-03-10 07:00");
    }

    [Fact]
    public void Html_of_an_empty_report_and_of_a_breakdown_parse()
    {
        var empty = XDocument.Parse(UsageReportHtml.Render(Array.Empty<UsageRequest>().ToReport()));
        Assert.Contains("no data", empty.Root!.Value);

        var d = new DateOnly(2025, 1, 16);
        var breakdown = F.UsageBreakdown(d, d, F.UsageResolution(), [F.UsageBreakdownResult(totalHours: 2, tokensIn: 5, tokensOut: 1, requests: 3, grouping: F.UsageBreakdownGrouping(d, d, models: [M1]))]);
        var fromBreakdown = XDocument.Parse(UsageReportHtml.Render(UsageReport.FromBreakdown(breakdown)));
        Assert.Contains("from the usage breakdown", fromBreakdown.Root!.Value);
        Assert.DoesNotContain("Billed cost", fromBreakdown.Root.Value);
    }

    [Fact]
    public void Html_file_is_written_as_utf8()
    {
        var path = Path.Combine(Path.GetTempPath(), $"report-{Guid.NewGuid():N}.html");
        try
        {
            UsageReportHtml.WriteFile(Sample(), path);
            var bytes = File.ReadAllBytes(path);
            Assert.NotEqual(0xEF, bytes[0]); // no BOM
            Assert.NotNull(XDocument.Parse(File.ReadAllText(path)).Root);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Json_has_the_figures_with_exact_usd()
    {
        using var doc = JsonDocument.Parse(Sample().ToJson());
        var root = doc.RootElement;

        Assert.Equal("requests", root.GetProperty("source").GetString());
        Assert.Equal("2025-03-10T10:00:00Z", root.GetProperty("start").GetString());
        var totals = root.GetProperty("totals");
        Assert.Equal(6, totals.GetProperty("requests").GetInt64());
        Assert.Equal(2.00m, totals.GetProperty("billed_usd").GetDecimal());
        Assert.Equal(0.0044m, totals.GetProperty("estimated_usd").GetDecimal());
        Assert.Equal(1, totals.GetProperty("states").GetProperty("error").GetInt64());
        Assert.Equal(0.2, totals.GetProperty("error_rate").GetDouble());
        var keys = root.GetProperty("groups").GetProperty("api_key");
        Assert.Equal("k1", keys[0].GetProperty("key").GetString());
        Assert.Equal(JsonValueKind.Null, keys[2].GetProperty("key").ValueKind);
        Assert.Equal(18, root.GetProperty("hourly").GetArrayLength());
        Assert.Equal(24, root.GetProperty("hour_of_day").GetArrayLength());
        var breach = root.GetProperty("budget_breaches")[0];
        Assert.Equal("2025-03-11", breach.GetProperty("day").GetString());
        Assert.Equal(1.25m, breach.GetProperty("actual").GetDecimal());
        Assert.Equal("nova-3", root.GetProperty("groups").GetProperty("model").EnumerateArray().Single(g => g.GetProperty("key").GetString() == M1).GetProperty("name").GetString());
    }
}
