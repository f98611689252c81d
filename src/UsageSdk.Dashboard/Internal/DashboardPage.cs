using System.Xml.Linq;
using UsageSdk.Reports;
using static UsageSdk.Dashboard.Internal.Html;

namespace UsageSdk.Dashboard.Internal;

/// <summary>Everything one page shows.</summary>
internal sealed class PageModel
{
    public required UsageDashboardOptions Options { get; init; }
    public required string BasePath { get; init; }
    public required string SourceDescription { get; init; }
    public required IReadOnlyList<UsageDashboardProject> Projects { get; init; }
    public DashboardView? View { get; init; }
    public UsageDashboardData? Data { get; init; }
    public string? Error { get; init; }
    public string? ErrorTitle { get; init; }

    /// <summary>A path under the dashboard (assets, exports); <see cref="BasePath"/> is the page's own path.</summary>
    public string Sub(string path) => BasePath.TrimEnd('/') + "/" + path;

    public UsageDashboardProject? Project => View is null ? null : Projects.FirstOrDefault(p => p.ProjectId == View.ProjectId);
}

/// <summary>
/// The dashboard page: server-rendered HTML and SVG, readable with JavaScript off. Landmarks (banner, navigation,
/// search, main, contentinfo), headings per section, captions on tables, labels on every control, aria-labelled charts
/// with text alternatives, sorting and filtering through plain links and GET forms (the state is in the URL).
/// </summary>
internal static class DashboardPage
{
    public static string Render(PageModel m)
    {
        var title = m.Project is { } p ? $"{m.Options.Title} · {p.Name}" : m.Options.Title;
        var body = E("body");
        body.Add(Link("#main", "Skip to the figures", At("class", "skip")));
        body.Add(Header(m));
        if (m.View is { } view)
        {
            body.Add(RangeNav(m, view));
            body.Add(FilterForm(m, view));
        }
        body.Add(Main(m));
        body.Add(E("footer",
            E("p", "Billed cost is the exact sum of the request logs' usd. Estimated cost comes only from a price table, for requests without usd, and is never added to billed cost. Invoiced cost is what the billing API reports for the whole UTC days of the range, when the source reads it. Times and days are UTC."),
            E("p", "This page loads nothing from another site and works without JavaScript. The API key is never shown or sent to the browser.")));
        var html = E("html", At("lang", "en"),
            E("head",
                E("meta", At("charset", "utf-8")),
                E("meta", At("name", "viewport"), At("content", "width=device-width, initial-scale=1")),
                E("meta", At("name", "referrer"), At("content", "no-referrer")),
                E("title", title),
                E("link", At("rel", "stylesheet"), At("href", m.Sub("assets/dashboard.css"))),
                E("link", At("rel", "icon"), At("type", "image/svg+xml"), At("href", m.Sub("assets/icon.svg"))),
                E("script", At("src", m.Sub("assets/dashboard.js")), At("defer", "defer"))),
            body);
        return Html.Render(html);
    }

    // ------------------------------------------------------------------ header, range, filters

    private static XElement Header(PageModel m)
    {
        var header = E("header", At("class", "top"), E("h1", m.Options.Title));
        var sub = m.Project is { } p ? $"{p.Name}{(p.Name != p.ProjectId ? $" ({p.ProjectId})" : "")} · {m.SourceDescription} · times are UTC" : m.SourceDescription;
        header.Add(P("sub", sub));
        if (m.View is { } view && m.Projects.Count > 1)
        {
            var form = E("form", At("class", "project"), At("method", "get"), At("action", m.BasePath));
            var select = E("select", At("id", "project"), At("name", "project"));
            foreach (var project in m.Projects)
            {
                var option = E("option", At("value", project.ProjectId), project.Name);
                if (project.ProjectId == view.ProjectId)
                {
                    option.Add(At("selected", "selected"));
                }
                select.Add(option);
            }
            form.Add(E("label", At("for", "project"), "Project"), select, Hidden("range", DashboardView.RangeParam(view.Range)));
            if (view.Range == UsageDashboardRange.Custom)
            {
                form.Add(Hidden("from", view.FromDay.ToString("yyyy-MM-dd", Fmt.Inv)), Hidden("to", view.ToDay.ToString("yyyy-MM-dd", Fmt.Inv)));
            }
            form.Add(E("button", At("type", "submit"), "Show project"));
            header.Add(form);
        }
        return header;
    }

    private static XElement RangeNav(PageModel m, DashboardView view)
    {
        var nav = E("nav", At("class", "range"), At("aria-label", "Date range"));
        var list = E("ul", At("class", "presets"));
        foreach (var (range, param, label) in DashboardView.Presets.Where(x => x.Range != UsageDashboardRange.Custom))
        {
            var a = Link(m.BasePath + view.QueryString(("range", param), ("from", null), ("to", null)), label);
            if (view.Range == range)
            {
                a.Add(At("aria-current", "page"));
                a.Add(At("class", "current"));
            }
            list.Add(E("li", a));
        }
        nav.Add(list);
        var custom = E("form", At("class", "custom"), At("method", "get"), At("action", m.BasePath), At("aria-label", "Custom range"),
            Hidden("project", view.ProjectId), Hidden("range", "custom"));
        AddFilterHiddens(custom, view);
        custom.Add(
            E("div", At("class", "field"),
                E("label", At("for", "from"), "From"),
                E("input", At("type", "date"), At("id", "from"), At("name", "from"), At("value", view.FromDay.ToString("yyyy-MM-dd", Fmt.Inv)), At("required", "required"))),
            E("div", At("class", "field"),
                E("label", At("for", "to"), "To"),
                E("input", At("type", "date"), At("id", "to"), At("name", "to"), At("value", view.ToDay.ToString("yyyy-MM-dd", Fmt.Inv)), At("required", "required"))),
            E("button", At("type", "submit"), view.Range == UsageDashboardRange.Custom ? "Apply custom range (shown)" : "Apply custom range"));
        nav.Add(custom);
        return nav;
    }

    private static XElement FilterForm(PageModel m, DashboardView view)
    {
        var form = E("form", At("class", "filters"), At("method", "get"), At("action", m.BasePath), At("role", "search"), At("aria-label", "Filters"),
            Hidden("project", view.ProjectId), Hidden("range", DashboardView.RangeParam(view.Range)));
        if (view.Range == UsageDashboardRange.Custom)
        {
            form.Add(Hidden("from", view.FromDay.ToString("yyyy-MM-dd", Fmt.Inv)), Hidden("to", view.ToDay.ToString("yyyy-MM-dd", Fmt.Inv)));
        }
        var fields = E("div", At("class", "fields"));
        foreach (var (dimension, param, label) in DashboardView.FilterParams)
        {
            var id = "f-" + param;
            var selected = view.Filters.For(dimension);
            var select = E("select", At("id", id), At("name", param));
            select.Add(E("option", At("value", ""), "Any"));
            var groups = m.Data?.Unfiltered.GetGroups(dimension).Where(g => g.Key is not null).OrderBy(g => g.Name, StringComparer.OrdinalIgnoreCase).ToList() ?? [];
            foreach (var g in groups)
            {
                var option = E("option", At("value", g.Key!), g.Name == g.Key ? g.Name : $"{g.Name} ({Short(g.Key!)})");
                if (selected.Contains(g.Key!, StringComparer.OrdinalIgnoreCase))
                {
                    option.Add(At("selected", "selected"));
                }
                select.Add(option);
            }
            foreach (var v in selected.Where(v => !groups.Any(g => string.Equals(g.Key, v, StringComparison.OrdinalIgnoreCase))))
            {
                select.Add(E("option", At("value", v), At("selected", "selected"), v + " (no requests in this range)"));
            }
            fields.Add(E("div", At("class", "field"), E("label", At("for", id), label), select));
        }
        form.Add(fields);
        var actions = E("div", At("class", "actions"), E("button", At("type", "submit"), "Apply filters"));
        if (!view.Filters.IsEmpty)
        {
            actions.Add(Link(m.BasePath + view.QueryString(DashboardView.FilterParams.Select(f => (f.Param, (string?)null)).ToArray()), "Clear filters"));
        }
        form.Add(actions);
        return form;
    }

    private static void AddFilterHiddens(XElement form, DashboardView view)
    {
        foreach (var (dimension, param, _) in DashboardView.FilterParams)
        {
            foreach (var v in view.Filters.For(dimension))
            {
                form.Add(Hidden(param, v));
            }
        }
    }

    private static XElement Hidden(string name, string value) => E("input", At("type", "hidden"), At("name", name), At("value", value));

    private static string Short(string id) => id.Length > 13 ? id[..8] + "…" : id;

    // ------------------------------------------------------------------ main

    private static XElement Main(PageModel m)
    {
        var main = E("main", At("id", "main"), At("tabindex", "-1"));
        if (m.Error is not null)
        {
            main.Add(E("section", At("class", "alert"), At("role", "alert"), At("aria-labelledby", "error-h"),
                E("h2", At("id", "error-h"), m.ErrorTitle ?? "This view cannot be shown"),
                E("p", At("class", "reason"), m.Error),
                E("p", Link(m.BasePath, "Show the default view"))));
            return main;
        }
        var view = m.View!;
        var data = m.Data!;
        var r = data.Report;
        main.Add(E("h2", At("class", "period"), At("id", "period"), PeriodText(view)));
        main.Add(P("filters-summary", view.Filters.IsEmpty ? "All requests of the project (no filters)." : "Filtered: " + FilterSummary(m, view) + "."));
        var export = E("p", At("class", "export"), "Export this view: ",
            Link(m.Sub("export.csv") + view.QueryString(), "Export CSV", At("download", $"usage-{view.ProjectId}-{view.FromDay:yyyyMMdd}-{view.ToDay:yyyyMMdd}.csv")),
            " ",
            Link(m.Sub("export.json") + view.QueryString(), "Export JSON", At("download", $"usage-{view.ProjectId}-{view.FromDay:yyyyMMdd}-{view.ToDay:yyyyMMdd}.json")),
            " ",
            E("button", At("type", "button"), At("class", "copy-link"), At("hidden", "hidden"), "Copy link to this view"));
        main.Add(export);
        if (data.Note is { Length: > 0 } note)
        {
            main.Add(P("note", note));
        }

        if (r.Totals.Requests == 0)
        {
            main.Add(E("section", At("class", "empty"), At("role", "status"), At("aria-labelledby", "empty-h"),
                E("h2", At("id", "empty-h"), "No usage data for this range"),
                E("p", At("class", "reason"), EmptyReason(m, view, data))));
            return main;
        }

        main.Add(Tiles(data));
        main.Add(ChartsSection(m, view, r));
        main.Add(OverTime(m, view, r));
        main.Add(GroupTable(m, view, r, UsageReportDimension.ApiKey, "keys", "Per API key", "ksort", "kdir", view.KeySort));
        main.Add(GroupTable(m, view, r, UsageReportDimension.Model, "models", "Per model", "msort", "mdir", view.ModelSort));
        main.Add(StatesSection(r));
        main.Add(SpikesSection(r));
        main.Add(BudgetsSection(m, r));
        return main;
    }

    private static string PeriodText(DashboardView view)
    {
        var range = view.Days == 1
            ? view.FromDay.ToString("ddd d MMM yyyy", Fmt.Inv)
            : $"{view.FromDay.ToString("d MMM yyyy", Fmt.Inv)} – {view.ToDay.ToString("d MMM yyyy", Fmt.Inv)}";
        var label = DashboardView.Presets.First(p => p.Range == view.Range).Label;
        return $"{label}: {range} ({view.Days} day{(view.Days == 1 ? "" : "s")}, UTC, {(view.Resolution == Resolution.Hour ? "per hour" : "per day")})";
    }

    private static string FilterSummary(PageModel m, DashboardView view)
        => string.Join("; ", DashboardView.FilterParams.Where(f => view.Filters.For(f.Dimension).Count > 0)
            .Select(f => $"{f.Label.ToLowerInvariant()} {string.Join(" or ", view.Filters.For(f.Dimension).Select(v => NameOf(m, f.Dimension, v)))}"));

    private static string NameOf(PageModel m, UsageReportDimension dimension, string key)
        => m.Data?.Unfiltered.GetGroups(dimension).FirstOrDefault(g => string.Equals(g.Key, key, StringComparison.OrdinalIgnoreCase)) is { } g && g.Name != g.Key ? $"{g.Name} ({key})" : key;

    internal static string EmptyReason(PageModel m, DashboardView view, UsageDashboardData data)
    {
        var project = m.Project?.Name ?? view.ProjectId;
        if (data.Unfiltered.Totals.Requests > 0)
        {
            return $"{Fmt.N(data.Unfiltered.Totals.Requests)} requests of {project} are in this range, but none matches the filters ({FilterSummary(m, view)}). Clear or change the filters.";
        }
        if (view.Start >= view.Now)
        {
            return "This range is in the future: nothing has happened in it yet.";
        }
        if (data.AvailableFrom is { } from && view.End <= from)
        {
            return $"The source ({m.SourceDescription}) holds nothing before {Fmt.Hour(from)} UTC, and this range ends before that."
                + (m.SourceDescription.StartsWith("archive", StringComparison.Ordinal) ? "" : " The API keeps request logs for 90 days; an archive (usage archive sync) keeps them longer.");
        }
        if (data.AvailableTo is { } to && view.Start >= to)
        {
            return $"The source ({m.SourceDescription}) was last synced up to {Fmt.Hour(to)} UTC, before this range starts. Sync it (usage archive sync) and reload.";
        }
        if (data.AvailableFrom is null && data.AvailableTo is null && m.SourceDescription.StartsWith("archive", StringComparison.Ordinal))
        {
            return $"The archive holds no request logs of {project}. Sync it first (usage archive sync --project {view.ProjectId}).";
        }
        return $"{project} made no requests in this range (source: {m.SourceDescription}).";
    }

    // ------------------------------------------------------------------ tiles

    private static XElement Tiles(UsageDashboardData data)
    {
        var t = data.Report.Totals;
        var list = E("ul", At("class", "tiles"));
        list.Add(Tile("total-tokens", "Total tokens", Fmt.N(t.TokensTotal), t.TokensTotal.ToString(Fmt.Inv), $"{Fmt.N(t.RequestsWithTokens)} requests with tokens"));
        list.Add(Tile("input-tokens", "Input tokens", Fmt.N(t.TokensIn), t.TokensIn.ToString(Fmt.Inv), null));
        list.Add(Tile("output-tokens", "Output tokens", Fmt.N(t.TokensOut), t.TokensOut.ToString(Fmt.Inv), t.OutputInputRatio is { } ratio ? $"{ratio.ToString("0.000", Fmt.Inv)} per input token" : null));
        list.Add(Tile("requests", "Requests", Fmt.N(t.Requests), t.Requests.ToString(Fmt.Inv), $"{t.AudioHours.ToString("#,##0.##", Fmt.Inv)} audio hours"));
        list.Add(Tile("billed-cost", "Billed cost", Fmt.Usd(t.BilledUsd), Fmt.Exact(t.BilledUsd), $"sum of the request logs' usd ({Fmt.N(t.BilledRequests)} requests carry one)"));
        list.Add(Tile("estimated-cost", "Estimated cost (not billed)",
            t.EstimatedRequests > 0 || data.Report.PriceSource is not null ? Fmt.UsdEstimate(t.EstimatedUsd) : "no price table",
            Fmt.Exact(t.EstimatedUsd),
            t.EstimatedRequests > 0 || data.Report.PriceSource is not null
                ? $"{Fmt.N(t.EstimatedRequests)} requests without usd priced from the price table; {Fmt.N(t.UnpricedRequests)} unpriced"
                : $"{Fmt.N(t.RequestsWithoutUsd)} requests carry no usd; set a price table to estimate them", "estimate"));
        list.Add(Tile("invoiced-cost", "Invoiced (billing API)", data.InvoicedUsd is { } inv ? Fmt.Usd(inv) : "not available", data.InvoicedUsd is { } i2 ? Fmt.Exact(i2) : "", data.InvoicedNote, "invoiced"));
        list.Add(Tile("error-rate", "Error rate", Fmt.Pct(t.ErrorRate), Fmt.Exact(t.ErrorRate), $"{Fmt.N(t.States.Error)} failed of {Fmt.N(t.States.Error + t.States.Success)} finished"));
        return E("section", At("class", "kpis"), At("aria-labelledby", "kpi-h"), E("h2", At("id", "kpi-h"), "Key figures"), list);
    }

    private static XElement Tile(string id, string label, string value, string raw, string? detail, string? extraClass = null)
    {
        var li = E("li", At("class", "tile" + (extraClass is null ? "" : " " + extraClass)), At("data-kpi", id),
            E("span", At("class", "label"), At("id", "kpi-" + id), label),
            E("span", At("class", raw.Length > 0 && (char.IsAsciiDigit(value[^1]) || value.EndsWith('%')) ? "value" : "value text"), At("data-value", raw), At("aria-describedby", "kpi-" + id), value));
        if (detail is not null)
        {
            li.Add(E("span", At("class", "detail"), detail));
        }
        return li;
    }

    // ------------------------------------------------------------------ charts and the table behind them

    private static XElement ChartsSection(PageModel m, DashboardView view, UsageReport r)
    {
        var buckets = view.Resolution == Resolution.Hour ? r.Hourly : r.Daily;
        var per = view.Resolution == Resolution.Hour ? "hour" : "day";
        var section = E("section", At("class", "charts"), At("aria-labelledby", "charts-h"), E("h2", At("id", "charts-h"), "Charts"),
            P("hint", "Each chart has a text description; the table “Usage over time” below lists every value."));
        section.Add(ChartBox("c-total", $"Total tokens per {per}",
            Charts.Line("c-total", $"Total tokens per {per}", buckets, view.Resolution, [new Series("total tokens", "total", f => f.TokensTotal)], v => Fmt.N((long)v))));
        section.Add(ChartBox("c-inout", $"Input vs output tokens per {per}",
            Charts.Line("c-inout", $"Input vs output tokens per {per}", buckets, view.Resolution,
                [new Series("input tokens", "input", f => f.TokensIn), new Series("output tokens", "output", f => f.TokensOut, Dashed: true)], v => Fmt.N((long)v))));
        var spikes = r.Spikes.Where(s => s.Metric == UsageReportMetric.Requests).Select(s => s.Hour).ToHashSet();
        section.Add(view.Days <= 31
            ? ChartBox("c-hourly", "Requests per hour",
                Charts.Bars("c-hourly", "Requests per hour", r.Hourly, Resolution.Hour, [new Series("requests", "requests", f => f.Requests)], v => Fmt.N((long)v), spikes, "spike"))
            : ChartBox("c-hourly", "Requests by hour of day", Charts.HourOfDay("c-hourly", "Requests by hour of day (the range is longer than 31 days)", r.HourOfDay)));
        var cost = view.Resolution == Resolution.Hour ? r.Hourly : r.Daily;
        var costSeries = new List<Series> { new("billed (usd)", "billed", f => f.BilledUsd) };
        if (r.HasEstimates)
        {
            costSeries.Add(new Series("estimated, not billed", "estimated", f => f.EstimatedUsd));
        }
        section.Add(ChartBox("c-cost", $"Cost per {per}", Charts.Bars("c-cost", $"Cost per {per}", cost, view.Resolution, costSeries, Fmt.Usd)));
        return section;
    }

    private static XElement ChartBox(string id, string title, XElement chart)
        => E("figure", At("class", "chart-box"), At("aria-labelledby", id + "-cap"), E("figcaption", At("id", id + "-cap"), title), chart);

    private static XElement OverTime(PageModel m, DashboardView view, UsageReport r)
    {
        var buckets = view.Resolution == Resolution.Hour ? r.Hourly : r.Daily;
        var per = view.Resolution == Resolution.Hour ? "hour" : "day";
        var table = E("table", At("class", "data over-time"),
            E("caption", $"Usage per {per} (UTC)"),
            E("thead", E("tr", Th(view.Resolution == Resolution.Hour ? "Hour (UTC)" : "Day (UTC)", "name"), Th("Requests"), Th("Input tokens"), Th("Output tokens"), Th("Total tokens"), Th("Billed cost"), Th("Estimated cost"), Th("Errors"))));
        var tbody = E("tbody");
        foreach (var b in buckets)
        {
            var f = b.Figures;
            tbody.Add(E("tr", E("th", At("scope", "row"), At("class", "name"), Charts.Label(b, view.Resolution)), Td(Fmt.N(f.Requests)), Td(Fmt.N(f.TokensIn)), Td(Fmt.N(f.TokensOut)), Td(Fmt.N(f.TokensTotal)),
                Td(Fmt.Usd(f.BilledUsd)), Td(f.EstimatedUsd == 0 ? "–" : Fmt.UsdEstimate(f.EstimatedUsd), "est"), Td(Fmt.N(f.States.Error))));
        }
        table.Add(tbody);
        return E("section", At("class", "over-time"), At("aria-labelledby", "ot-h"), E("h2", At("id", "ot-h"), "Usage over time"),
            E("details", At("id", "over-time"),
                E("summary", $"Show the {buckets.Count} rows (one per {per})"),
                Scroll("ot-h", table)),
            E("p", At("class", "hint"), "The CSV export of this view has these rows."));
    }

    // ------------------------------------------------------------------ groups

    private static readonly (string Column, string Label)[] GroupColumns =
    [
        ("name", "Name"), ("requests", "Requests"), ("tokens_in", "Input tokens"), ("tokens_out", "Output tokens"), ("tokens", "Total tokens"),
        ("billed", "Billed cost"), ("estimated", "Estimated cost"), ("error_rate", "Error rate"),
    ];

    private static XElement GroupTable(PageModel m, DashboardView view, UsageReport r, UsageReportDimension dimension, string id, string title, string sortParam, string dirParam, TableSort sort)
    {
        var groups = sort.Apply(r.GetGroups(dimension)).ToList();
        var headRow = E("tr");
        foreach (var (column, label) in GroupColumns)
        {
            var active = sort.Column == column;
            var nextDesc = active ? !sort.Descending : column != "name";
            var href = m.BasePath + view.QueryString((sortParam, column), (dirParam, nextDesc ? "desc" : "asc")) + "#" + id;
            var th = E("th", At("scope", "col"), At("class", column == "name" ? "name" : "num"),
                Link(href, label, E("span", At("class", "visually-hidden"), active ? $", sorted {(sort.Descending ? "highest first" : "lowest first")}; activate to reverse" : ", activate to sort"),
                    E("span", At("class", "arrow"), At("aria-hidden", "true"), active ? (sort.Descending ? " ▼" : " ▲") : "")));
            if (active)
            {
                th.Add(At("aria-sort", sort.Descending ? "descending" : "ascending"));
            }
            headRow.Add(th);
        }
        var sortLabel = GroupColumns.First(c => c.Column == sort.Column).Label.ToLowerInvariant();
        var table = E("table", At("class", "data groups"), At("id", id + "-table"),
            E("caption", $"{title}: {groups.Count} {(groups.Count == 1 ? "row" : "rows")}, sorted by {sortLabel}, {(sort.Descending ? "highest first" : "lowest first")}"),
            E("thead", headRow));
        var tbody = E("tbody");
        foreach (var g in groups.Take(m.Options.MaxTableRows))
        {
            var f = g.Figures;
            var name = E("th", At("scope", "row"), At("class", "name"), g.Name);
            if (g.Key is not null && g.Name != g.Key)
            {
                name.Add(E("small", g.Key));
            }
            tbody.Add(E("tr", At("data-key", g.Key ?? ""), name, Td(Fmt.N(f.Requests)), Td(Fmt.N(f.TokensIn)), Td(Fmt.N(f.TokensOut)), Td(Fmt.N(f.TokensTotal)),
                Td(Fmt.Usd(f.BilledUsd)), Td(f.EstimatedUsd == 0 ? "–" : Fmt.UsdEstimate(f.EstimatedUsd), "est"), Td(Fmt.Pct(f.ErrorRate))));
        }
        table.Add(tbody);
        var section = E("section", At("id", id), At("class", "group"), At("aria-labelledby", id + "-h"), E("h2", At("id", id + "-h"), title), Scroll(id + "-h", table));
        if (groups.Count > m.Options.MaxTableRows)
        {
            section.Add(P("hint", $"{groups.Count - m.Options.MaxTableRows} more rows are in the JSON export."));
        }
        if (dimension == UsageReportDimension.Model)
        {
            section.Add(P("hint", "A request with several models (a voice agent) counts in each model's row, so rows can add up to more than the total."));
        }
        section.Add(E("p", At("class", "hint"), Link(m.Sub("export.csv") + view.QueryString(("table", id)), $"Export this table as CSV", At("download", $"usage-{id}-{view.ProjectId}.csv"))));
        return section;
    }

    // ------------------------------------------------------------------ states, spikes, budgets

    private static XElement StatesSection(UsageReport r)
    {
        var states = r.Totals.States;
        var total = Charts.StateItems(states).Sum(i => i.Count);
        var table = E("table", At("class", "data states"), E("caption", "Requests per log state"),
            E("thead", E("tr", Th("State", "name"), Th("Requests"), Th("Share"))));
        var tbody = E("tbody");
        foreach (var (name, count) in Charts.StateItems(states))
        {
            tbody.Add(E("tr", At("data-state", name.ToLowerInvariant()), E("th", At("scope", "row"), At("class", "name"), name), Td(Fmt.N(count)), Td(total == 0 ? "0%" : Fmt.Pct((double)count / total))));
        }
        table.Add(tbody);
        return E("section", At("class", "log-states"), At("aria-labelledby", "states-h"), E("h2", At("id", "states-h"), "Log states"),
            Charts.States("c-states", states), table,
            P("hint", "Error: a code of 400 or more, or a message. Success: details or a completion time. A request without a response is Pending for 15 minutes, then Unknown, and Lost after 24 hours."));
    }

    private static XElement SpikesSection(UsageReport r)
    {
        var section = E("section", At("class", "spikes"), At("aria-labelledby", "spikes-h"), E("h2", At("id", "spikes-h"), "Spikes"));
        if (r.Spikes.Count == 0)
        {
            section.Add(P("none", r.SpikeBaselines.Count == 0 ? "Not enough hours to look for spikes (at least 6)." : "No spikes: no hour stands far above the range's norm."));
            return section;
        }
        var table = E("table", At("class", "data"), E("caption", FormattableString.Invariant($"Hours above median + {r.SpikeThreshold} × σ̂ of the range's hours")),
            E("thead", E("tr", Th("Hour (UTC)", "name"), Th("Metric"), Th("Value"), Th("Median"), Th("Threshold"), Th("Score"))));
        var tbody = E("tbody");
        foreach (var s in r.Spikes)
        {
            Func<decimal, string> f = s.Metric is UsageReportMetric.BilledUsd or UsageReportMetric.EstimatedUsd ? Fmt.Usd : Fmt.N;
            tbody.Add(E("tr", E("th", At("scope", "row"), At("class", "name"), Fmt.Hour(s.Hour)), Td(MetricLabel(s.Metric)), Td(f(s.Value)), Td(f(s.Median)), Td(f(s.Threshold)), Td(s.Score.ToString("0.0", Fmt.Inv) + " σ̂")));
        }
        table.Add(tbody);
        section.Add(Scroll("spikes-h", table));
        return section;
    }

    private static XElement BudgetsSection(PageModel m, UsageReport r)
    {
        var section = E("section", At("class", "budgets"), At("aria-labelledby", "budgets-h"), E("h2", At("id", "budgets-h"), "Budget breaches"));
        if (m.Options.Report.Budgets.Count == 0)
        {
            section.Add(P("none", "No budget is set for this dashboard."));
            return section;
        }
        if (r.BudgetBreaches.Count == 0)
        {
            section.Add(P("none", $"No budget exceeded ({string.Join("; ", m.Options.Report.Budgets.Select(b => b.ToString()))})."));
            return section;
        }
        var table = E("table", At("class", "data"), E("caption", "Budgets exceeded in this range"),
            E("thead", E("tr", Th("Budget", "name"), Th("Day"), Th("API key"), Th("Metric"), Th("Limit"), Th("Actual"))));
        var tbody = E("tbody");
        foreach (var b in r.BudgetBreaches)
        {
            var usd = b.Metric != UsageReportMetric.Tokens;
            tbody.Add(E("tr", E("th", At("scope", "row"), At("class", "name"), b.Budget.ToString()), Td(b.Day?.ToString("yyyy-MM-dd", Fmt.Inv) ?? "whole range"), Td(b.ApiKey ?? "project"),
                Td(usd ? (b.IncludesEstimate ? "cost (billed + estimated)" : "billed cost") : "tokens"), Td(usd ? Fmt.Usd(b.Limit) : Fmt.N((long)b.Limit)), Td(usd ? Fmt.Usd(b.Actual) : Fmt.N((long)b.Actual))));
        }
        table.Add(tbody);
        section.Add(Scroll("budgets-h", table));
        return section;
    }

    private static string MetricLabel(UsageReportMetric m) => m switch
    {
        UsageReportMetric.BilledUsd => "billed cost",
        UsageReportMetric.EstimatedUsd => "estimated cost",
        UsageReportMetric.TokensIn => "input tokens",
        UsageReportMetric.TokensOut => "output tokens",
        _ => m.ToString().ToLowerInvariant(),
    };

    private static XElement Scroll(string labelledBy, XElement table)
        => E("div", At("class", "scroll"), At("role", "region"), At("aria-labelledby", labelledBy), At("tabindex", "0"), table);

    private static XElement Th(string text, string? cls = null) => E("th", At("scope", "col"), At("class", cls ?? "num"), text);

    private static XElement Td(string text, string? cls = null) => cls is null ? E("td", text) : E("td", At("class", cls), text);
}
