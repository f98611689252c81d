using System.Globalization;
using System.Text.Json;
using System.Xml.Linq;
using static UsageSdk.Reports.Tests.Infrastructure.ReportData;
using F = UsageSdk.UsageModelFactory;

namespace UsageSdk.Reports.Tests;

/// <summary>Issue 22.3: money as people read it, and names for keys and models.</summary>
public sealed class ReportMoneyAndNamesTests
{
    private static readonly XNamespace H = "http://www.w3.org/1999/xhtml";

    [Theory]
    [InlineData("29.612552", "$29.61")]
    [InlineData("29.615", "$29.62")]     // half away from zero
    [InlineData("1234.5", "$1,234.50")]
    [InlineData("1234567.891", "$1,234,567.89")]
    [InlineData("0", "$0.00")]
    [InlineData("0.004", "<$0.01")]      // never shown as free
    [InlineData("0.005", "$0.01")]
    [InlineData("-3.2", "-$3.20")]
    [InlineData("-0.001", ">-$0.01")]
    public void Format_shows_cents(string amount, string expected)
        => Assert.Equal(expected, UsageMoney.Format(decimal.Parse(amount, CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData("29.612552", "$29.612552")]
    [InlineData("2", "$2.00")]
    [InlineData("1234.5", "$1,234.50")]
    [InlineData("-0.0043", "-$0.0043")]
    [InlineData("0.000000000001", "$0.000000000001")]
    public void FormatExact_keeps_every_decimal(string amount, string expected)
        => Assert.Equal(expected, UsageMoney.FormatExact(decimal.Parse(amount, CultureInfo.InvariantCulture)));

    [Fact]
    public void Money_is_the_same_in_every_culture()
    {
        var before = CultureInfo.CurrentCulture;
        try
        {
            foreach (var name in new[] { "", "de-DE", "fr-FR", "ja-JP" }) // "" is the invariant culture, whose currency sign is ¤
            {
                CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(name);
                Assert.Equal("$1,234.57", UsageMoney.Format(1234.567m));
                Assert.Equal("~$1,234.57", UsageMoney.FormatEstimate(1234.567m));
                Assert.Equal("$1,234.567", UsageMoney.FormatExact(1234.567m));
                var html = UsageReportHtml.Render(SixRequests().ToReport());
                Assert.DoesNotContain("¤", html);
                Assert.DoesNotContain("€", html);
            }
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }
    }

    [Fact]
    public void Html_shows_cents_with_the_exact_figure_as_hover_text_and_a_total_tokens_column()
    {
        var requests = new[]
        {
            F.UsageRequest("a", "p", T0, "/v1/listen", "k1", "k1", Deployment.Hosted, 200,
                F.RequestResponse(F.RequestDetails(usd: 29.612552m, models: [M1]), 200, tokenDetails: [F.TokenDetail("x", 1000, 234)])),
        };
        var options = new UsageReportOptions();
        options.Names.Keys["k1"] = "web-backend";
        options.Names.Models[M1] = "nova-3";
        var doc = XDocument.Parse(UsageReportHtml.Render(requests.ToReport(options)));

        var billedTile = doc.Descendants(H + "div").Single(d => (string?)d.Attribute("class") == "value" && d.Value == "$29.61");
        Assert.Equal("$29.612552", (string?)billedTile.Attribute("title"));
        // Shown text is in cents everywhere; the exact figure is only hover text (title attributes, SVG titles).
        var shown = doc.Descendants(H + "body").Single().DescendantNodes().OfType<XText>().Where(t => t.Parent!.Name.Namespace == H).Select(t => t.Value).ToList();
        Assert.DoesNotContain(shown, t => t.Contains("29.612552", StringComparison.Ordinal));
        Assert.Contains(doc.Descendants().Where(e => e.Name.LocalName == "title" && e.Name.Namespace != H), t => t.Value.Contains("$29.612552 billed", StringComparison.Ordinal));
        foreach (var title in new[] { "Per API key", "Per model" })
        {
            var table = doc.Descendants(H + "section").Single(s => s.Element(H + "h2")?.Value == title).Descendants(H + "table").Single();
            var headers = table.Descendants(H + "th").Select(th => th.Value).ToList();
            var cells = table.Element(H + "tbody")!.Elements(H + "tr").Single().Elements(H + "td").ToList();
            Assert.Equal("1,234", cells[headers.IndexOf("Tokens")].Value);
            var billed = cells[headers.IndexOf("Billed USD")];
            Assert.Equal(("$29.61", "$29.612552"), (billed.Value, (string?)billed.Attribute("title")));
            Assert.StartsWith(title == "Per API key" ? "web-backend" : "nova-3", cells[0].Value);
        }
    }

    [Fact]
    public void Html_marks_overlapping_columns_and_names_budget_keys()
    {
        var options = new UsageReportOptions();
        options.Names.Keys["k1"] = "web-backend";
        options.Budgets.Add(new UsageBudget { MaxUsd = 0.10m, PerApiKey = true, Period = UsageBudgetPeriod.Report });
        var doc = XDocument.Parse(UsageReportHtml.Render(SixRequests().ToReport(options)));

        var tags = doc.Descendants(H + "section").Single(s => s.Element(H + "h2")?.Value == "Per tag");
        var requestsHeader = tags.Descendants(H + "th").Single(th => th.Value == "Requests *");
        Assert.Contains("overlap", (string?)requestsHeader.Attribute("title"));
        Assert.Contains("A request with several tags counts in each one's row", tags.Value);
        var breach = doc.Descendants(H + "section").Single(s => s.Element(H + "h2")?.Value == "Budget breaches");
        Assert.Contains(breach.Descendants(H + "td"), td => td.Value == "web-backend");
        Assert.Contains(breach.Descendants(H + "td"), td => td.Value == "$0.50" && (string?)td.Attribute("title") == "$0.50");
    }

    [Fact]
    public void Names_parse_from_the_documented_shape()
    {
        var names = UsageNames.Parse("""
            {
              // the key's comment in the API
              "keys": { "e7938768-aaaa": "web-backend", "acc-1": "mobile-app", },
              "models": { "1ABFE86B-e047-4eed-858a-35e5625b41ee": "nova-3" }
            }
            """);

        Assert.Equal("web-backend", names.KeyName("E7938768-AAAA"));
        Assert.Equal("mobile-app", names.KeyName("acc-1"));
        Assert.Equal("nova-3", names.ModelName("1abfe86b-e047-4eed-858a-35e5625b41ee"));
        Assert.Null(names.KeyName("other"));
        Assert.Null(names.ModelName(null));
        Assert.True(UsageNames.Parse("{}").IsEmpty);
        Assert.Equal("2 key names, 1 model names", names.ToString());
    }

    [Theory]
    [InlineData("""{ "key": { "a": "b" } }""", "key")]
    [InlineData("""{ "keys": { "a": "" } }""", "name of 'a' in \"keys\" is empty")]
    [InlineData("""{ "models": { "": "x" } }""", "id in \"models\" is empty")]
    [InlineData("""{ "keys": { "a": "x", "A": "y" } }""", "named twice")]
    [InlineData("""{ "keys": ["a"] }""", "not valid")]
    [InlineData("""null""", "empty")]
    [InlineData("""nope""", "not valid")]
    public void Names_errors_say_what_is_wrong(string json, string expected)
    {
        var e = Assert.Throws<FormatException>(() => UsageNames.Parse(json));
        Assert.Contains(expected, e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Names_load_from_a_file_and_a_stream()
    {
        var path = Path.Combine(Path.GetTempPath(), $"names-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """{ "models": { "m": "nova-3" } }""");
        try
        {
            Assert.Equal("nova-3", UsageNames.Load(path).ModelName("m"));
            File.WriteAllText(path, """{ "models": { "m": 3 } }""");
            Assert.StartsWith(path + ":", Assert.Throws<FormatException>(() => UsageNames.Load(path)).Message);
        }
        finally
        {
            File.Delete(path);
        }
        using var stream = new MemoryStream("""{ "keys": { "k": "ivr" } }"""u8.ToArray());
        Assert.Equal("ivr", (await UsageNames.LoadAsync(stream)).KeyName("k"));
    }

    [Fact]
    public void Report_names_groups_and_keeps_a_copy_of_its_names()
    {
        var options = new UsageReportOptions { Names = UsageNames.Parse("""{ "keys": { "acc-k1": "by accessor", "k2": "ops" } }""") };
        var report = SixRequests().ToReport(options);
        options.Names.Keys["k2"] = "changed later";

        Assert.Equal("ops", report.Group(UsageReportDimension.ApiKey, "k2").Name);
        Assert.Equal("k1", report.Group(UsageReportDimension.ApiKey, "k1").Name); // grouped by api_key_id; the accessor's name is not the id's
        Assert.Equal("ops", report.Names.KeyName("k2"));
        Assert.Equal("(none)", report.Group(UsageReportDimension.ApiKey, null).Name);
        Assert.Throws<ArgumentNullException>(() => new UsageReportOptions { Names = null! });
        using var doc = JsonDocument.Parse(report.ToJson());
        Assert.Equal("ops", doc.RootElement.GetProperty("groups").GetProperty("api_key").EnumerateArray().Single(g => g.GetProperty("key").GetString() == "k2").GetProperty("name").GetString());
    }

    [Fact]
    public void A_model_renamed_by_Add_still_matches_its_api_name_in_paths_token_details_and_prices()
    {
        var options = new UsageReportOptions { Prices = UsagePriceTable.Parse("""{ "models": { "nova-3": { "per_audio_hour": 0.6 } } }""") };
        options.Names.Models[M1] = "nova-3";                                        // as /usage/fields names it
        options.Names.Add(UsageNames.Parse($$"""{ "models": { "{{M1}}": "Nova 3 (general)" } }""")); // the user's names file
        var failed = F.UsageRequest("f", "p", T0, "/v1/listen?model=nova-3", "k", "k", Deployment.Hosted, 500, F.RequestResponse(code: 500, message: "boom"));
        var estimated = F.UsageRequest("e", "p", T0, "/v1/listen?model=nova-3", "k", "k", Deployment.Hosted, 200,
            F.RequestResponse(F.RequestDetails(usd: null, totalAudio: 1800, models: [M1]), 200, tokenDetails: [F.TokenDetail("summarization", 10, 1, "nova-3")]));

        var report = new[] { failed, estimated }.ToReport(options);

        var row = Assert.Single(report.ByModel);
        Assert.Equal((M1, "Nova 3 (general)"), (row.Key, row.Name));
        Assert.Equal((2L, 1L, 10L), (row.Figures.Requests, row.Figures.States.Error, row.Figures.TokensIn));
        Assert.Equal(0.3m, row.Figures.EstimatedUsd); // priced by its API name
        Assert.Equal("Nova 3 (general)", options.Names.Clone().ModelName(M1));
    }
}
