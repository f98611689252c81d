using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace UsageSdk.Reports;

/// <summary>
/// Renders a <see cref="UsageReport"/> as one self-contained XHTML page: inline CSS and inline SVG charts (requests per
/// hour with spikes marked, tokens in vs out per day, billed and estimated cost per day, requests by hour of day, log
/// states), tables per API key / model / tag / method / endpoint / deployment, spikes and budget breaches. No script,
/// no web font, no external file: it works offline and in e-mail. The output is well-formed XML.
/// </summary>
public static class UsageReportHtml
{
    private static readonly XNamespace H = "http://www.w3.org/1999/xhtml";
    private static readonly XNamespace S = "http://www.w3.org/2000/svg";
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static readonly HashSet<string> VoidElements = ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"];

    private const string ColorRequests = "#3b6fd4";
    private const string ColorSpike = "#d9480f";
    private const string ColorIn = "#2b8a3e";
    private const string ColorOut = "#e8590c";
    private const string ColorBilled = "#5f3dc4";
    private const string ColorEstimated = "#b197fc";

    /// <summary>Renders the page as a string.</summary>
    /// <param name="report">The report.</param>
    /// <param name="options">Title and limits; null for the defaults.</param>
    public static string Render(UsageReport report, UsageReportHtmlOptions? options = null)
    {
        using var writer = new StringWriter(Inv);
        Write(report, writer, options);
        return writer.ToString();
    }

    /// <summary>Writes the page to a text writer.</summary>
    /// <param name="report">The report.</param>
    /// <param name="writer">The writer.</param>
    /// <param name="options">Title and limits; null for the defaults.</param>
    public static void Write(UsageReport report, TextWriter writer, UsageReportHtmlOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(writer);
        options ??= new UsageReportHtmlOptions();
        if (options.MaxGroupRows < 1)
        {
            throw new ArgumentException($"MaxGroupRows must be at least 1; got {options.MaxGroupRows}.", nameof(options));
        }
        var html = Page(report, options);
        CloseEmptyElements(html);
        writer.Write("<!DOCTYPE html>\n");
        using var xml = XmlWriter.Create(writer, new XmlWriterSettings { OmitXmlDeclaration = true, Indent = true, NewLineChars = "\n", CheckCharacters = true });
        html.WriteTo(xml);
        xml.Flush();
        writer.Write('\n');
    }

    /// <summary>Writes the page to a file (UTF-8), replacing it.</summary>
    /// <param name="report">The report.</param>
    /// <param name="path">The file path.</param>
    /// <param name="options">Title and limits; null for the defaults.</param>
    public static void WriteFile(UsageReport report, string path, UsageReportHtmlOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false));
        Write(report, writer, options);
    }

    // ------------------------------------------------------------------ page

    private static XElement Page(UsageReport r, UsageReportHtmlOptions o)
    {
        var t = r.Totals;
        var body = new XElement(H + "body");
        var header = new XElement(H + "header", new XElement(H + "h1", Clean(o.Title)));
        if (o.Subtitle is not null)
        {
            header.Add(new XElement(H + "p", new XAttribute("class", "sub"), Clean(o.Subtitle)));
        }
        header.Add(new XElement(H + "p", new XAttribute("class", "sub"), Period(r)
            + (r.Source == UsageReportSource.Breakdown ? " · from the usage breakdown (no cost, log states or hours of the day)" : "")
            + (o.GeneratedAt is { } g ? " · generated " + g.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", Inv) : "")));
        body.Add(header);

        // Key figures.
        var cards = new XElement(H + "section", new XAttribute("class", "cards"));
        cards.Add(Card("Requests", N(t.Requests), r.Source == UsageReportSource.Requests ? $"error rate {Pct(t.ErrorRate)}" : null));
        cards.Add(Card("Tokens", N(t.TokensTotal), $"{N(t.TokensIn)} in · {N(t.TokensOut)} out"));
        cards.Add(Card("Audio hours", t.AudioHours.ToString("#,##0.##", Inv), null));
        cards.Add(Card("TTS characters", N(t.TtsCharacters), null));
        if (r.Source == UsageReportSource.Requests)
        {
            cards.Add(Card("Billed cost", Usd(t.BilledUsd), $"{N(t.BilledRequests)} requests with usd" + (t.BilledUsdPer1000Requests is { } per ? $" · {Usd(per)} per 1,000" : ""),
                title: UsageMoney.FormatExact(t.BilledUsd)));
        }
        if (r.HasEstimates || r.PriceSource is not null)
        {
            cards.Add(Card("Estimated cost (not billed)", UsdEstimate(t.EstimatedUsd), $"{N(t.EstimatedRequests)} requests priced from the price table", "estimate",
                title: "~" + UsageMoney.FormatExact(t.EstimatedUsd)));
        }
        if (r.Source == UsageReportSource.Requests && t.Requests > 0)
        {
            cards.Add(Card("Tokens per request", t.TokensPerRequest.ToString("#,##0.#", Inv), t.OutputInputRatio is { } ratio ? $"output / input {ratio.ToString("0.000", Inv)}" : null));
        }
        if (r.PeakHour is { } peak)
        {
            cards.Add(Card("Peak hour", peak.Start.ToString("yyyy-MM-dd HH:00", Inv) + " UTC", $"{N(peak.Figures.Requests)} requests" + (r.PeakHourOfDay is { } ph ? $" · busiest hour of day {ph:00}:00" : "")));
        }
        body.Add(cards);

        var notes = Notes(r);
        if (notes.Count > 0)
        {
            body.Add(new XElement(H + "ul", new XAttribute("class", "notes"), notes.Select(n => new XElement(H + "li", n))));
        }

        // Charts.
        if (r.Hourly.Count > 0)
        {
            body.Add(Section("Requests per hour (UTC)", HourlyChart(r),
                r.Spikes.Any(s => s.Metric == UsageReportMetric.Requests) ? Legend((ColorRequests, "requests"), (ColorSpike, "spike")) : null));
        }
        if (r.Daily.Count > 0)
        {
            body.Add(Section("Tokens in vs out per day", PairChart(r.Daily, f => f.TokensIn, f => f.TokensOut, ColorIn, ColorOut, "in", "out", N, N),
                Legend((ColorIn, "tokens in"), (ColorOut, "tokens out"))));
            if (r.Source == UsageReportSource.Requests || r.HasEstimates)
            {
                body.Add(Section("Cost per day (USD)", PairChart(r.Daily, f => f.BilledUsd, f => f.EstimatedUsd, ColorBilled, ColorEstimated, "billed", "estimated", UsdAxis, UsageMoney.FormatExact),
                    r.HasEstimates ? Legend((ColorBilled, "billed (usd)"), (ColorEstimated, "estimated from prices — not billed")) : Legend((ColorBilled, "billed (usd)"))));
            }
        }
        if (r.HourOfDay.Count == 24 && t.Requests > 0)
        {
            body.Add(Section("Requests by hour of day (UTC)", HourOfDayChart(r), Legend((ColorRequests, "requests"), (ColorSpike, "busiest hour"))));
        }
        if (r.Source == UsageReportSource.Requests && t.Requests > 0)
        {
            body.Add(Section("Log states", StatesChart(t.States), null));
        }

        if (r.CostView is { } costView)
        {
            body.Add(Section("Cost view (billing)", CostViewContent(r, costView), null));
        }

        // Tables.
        foreach (var (dimension, title) in new[]
        {
            (UsageReportDimension.ApiKey, "Per API key"), (UsageReportDimension.Model, "Per model"), (UsageReportDimension.Tag, "Per tag"),
            (UsageReportDimension.Method, "Per method"), (UsageReportDimension.Endpoint, "Per endpoint"), (UsageReportDimension.Deployment, "Per deployment"),
        })
        {
            var groups = r.GetGroups(dimension);
            if (groups.Count > 0)
            {
                var note = r.GetOverlapNote(dimension)
                    ?? (dimension == UsageReportDimension.Tag ? "A request with several tags would count in each tag's row; here none has more than one." : null);
                body.Add(Section(title, GroupTable(r, dimension, groups, o.MaxGroupRows),
                    note is null ? null : new XElement(H + "p", new XAttribute("class", "hint"), note)));
            }
        }

        body.Add(Section("Spikes", SpikesTable(r), null));
        body.Add(Section("Budget breaches", BreachesTable(r), null));
        body.Add(new XElement(H + "footer",
            (r.Source == UsageReportSource.Requests ? "Billed cost is the exact sum of the requests' usd. " : "A usage breakdown carries no cost. ")
            + "Estimated cost comes from the price table"
            + (r.PriceSource is null ? "" : " (" + Clean(r.PriceSource) + ")")
            + " and is never added to billed cost. Amounts are shown in cents; hover one for the exact figure. Times are UTC. Made by UsageSdk; this page loads nothing from the network."));

        return new XElement(H + "html", new XAttribute("lang", "en"),
            new XElement(H + "head",
                new XElement(H + "meta", new XAttribute("charset", "utf-8")),
                new XElement(H + "meta", new XAttribute("name", "viewport"), new XAttribute("content", "width=device-width, initial-scale=1")),
                new XElement(H + "title", Clean(o.Title)),
                new XElement(H + "style", Css)),
            body);
    }

    private const string Css = """
        body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; margin: 0 auto; max-width: 1100px; padding: 24px; color: #1f2328; background: #fff; }
        h1 { font-size: 26px; margin: 0 0 4px 0; }
        h2 { font-size: 18px; margin: 28px 0 8px 0; border-bottom: 1px solid #d0d7de; padding-bottom: 4px; }
        h3 { font-size: 14px; margin: 16px 0 4px 0; }
        .sub { color: #59636e; margin: 2px 0; }
        .cards { display: flex; flex-wrap: wrap; gap: 12px; margin-top: 16px; }
        .card { border: 1px solid #d0d7de; border-radius: 8px; padding: 10px 14px; min-width: 150px; max-width: 320px; flex: 1 1 170px; }
        .card .label { color: #59636e; font-size: 13px; }
        .card .value { font-size: 22px; font-weight: 600; margin-top: 2px; }
        .card .detail { color: #59636e; font-size: 12px; margin-top: 2px; }
        .card.estimate { border-style: dashed; background: #f8f5ff; }
        .notes { color: #59636e; font-size: 13px; }
        .hint { color: #59636e; font-size: 12px; margin: 4px 0; }
        .legend { font-size: 12px; color: #59636e; margin: 4px 0; }
        .swatch { display: inline-block; width: 10px; height: 10px; margin: 0 4px 0 12px; border-radius: 2px; }
        svg { display: block; width: 100%; height: auto; }
        svg text { font-size: 11px; fill: #59636e; font-family: inherit; }
        table { border-collapse: collapse; width: 100%; font-size: 13px; }
        th, td { padding: 4px 8px; border-bottom: 1px solid #eaeef2; text-align: right; white-space: nowrap; }
        th { background: #f6f8fa; font-weight: 600; }
        th.name, td.name { text-align: left; white-space: normal; word-break: break-all; }
        td.name small { color: #59636e; display: block; }
        td.share { width: 120px; }
        .bar { background: #3b6fd4; height: 8px; border-radius: 2px; }
        td.est, th.est { color: #6741d9; font-style: italic; }
        .empty { color: #59636e; font-style: italic; }
        footer { margin-top: 32px; color: #59636e; font-size: 12px; border-top: 1px solid #d0d7de; padding-top: 8px; }
        """;

    private static List<string> Notes(UsageReport r)
    {
        var t = r.Totals;
        var notes = new List<string>();
        if (r.Source == UsageReportSource.Requests && t.RequestsWithoutUsd > 0)
        {
            notes.Add($"{N(t.RequestsWithoutUsd)} of {N(t.Requests)} requests carry no usd (pending, failed, contract or not yet settled): "
                + $"{N(t.EstimatedRequests)} estimated from the price table, {N(t.UnpricedRequests)} with no price (cost unknown).");
        }
        if (r.HasEstimates)
        {
            notes.Add("Estimated cost is shown apart and is not included in billed cost.");
        }
        if (r.Source == UsageReportSource.Requests && r.SpikeBaselines.Count > 0)
        {
            notes.Add(FormattableString.Invariant($"Spikes: hours above median + {r.SpikeThreshold} × σ̂ over every hour of the period (σ̂ = 1.4826 × the MAD of the hours above the median)."));
        }
        return notes;
    }

    private static string Period(UsageReport r)
        => r.Start is { } s && r.End is { } e
            ? $"{s.ToString("yyyy-MM-dd HH:mm", Inv)} – {e.ToString("yyyy-MM-dd HH:mm", Inv)} UTC"
            : "no data";

    private static XElement Card(string label, string value, string? detail, string? extraClass = null, string? title = null)
    {
        var valueElement = new XElement(H + "div", new XAttribute("class", "value"), value);
        if (title is not null)
        {
            valueElement.Add(new XAttribute("title", title));
        }
        var card = new XElement(H + "div", new XAttribute("class", "card" + (extraClass is null ? "" : " " + extraClass)),
            new XElement(H + "div", new XAttribute("class", "label"), label), valueElement);
        if (detail is not null)
        {
            card.Add(new XElement(H + "div", new XAttribute("class", "detail"), detail));
        }
        return card;
    }

    private static XElement Section(string title, XElement content, XElement? after)
        => new(H + "section", new XElement(H + "h2", title), content, after);

    private static XElement Legend(params (string Color, string Label)[] items)
        => new(H + "p", new XAttribute("class", "legend"),
            items.Select(i => new object[] { new XElement(H + "span", new XAttribute("class", "swatch"), new XAttribute("style", "background:" + i.Color)), i.Label }));

    // ------------------------------------------------------------------ charts

    private const int ChartWidth = 960;
    private const int Left = 64;
    private const int Right = 12;
    private const int Top = 12;

    private static XElement Svg(int height, string label, params object[] content)
        => new(S + "svg", new XAttribute("viewBox", $"0 0 {ChartWidth} {height}"), new XAttribute("role", "img"),
            new XAttribute("aria-label", label), new XAttribute("preserveAspectRatio", "xMidYMid meet"), content);

    private static XElement Empty(string text) => new(H + "p", new XAttribute("class", "empty"), text);

    /// <summary>Gridlines and y labels; returns the scale maximum.</summary>
    private static decimal YAxis(XElement svg, decimal max, int plotHeight, Func<decimal, string> format)
    {
        var top = NiceCeiling(max);
        for (var i = 0; i <= 4; i++)
        {
            var v = top * i / 4;
            var y = Top + plotHeight - (double)(v / top) * plotHeight;
            svg.Add(new XElement(S + "line", A("x1", Left), A("x2", ChartWidth - Right), A("y1", y), A("y2", y),
                new XAttribute("stroke", i == 0 ? "#8c959f" : "#eaeef2"), new XAttribute("stroke-width", "1")));
            svg.Add(new XElement(S + "text", A("x", Left - 6), A("y", y + 4), new XAttribute("text-anchor", "end"), format(v)));
        }
        return top;
    }

    private static XElement HourlyChart(UsageReport r)
    {
        const int plotHeight = 200;
        var hours = r.Hourly;
        var max = hours.Max(h => (decimal)h.Figures.Requests);
        if (max == 0)
        {
            return Empty("No requests in this period.");
        }
        var svg = Svg(plotHeight + Top + 36, "Requests per hour");
        var top = YAxis(svg, max, plotHeight, v => N((long)v));
        var spikeHours = r.Spikes.Where(s => s.Metric == UsageReportMetric.Requests).Select(s => s.Hour).ToHashSet();
        var width = (double)(ChartWidth - Left - Right) / hours.Count;
        var gap = width > 3 ? 1 : 0;
        for (var i = 0; i < hours.Count; i++)
        {
            var h = hours[i];
            var x = Left + i * width;
            var n = h.Figures.Requests;
            if (n > 0)
            {
                var height = (double)(n / top) * plotHeight;
                var spike = spikeHours.Contains(h.Start);
                svg.Add(new XElement(S + "rect", A("x", x), A("y", Top + plotHeight - height), A("width", Math.Max(width - gap, 0.6)), A("height", height),
                    new XAttribute("fill", spike ? ColorSpike : ColorRequests),
                    new XElement(S + "title", $"{h.Start.ToString("yyyy-MM-dd HH:00", Inv)} UTC: {N(n)} requests{(spike ? " (spike)" : "")}")));
            }
            if (h.Start.Hour == 0 || i == 0)
            {
                var days = hours.Count / 24.0;
                var every = days <= 10 ? 1 : days <= 31 ? 3 : days <= 62 ? 7 : 14;
                var dayIndex = (int)((h.Start - hours[0].Start).TotalDays);
                if (h.Start.Hour == 0)
                {
                    svg.Add(new XElement(S + "line", A("x1", x), A("x2", x), A("y1", Top + plotHeight), A("y2", Top + plotHeight + 5), new XAttribute("stroke", "#8c959f")));
                }
                if (h.Start.Hour == 0 && dayIndex % every == 0 && x < ChartWidth - Right - 20)
                {
                    svg.Add(new XElement(S + "text", A("x", x + 2), A("y", Top + plotHeight + 18), h.Start.ToString("MMM d", Inv)));
                }
            }
        }
        return svg;
    }

    private static XElement PairChart(IReadOnlyList<UsageTimeBucket> days, Func<UsageFigures, decimal> first, Func<UsageFigures, decimal> second,
        string firstColor, string secondColor, string firstLabel, string secondLabel, Func<decimal, string> format, Func<decimal, string> exact)
    {
        const int plotHeight = 180;
        var max = days.Max(d => Math.Max(first(d.Figures), second(d.Figures)));
        if (max == 0)
        {
            return Empty("Nothing in this period.");
        }
        var svg = Svg(plotHeight + Top + 36, firstLabel + " and " + secondLabel + " per day");
        var top = YAxis(svg, max, plotHeight, format);
        var slot = (double)(ChartWidth - Left - Right) / days.Count;
        var bar = Math.Max((slot - Math.Min(slot * 0.25, 12)) / 2, 0.5);
        var every = days.Count <= 16 ? 1 : days.Count <= 40 ? 3 : 7;
        for (var i = 0; i < days.Count; i++)
        {
            var d = days[i];
            var x = Left + i * slot + (slot - 2 * bar) / 2;
            var label = d.Start.ToString("yyyy-MM-dd", Inv);
            foreach (var (value, color, name, offset) in new[] { (first(d.Figures), firstColor, firstLabel, 0.0), (second(d.Figures), secondColor, secondLabel, bar) })
            {
                if (value <= 0)
                {
                    continue;
                }
                var height = Math.Max((double)(value / top) * plotHeight, 0.5);
                svg.Add(new XElement(S + "rect", A("x", x + offset), A("y", Top + plotHeight - height), A("width", bar), A("height", height),
                    new XAttribute("fill", color), new XElement(S + "title", $"{label}: {exact(value)} {name}")));
            }
            if (i % every == 0)
            {
                svg.Add(new XElement(S + "text", A("x", Left + i * slot + slot / 2), A("y", Top + plotHeight + 18), new XAttribute("text-anchor", "middle"),
                    d.Start.ToString(days.Count <= 16 ? "ddd MMM d" : "MMM d", Inv)));
            }
        }
        return svg;
    }

    /// <summary>The cost view's billed USD per day: one bar a day, the exact amount as each bar's title.</summary>
    private static XElement DailyCostChart(IReadOnlyList<KeyValuePair<DateOnly, decimal>> days)
    {
        const int plotHeight = 140;
        var max = days.Max(d => d.Value);
        if (max <= 0)
        {
            return Empty("Nothing billed in these days.");
        }
        var svg = Svg(plotHeight + Top + 30, "Billed per day");
        svg.Add(new XAttribute("class", "billed-daily"));
        var top = YAxis(svg, max, plotHeight, UsdAxis);
        var slot = (double)(ChartWidth - Left - Right) / days.Count;
        var bar = Math.Max(slot - Math.Min(slot * 0.25, 8), 0.5);
        var every = days.Count <= 16 ? 1 : days.Count <= 45 ? 7 : 14;
        for (var i = 0; i < days.Count; i++)
        {
            var (day, usd) = days[i];
            if (usd > 0)
            {
                var height = Math.Max((double)(usd / top) * plotHeight, 0.5);
                svg.Add(new XElement(S + "rect", A("x", Left + i * slot + (slot - bar) / 2), A("y", Top + plotHeight - height), A("width", bar), A("height", height),
                    new XAttribute("fill", ColorBilled), new XAttribute("data-day", day.ToString("yyyy-MM-dd", Inv)),
                    new XElement(S + "title", $"{day.ToString("yyyy-MM-dd", Inv)}: {UsageMoney.FormatExact(usd)} billed")));
            }
            if (i % every == 0)
            {
                svg.Add(new XElement(S + "text", A("x", Left + i * slot + slot / 2), A("y", Top + plotHeight + 18), new XAttribute("text-anchor", "middle"), day.ToString("MMM d", Inv)));
            }
        }
        return svg;
    }

    private static XElement HourOfDayChart(UsageReport r)
    {
        const int plotHeight = 120;
        var svg = Svg(plotHeight + Top + 30, "Requests by hour of day");
        var max = r.HourOfDay.Max(f => (decimal)f.Requests);
        var top = YAxis(svg, max, plotHeight, v => N((long)v));
        var slot = (double)(ChartWidth - Left - Right) / 24;
        for (var h = 0; h < 24; h++)
        {
            var n = r.HourOfDay[h].Requests;
            var x = Left + h * slot;
            if (n > 0)
            {
                var height = (double)(n / top) * plotHeight;
                svg.Add(new XElement(S + "rect", A("x", x + 2), A("y", Top + plotHeight - height), A("width", slot - 4), A("height", height),
                    new XAttribute("fill", h == r.PeakHourOfDay ? ColorSpike : ColorRequests), new XElement(S + "title", $"{h:00}:00–{h:00}:59 UTC: {N(n)} requests")));
            }
            svg.Add(new XElement(S + "text", A("x", x + slot / 2), A("y", Top + plotHeight + 16), new XAttribute("text-anchor", "middle"), h.ToString("00", Inv)));
        }
        return svg;
    }

    private static XElement StatesChart(RequestLogStateCounts states)
    {
        var items = new (string Name, long Count, string Color)[]
        {
            ("Success", states.Success, "#2f9e44"), ("Error", states.Error, "#e03131"), ("Pending", states.Pending, "#f59f00"),
            ("Unknown", states.Unknown, "#868e96"), ("Lost", states.Lost, "#495057"),
        };
        var total = items.Sum(i => i.Count);
        var svg = Svg(56, "Log states");
        double x = Left;
        var width = ChartWidth - Left - Right;
        foreach (var (name, count, color) in items)
        {
            if (count == 0)
            {
                continue;
            }
            var w = (double)count / total * width;
            svg.Add(new XElement(S + "rect", A("x", x), A("y", 6), A("width", Math.Max(w, 1)), A("height", 22), new XAttribute("fill", color),
                new XElement(S + "title", $"{name}: {N(count)} ({Pct((double)count / total)})")));
            x += w;
        }
        double lx = Left;
        foreach (var (name, count, color) in items)
        {
            svg.Add(new XElement(S + "rect", A("x", lx), A("y", 38), A("width", 10), A("height", 10), new XAttribute("fill", color)));
            svg.Add(new XElement(S + "text", A("x", lx + 14), A("y", 47), $"{name} {N(count)}"));
            lx += 150;
        }
        return svg;
    }

    // ------------------------------------------------------------------ tables

    private static XElement GroupTable(UsageReport r, UsageReportDimension dimension, IReadOnlyList<UsageReportGroup> groups, int maxRows)
    {
        var c = new Columns(
            Cost: r.Source == UsageReportSource.Requests,
            Estimate: r.HasEstimates,
            States: r.Source == UsageReportSource.Requests,
            Supplied: !r.ModelCostsAreBilled && groups.Any(g => g.SuppliedUsd is not null),
            Overlapping: r.GetOverlappingMetrics(dimension));
        const string overlapHint = "The rows of this column overlap: they add up to more than the total.";
        XElement Head(string text, UsageReportMetric? metric, string? cls = null)
        {
            var th = Th(text, cls);
            if (metric is { } m && c.Overlapping.Contains(m))
            {
                th.Value = text + " *";
                th.Add(new XAttribute("title", overlapHint));
            }
            return th;
        }
        var head = new XElement(H + "tr", Th("Name", "name"), Head("Requests", UsageReportMetric.Requests), Th("Share"), Head("Tokens in", UsageReportMetric.TokensIn),
            Head("Tokens out", UsageReportMetric.TokensOut), Head("Tokens", UsageReportMetric.Tokens), Head("Audio h", UsageReportMetric.AudioHours),
            Head("TTS chars", UsageReportMetric.TtsCharacters));
        if (c.Cost)
        {
            var overlaps = c.Overlapping.Contains(UsageReportMetric.BilledUsd);
            head.Add(Head(overlaps && dimension == UsageReportDimension.Model ? "Cost of requests using it"
                : r.ModelCostsAreBilled && dimension == UsageReportDimension.Model ? "Billed USD (line items)" : "Billed USD", UsageReportMetric.BilledUsd));
        }
        if (c.Estimate)
        {
            head.Add(Head("Estimated USD", UsageReportMetric.EstimatedUsd, "est"));
        }
        if (c.Supplied)
        {
            head.Add(Th("Billed (line items)"));
        }
        if (c.States)
        {
            head.Add(Head("Errors", UsageReportMetric.Errors));
        }
        var max = groups.Max(g => g.Figures.Requests);
        var table = new XElement(H + "table", new XElement(H + "thead", head));
        var tbody = new XElement(H + "tbody");
        foreach (var g in groups.Take(maxRows))
        {
            var name = new XElement(H + "td", new XAttribute("class", "name"), Clean(g.Name));
            if (g.Key is not null && g.Name != g.Key)
            {
                name.Add(new XElement(H + "small", Clean(g.Key)));
            }
            tbody.Add(Row(name, g.Figures, max, r.Totals.Requests, c, g.UnsplitUsd, g.SuppliedUsd));
        }
        if (groups.Count > maxRows)
        {
            var rest = groups.Skip(maxRows).ToList();
            var acc = new FiguresAccumulator();
            decimal unsplit = 0;
            decimal? supplied = null;
            foreach (var g in rest)
            {
                var f = g.Figures;
                acc.Requests += f.Requests;
                acc.TokensIn += f.TokensIn;
                acc.TokensOut += f.TokensOut;
                acc.AudioMicros += f.AudioMicros;
                acc.TtsCharacters += f.TtsCharacters;
                acc.BilledUsd += f.BilledUsd;
                acc.EstimatedUsd += f.EstimatedUsd;
                acc.Error += f.States.Error;
                acc.Success += f.States.Success;
                unsplit += g.UnsplitUsd;
                if (g.SuppliedUsd is { } s)
                {
                    supplied = (supplied ?? 0) + s;
                }
            }
            tbody.Add(Row(new XElement(H + "td", new XAttribute("class", "name"), $"{rest.Count} others"), new UsageFigures(acc), max, r.Totals.Requests, c, unsplit, supplied));
        }
        table.Add(tbody);
        return table;
    }

    private sealed record Columns(bool Cost, bool Estimate, bool States, bool Supplied, IReadOnlyList<UsageReportMetric> Overlapping);

    private static XElement Row(XElement name, UsageFigures f, long max, long total, Columns c, decimal unsplitUsd, decimal? suppliedUsd)
    {
        var share = total == 0 ? 0 : (double)f.Requests / total;
        var barWidth = max == 0 ? 0 : Math.Min(100, (double)f.Requests / max * 100);
        var row = new XElement(H + "tr", name, Td(N(f.Requests)),
            new XElement(H + "td", new XAttribute("class", "share"), new XAttribute("title", Pct(share)),
                new XElement(H + "div", new XAttribute("class", "bar"), new XAttribute("style", $"width:{barWidth.ToString("0.#", Inv)}%"))),
            Td(N(f.TokensIn)), Td(N(f.TokensOut)), Td(N(f.TokensTotal)), Td(f.AudioHours.ToString("#,##0.##", Inv)), Td(N(f.TtsCharacters)));
        if (c.Cost)
        {
            var cell = Money(UsageMoney.Format(f.BilledUsd), f.BilledUsd);
            if (unsplitUsd != 0)
            {
                cell.Attribute("title")!.Value += $" (includes {UsageMoney.FormatExact(unsplitUsd)} of requests with several models, not split)";
            }
            row.Add(cell);
        }
        if (c.Estimate)
        {
            row.Add(Money(UsdEstimate(f.EstimatedUsd), f.EstimatedUsd, "est", "~"));
        }
        if (c.Supplied)
        {
            row.Add(suppliedUsd is { } s ? Money(UsageMoney.Format(s), s) : Td("—"));
        }
        if (c.States)
        {
            row.Add(Td(f.States.Error == 0 ? "0" : $"{N(f.States.Error)} ({Pct(f.ErrorRate)})"));
        }
        return row;
    }

    /// <summary>A money cell: cents as text, the exact figure as hover text.</summary>
    private static XElement Money(string text, decimal exact, string? cls = null, string prefix = "")
    {
        var td = Td(text, cls);
        td.Add(new XAttribute("title", prefix + UsageMoney.FormatExact(exact)));
        return td;
    }

    /// <summary>The cost view: month to date, previous month, projection, balance, reconciliation; then per key, line item and tag.</summary>
    private static XElement CostViewContent(UsageReport r, UsageCostView v)
    {
        if (!v.IsAvailable)
        {
            return new XElement(H + "p", new XAttribute("class", "hint"), Clean(v.UnavailableReason!));
        }
        var div = new XElement(H + "div");
        var cards = new XElement(H + "div", new XAttribute("class", "cards"));
        cards.Add(Card("Month to date", Usd(v.MonthToDate), v.Today.ToString("MMMM yyyy", Inv) + " to " + v.Today.ToString("yyyy-MM-dd", Inv), title: UsageMoney.FormatExact(v.MonthToDate)));
        if (v.PreviousMonth is { } pm)
        {
            cards.Add(Card("Previous month", Usd(pm), v.Today.AddMonths(-1).ToString("MMMM yyyy", Inv), title: UsageMoney.FormatExact(pm)));
        }
        if (v.ProjectedMonthEnd is { } p)
        {
            cards.Add(Card("Projected month end", Usd(p), $"range {Usd(v.ProjectedLow!.Value)} – {Usd(v.ProjectedHigh!.Value)}",
                title: $"{UsageMoney.FormatExact(p)} (range {UsageMoney.FormatExact(v.ProjectedLow.Value)} – {UsageMoney.FormatExact(v.ProjectedHigh.Value)}). {v.ProjectionNote}"));
        }
        if (v.BalanceUsd is { } bal)
        {
            cards.Add(Card("Balance", Usd(bal), "credit left", title: UsageMoney.FormatExact(bal)));
        }
        div.Add(cards);
        if (r.Reconciliation is { } rec)
        {
            div.Add(new XElement(H + "p", new XAttribute("class", "reconciliation"),
                new XAttribute("title", $"billed {UsageMoney.FormatExact(rec.BilledUsd)} · request logs {UsageMoney.FormatExact(rec.RequestLogUsd)} · difference {UsageMoney.FormatExact(rec.Difference)}"),
                "Reconciliation: " + rec));
        }
        if (v.ProjectionNote is { } note)
        {
            div.Add(new XElement(H + "p", new XAttribute("class", "hint"), Clean(note)));
        }
        if (v.Daily.Count > 0)
        {
            div.Add(new XElement(H + "h3", $"Billed per day, {v.Start.ToString("yyyy-MM-dd", Inv)} to {v.End.ToString("yyyy-MM-dd", Inv)} (UTC)"));
            div.Add(DailyCostChart(v.Daily));
        }
        foreach (var (title, items) in new[] { ("API key", v.ByKey), ("Line item", v.ByLineItem), ("Tag", v.ByTag) })
        {
            if (items.Count == 0)
            {
                continue;
            }
            var table = new XElement(H + "table", new XElement(H + "thead", new XElement(H + "tr", Th(title + " (month to date)", "name"), Th("Billed USD"))));
            var tbody = new XElement(H + "tbody");
            foreach (var i in items)
            {
                tbody.Add(new XElement(H + "tr", new XElement(H + "td", new XAttribute("class", "name"), Clean(i.Name)), Money(Usd(i.Usd), i.Usd)));
            }
            table.Add(tbody);
            if (title != "Tag") // tags overlap (a cost with several tags counts in each): no total
            {
                var total = items.Sum(i => i.Usd);
                table.Add(new XElement(H + "tfoot", new XElement(H + "tr", new XElement(H + "td", new XAttribute("class", "name"), "Total"), Money(Usd(total), total))));
            }
            div.Add(table);
            if (title == "Tag")
            {
                div.Add(new XElement(H + "p", new XAttribute("class", "hint"), "A cost with several tags counts in each tag's row."));
            }
        }
        return div;
    }

    private static XElement SpikesTable(UsageReport r)
    {
        if (r.Spikes.Count == 0)
        {
            return Empty(r.SpikeBaselines.Count == 0 ? "Not enough hours to look for spikes." : "No spikes: no hour stands far above the period's norm.");
        }
        var table = new XElement(H + "table", new XElement(H + "thead", new XElement(H + "tr", Th("Hour (UTC)", "name"), Th("Metric"), Th("Value"), Th("Median"), Th("Threshold"), Th("Score (σ̂)"))));
        var tbody = new XElement(H + "tbody");
        foreach (var s in r.Spikes)
        {
            Func<decimal, string> f = s.Metric is UsageReportMetric.BilledUsd or UsageReportMetric.EstimatedUsd ? UsageMoney.Format : v => v.ToString("#,##0.##", Inv);
            tbody.Add(new XElement(H + "tr",
                new XElement(H + "td", new XAttribute("class", "name"), s.Hour.ToString("yyyy-MM-dd HH:00", Inv)),
                Td(MetricLabel(s.Metric)), Td(f(s.Value)), Td(f(s.Median)), Td(f(s.Threshold)), Td(s.Score.ToString("0.0", Inv))));
        }
        table.Add(tbody);
        return table;
    }

    private static XElement BreachesTable(UsageReport r)
    {
        if (r.BudgetBreaches.Count == 0)
        {
            return Empty("No budget exceeded (or no budget set).");
        }
        var table = new XElement(H + "table", new XElement(H + "thead", new XElement(H + "tr", Th("Budget", "name"), Th("Day"), Th("API key"), Th("Metric"), Th("Limit"), Th("Actual"))));
        var tbody = new XElement(H + "tbody");
        foreach (var b in r.BudgetBreaches)
        {
            var usd = b.Metric != UsageReportMetric.Tokens;
            tbody.Add(new XElement(H + "tr",
                new XElement(H + "td", new XAttribute("class", "name"), Clean(b.Budget.ToString())),
                Td(b.Day?.ToString("yyyy-MM-dd", Inv) ?? "whole period"), Td(Clean(b.ApiKey is null ? "project" : r.Names.KeyName(b.ApiKey) ?? b.ApiKey)),
                Td(usd ? (b.IncludesEstimate ? "USD (billed + estimated)" : "USD (billed)") : "tokens"),
                usd ? Money(Usd(b.Limit), b.Limit) : Td(N((long)b.Limit)), usd ? Money(Usd(b.Actual), b.Actual) : Td(N((long)b.Actual))));
        }
        table.Add(tbody);
        return table;
    }

    private static string MetricLabel(UsageReportMetric m) => m switch
    {
        UsageReportMetric.BilledUsd => "billed USD",
        UsageReportMetric.EstimatedUsd => "estimated USD",
        _ => ReportJson.MetricName(m).Replace('_', ' '),
    };

    private static XElement Th(string text, string? cls = null)
        => cls is null ? new(H + "th", text) : new(H + "th", new XAttribute("class", cls), text);

    private static XElement Td(string text, string? cls = null)
        => cls is null ? new(H + "td", text) : new(H + "td", new XAttribute("class", cls), text);

    // ------------------------------------------------------------------ helpers

    private static XAttribute A(string name, double value) => new(name, Math.Round(value, 2).ToString("0.##", Inv));

    private static decimal NiceCeiling(decimal max)
    {
        if (max <= 0)
        {
            return 1;
        }
        var exponent = Math.Floor(Math.Log10((double)max));
        var pow = (decimal)Math.Pow(10, exponent);
        foreach (var step in new[] { 1m, 2m, 2.5m, 5m, 10m })
        {
            if (step * pow >= max)
            {
                return step * pow;
            }
        }
        return 10 * pow;
    }

    internal static string N(long v) => v.ToString("#,##0", Inv);

    private static string N(decimal v) => v.ToString("#,##0.##", Inv);

    private static string Pct(double v) => (v * 100).ToString("0.##", Inv) + "%";

    /// <summary>USD in cents (<see cref="UsageMoney.Format"/>); the exact figure goes to the hover text.</summary>
    private static string Usd(decimal v) => UsageMoney.Format(v);

    /// <summary>A chart axis label: whole dollars when the scale allows, else as many decimals as the steps need.</summary>
    private static string UsdAxis(decimal v) => v == 0 ? "$0" : "$" + v.ToString(Math.Abs(v) < 1 ? "0.00##" : "#,##0.##", Inv);

    private static string UsdEstimate(decimal v) => UsageMoney.FormatEstimate(v);

    /// <summary>Removes characters XML cannot carry (control characters in tags or names sent by the API).</summary>
    private static string Clean(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var rune in s.EnumerateRunes()) // lone surrogates come out as U+FFFD
        {
            if (rune.IsBmp && !XmlConvert.IsXmlChar((char)rune.Value))
            {
                sb.Append('\uFFFD');
            }
            else
            {
                sb.Append(rune.ToString());
            }
        }
        return sb.ToString();
    }

    /// <summary>HTML parsers read <c>&lt;div/&gt;</c> as an open tag: give every empty non-void XHTML element an explicit end tag.</summary>
    private static void CloseEmptyElements(XElement root)
    {
        foreach (var e in root.DescendantsAndSelf())
        {
            if (e.Name.Namespace == H && e.IsEmpty && !VoidElements.Contains(e.Name.LocalName))
            {
                e.Value = string.Empty;
            }
        }
    }
}
