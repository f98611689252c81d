using System.Xml.Linq;
using UsageSdk.Reports;
using static UsageSdk.Dashboard.Internal.Html;

namespace UsageSdk.Dashboard.Internal;

/// <summary>One series of a chart: a label, a colour class (CSS), a dash pattern, and how to read it from a bucket.</summary>
internal sealed record Series(string Label, string CssClass, Func<UsageFigures, decimal> Value, bool Dashed = false);

/// <summary>
/// Server-rendered SVG charts. Each is an <c>svg role="img"</c> with a <c>title</c> and a <c>desc</c> (the text
/// alternative: range, total, highest bucket) that <c>aria-labelledby</c> names, and a <c>title</c> per point or bar
/// (a tooltip). Colours come from CSS classes (no inline style, so a strict Content-Security-Policy holds); series are
/// also told apart by dash pattern and legend text, not by colour alone.
/// </summary>
internal static class Charts
{
    private const int Width = 720;
    private const int Left = 64;
    private const int Right = 14;
    private const int Top = 14;
    private const int PlotHeight = 170;
    private const int Bottom = 34;

    public static XElement Line(string id, string title, IReadOnlyList<UsageTimeBucket> buckets, Resolution resolution, IReadOnlyList<Series> series, Func<decimal, string> format)
    {
        var max = buckets.Count == 0 ? 0 : series.Max(s => buckets.Max(b => s.Value(b.Figures)));
        var desc = Describe(buckets, resolution, series, format);
        if (max <= 0)
        {
            return P("chart-empty", $"{title}: nothing in this range.");
        }
        var svg = Svg(id, title, desc);
        var top = YAxis(svg, max, format);
        var step = buckets.Count > 1 ? (double)(Width - Left - Right) / (buckets.Count - 1) : 0;
        foreach (var s in series)
        {
            var points = new List<string>(buckets.Count);
            for (var i = 0; i < buckets.Count; i++)
            {
                var x = buckets.Count > 1 ? Left + i * step : Left + (Width - Left - Right) / 2.0;
                var y = Y(s.Value(buckets[i].Figures), top);
                points.Add(Num(x) + "," + Num(y));
            }
            var line = new XElement(S + "polyline", new XAttribute("class", "series " + s.CssClass + (s.Dashed ? " dashed" : "")), new XAttribute("points", string.Join(" ", points)));
            svg.Add(line);
            if (buckets.Count <= 120)
            {
                for (var i = 0; i < buckets.Count; i++)
                {
                    var v = s.Value(buckets[i].Figures);
                    var x = buckets.Count > 1 ? Left + i * step : Left + (Width - Left - Right) / 2.0;
                    svg.Add(new XElement(S + "circle", new XAttribute("class", "point " + s.CssClass), A("cx", x), A("cy", Y(v, top)), new XAttribute("r", "2.5"),
                        new XElement(S + "title", $"{Label(buckets[i], resolution)}: {format(v)} {s.Label}")));
                }
            }
        }
        XAxis(svg, buckets, resolution, i => buckets.Count > 1 ? Left + i * step : Left + (Width - Left - Right) / 2.0);
        return Figure(svg, series);
    }

    public static XElement Bars(string id, string title, IReadOnlyList<UsageTimeBucket> buckets, Resolution resolution, IReadOnlyList<Series> series, Func<decimal, string> format, ISet<DateTimeOffset>? marked = null, string? markedLabel = null)
    {
        var max = buckets.Count == 0 ? 0 : series.Max(s => buckets.Max(b => s.Value(b.Figures)));
        var desc = Describe(buckets, resolution, series, format) + (marked is { Count: > 0 } ? $" {marked.Count} {markedLabel ?? "marked"}." : "");
        if (max <= 0)
        {
            return P("chart-empty", $"{title}: nothing in this range.");
        }
        var svg = Svg(id, title, desc);
        var top = YAxis(svg, max, format);
        var slot = (double)(Width - Left - Right) / buckets.Count;
        var gap = slot > 4 ? Math.Min(slot * 0.2, 6) : 0;
        var bar = Math.Max((slot - gap) / series.Count, 0.4);
        for (var i = 0; i < buckets.Count; i++)
        {
            var b = buckets[i];
            for (var k = 0; k < series.Count; k++)
            {
                var s = series[k];
                var v = s.Value(b.Figures);
                if (v <= 0)
                {
                    continue;
                }
                var y = Y(v, top);
                var isMarked = marked is not null && marked.Contains(b.Start);
                svg.Add(new XElement(S + "rect",
                    new XAttribute("class", "bar " + (isMarked ? "marked" : s.CssClass)),
                    A("x", Left + i * slot + gap / 2 + k * bar), A("y", y), A("width", bar), A("height", Math.Max(Top + PlotHeight - y, 0.5)),
                    new XElement(S + "title", $"{Label(b, resolution)}: {format(v)} {s.Label}{(isMarked ? $" ({markedLabel})" : "")}")));
            }
        }
        XAxis(svg, buckets, resolution, i => Left + i * slot + slot / 2);
        var legend = series.ToList();
        if (marked is { Count: > 0 })
        {
            legend.Add(new Series(markedLabel ?? "marked", "marked", _ => 0));
        }
        return Figure(svg, legend);
    }

    /// <summary>Requests by hour of the day (24 bars), for ranges too long to draw every hour.</summary>
    public static XElement HourOfDay(string id, string title, IReadOnlyList<UsageFigures> hours)
    {
        var max = hours.Count == 0 ? 0 : hours.Max(h => h.Requests);
        if (max <= 0)
        {
            return P("chart-empty", $"{title}: nothing in this range.");
        }
        var busiest = Enumerable.Range(0, hours.Count).MaxBy(h => hours[h].Requests);
        var svg = Svg(id, title, $"Requests in each hour of the day (UTC) over the range; the busiest is {busiest:00}:00–{busiest:00}:59 with {Fmt.N(hours[busiest].Requests)} requests.");
        var top = YAxis(svg, max, v => Fmt.N((long)v));
        var slot = (double)(Width - Left - Right) / 24;
        for (var h = 0; h < hours.Count; h++)
        {
            var n = hours[h].Requests;
            if (n > 0)
            {
                var y = Y(n, top);
                svg.Add(new XElement(S + "rect", new XAttribute("class", "bar requests"), A("x", Left + h * slot + 2), A("y", y), A("width", slot - 4), A("height", Top + PlotHeight - y),
                    new XElement(S + "title", $"{h:00}:00–{h:00}:59 UTC: {Fmt.N(n)} requests")));
            }
            if (h % 3 == 0)
            {
                svg.Add(new XElement(S + "text", new XAttribute("class", "axis"), A("x", Left + h * slot + slot / 2), A("y", Top + PlotHeight + 18), new XAttribute("text-anchor", "middle"), $"{h:00}:00"));
            }
        }
        return Figure(svg, [new Series("requests", "requests", _ => 0)]);
    }

    /// <summary>The log states as one stacked bar (with the counts in a table next to it on the page).</summary>
    public static XElement States(string id, RequestLogStateCounts states)
    {
        var items = StateItems(states);
        var total = items.Sum(i => i.Count);
        var svg = new XElement(S + "svg", new XAttribute("viewBox", $"0 0 {Width} 30"), new XAttribute("role", "img"), new XAttribute("focusable", "false"),
            new XAttribute("aria-labelledby", $"{id}-t"), new XAttribute("class", "states"),
            new XElement(S + "title", new XAttribute("id", $"{id}-t"), "Log states: " + string.Join(", ", items.Select(i => $"{i.Name} {Fmt.N(i.Count)}")) + "."));
        double x = 0;
        foreach (var (name, count) in items)
        {
            if (count == 0 || total == 0)
            {
                continue;
            }
            var w = (double)count / total * Width;
            svg.Add(new XElement(S + "rect", new XAttribute("class", "state " + name.ToLowerInvariant()), A("x", x), new XAttribute("y", "2"), A("width", Math.Max(w, 1)), new XAttribute("height", "26"),
                new XElement(S + "title", $"{name}: {Fmt.N(count)} ({Fmt.Pct((double)count / total)})")));
            x += w;
        }
        return svg;
    }

    public static (string Name, long Count)[] StateItems(RequestLogStateCounts s)
        => [("Success", s.Success), ("Error", s.Error), ("Pending", s.Pending), ("Unknown", s.Unknown), ("Lost", s.Lost)];

    public static string Label(UsageTimeBucket b, Resolution resolution) => resolution == Resolution.Hour ? Fmt.Hour(b.Start) + " UTC" : Fmt.Day(b.Start);

    // ------------------------------------------------------------------ parts

    private static XElement Svg(string id, string title, string desc)
        => new(S + "svg", new XAttribute("viewBox", $"0 0 {Width} {Top + PlotHeight + Bottom}"), new XAttribute("role", "img"), new XAttribute("focusable", "false"),
            new XAttribute("aria-labelledby", $"{id}-t {id}-d"), new XAttribute("preserveAspectRatio", "xMidYMid meet"),
            new XElement(S + "title", new XAttribute("id", $"{id}-t"), title),
            new XElement(S + "desc", new XAttribute("id", $"{id}-d"), desc));

    private static XElement Figure(XElement svg, IReadOnlyList<Series> legend)
    {
        var figure = E("div", new XAttribute("class", "chart"), svg);
        var ul = E("ul", new XAttribute("class", "legend"), new XAttribute("aria-hidden", "true"));
        foreach (var s in legend)
        {
            ul.Add(E("li", E("span", new XAttribute("class", "swatch " + s.CssClass + (s.Dashed ? " dashed" : "")), ""), s.Label));
        }
        figure.Add(ul);
        return figure;
    }

    private static string Describe(IReadOnlyList<UsageTimeBucket> buckets, Resolution resolution, IReadOnlyList<Series> series, Func<decimal, string> format)
    {
        if (buckets.Count == 0)
        {
            return "No data.";
        }
        var unit = resolution == Resolution.Hour ? "hour" : "day";
        var parts = new List<string> { $"Per {unit} from {Label(buckets[0], resolution)} to {Label(buckets[^1], resolution)}." };
        foreach (var s in series)
        {
            var total = buckets.Sum(b => s.Value(b.Figures));
            var peak = buckets.MaxBy(b => s.Value(b.Figures))!;
            parts.Add(total == 0
                ? $"{Capital(s.Label)}: none."
                : $"{Capital(s.Label)}: {format(total)} in all; highest {format(s.Value(peak.Figures))} at {Label(peak, resolution)}.");
        }
        return string.Join(" ", parts);
    }

    private static string Capital(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];

    private static double Y(decimal value, decimal top) => Top + PlotHeight - (double)(value / top) * PlotHeight;

    private static decimal YAxis(XElement svg, decimal max, Func<decimal, string> format)
    {
        var top = NiceCeiling(max);
        for (var i = 0; i <= 4; i++)
        {
            var v = top * i / 4;
            var y = Y(v, top);
            svg.Add(new XElement(S + "line", new XAttribute("class", i == 0 ? "axis-line" : "grid"), A("x1", Left), A("x2", Width - Right), A("y1", y), A("y2", y)));
            svg.Add(new XElement(S + "text", new XAttribute("class", "axis"), A("x", Left - 6), A("y", y + 4), new XAttribute("text-anchor", "end"), format(v)));
        }
        return top;
    }

    private static void XAxis(XElement svg, IReadOnlyList<UsageTimeBucket> buckets, Resolution resolution, Func<int, double> x)
    {
        // About eight labels: every 3, 6 or 12 hours within two days, else whole days.
        var every = Math.Max(1, (int)Math.Ceiling(buckets.Count / 8.0));
        if (resolution == Resolution.Hour)
        {
            every = every <= 3 ? 3 : every <= 6 ? 6 : every <= 12 ? 12 : 24 * (int)Math.Ceiling(every / 24.0);
        }
        for (var i = 0; i < buckets.Count; i += every)
        {
            var t = buckets[i].Start.UtcDateTime;
            var label = resolution == Resolution.Hour && every < 24
                ? (t.Hour == 0 || i == 0 ? t.ToString("MMM d HH:00", Fmt.Inv) : t.ToString("HH:00", Fmt.Inv))
                : t.ToString("MMM d", Fmt.Inv);
            svg.Add(new XElement(S + "text", new XAttribute("class", "axis"), A("x", x(i)), A("y", Top + PlotHeight + 18), new XAttribute("text-anchor", "middle"), label));
        }
    }

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

    private static XAttribute A(string name, double value) => new(name, Num(value));

    private static string Num(double value) => Math.Round(value, 2).ToString("0.##", Fmt.Inv);
}
