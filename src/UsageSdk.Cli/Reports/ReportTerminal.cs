using System.Globalization;
using System.Text;
using Spectre.Console;
using Spectre.Console.Rendering;
using UsageSdk.Cli.Infrastructure;
using UsageSdk.Reports;

namespace UsageSdk.Cli.Reports;

/// <summary>What the terminal report shows.</summary>
internal sealed record ReportView(string Title, IReadOnlyList<UsageReportDimension> Tables, int Top, string? HtmlPath);

/// <summary>
/// Draws a <see cref="UsageReport"/> with Spectre.Console: key figures, requests per hour (one row per day, one column
/// per hour), tokens in vs out per day, a per-day table, per-key / per-model (or --by) tables, log states, spikes and
/// budget breaches. Colours show only on a terminal; spikes are also marked with text.
/// </summary>
internal static class ReportTerminal
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static readonly char[] Blocks = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    private const int ChartWidth = 100;

    public static void Write(IAnsiConsole console, UsageReport report, ReportView view)
    {
        var t = report.Totals;
        console.Write(new Rule("[bold]" + TerminalText.Markup(view.Title) + "[/]").LeftJustified().RuleStyle(new Style(Color.Grey)));
        console.MarkupLine("[grey]" + TerminalText.Markup(Period(report)) + "[/]");
        console.WriteLine();
        console.Write(KeyFigures(report, console.Profile.Width));
        console.WriteLine();

        if (t.Requests == 0)
        {
            console.WriteLine("No requests in this period.");
            console.WriteLine();
            CostView(console, report.CostView, report.Reconciliation);
            Notes(console, report, view);
            return;
        }

        HourlyChart(console, report);
        console.WriteLine();
        TokensChart(console, report);
        console.WriteLine();
        console.Write(DailyTable(report));
        console.WriteLine();

        foreach (var dimension in view.Tables)
        {
            var groups = report.GetGroups(dimension);
            if (groups.Count == 0)
            {
                continue;
            }
            console.Write(GroupTable(report, dimension, groups, view.Top, console.Profile.Width));
            if (report.GetOverlapNote(dimension) is { } note)
            {
                var split = dimension == UsageReportDimension.Model && report.GetOverlappingMetrics(dimension).Contains(UsageReportMetric.BilledUsd) && report.PriceSource is null
                    ? " --prices prices.json splits it." : "";
                console.MarkupLine("[grey]* " + TerminalText.Markup(note + split) + "[/]");
            }
            console.WriteLine();
        }

        CostView(console, report.CostView, report.Reconciliation);

        console.MarkupLine("[bold]Log states[/]");
        console.Write(new BreakdownChart().Width(Math.Min(ChartWidth, console.Profile.Width)).ShowTagValues()
            .UseValueFormatter(v => ((long)v).ToString("#,0", Inv))
            .AddItem("Success", t.States.Success, Color.Green)
            .AddItem("Error", t.States.Error, Color.Red)
            .AddItem("Pending", t.States.Pending, Color.Yellow)
            .AddItem("Unknown", t.States.Unknown, Color.Grey)
            .AddItem("Lost", t.States.Lost, Color.Grey37));
        console.WriteLine();

        Spikes(console, report);
        Breaches(console, report);
        Notes(console, report, view);
    }

    // ------------------------------------------------------------------ parts

    private static string Period(UsageReport r)
    {
        if (r.Start is not { } s || r.End is not { } e)
        {
            return "No data.";
        }
        var days = (e - s).TotalDays;
        return $"{s.ToString("yyyy-MM-dd HH:mm", Inv)} – {e.ToString("yyyy-MM-dd HH:mm", Inv)} UTC ({days.ToString("0.#", Inv)} days) · times are UTC";
    }

    private static Grid KeyFigures(UsageReport r, int width)
    {
        var t = r.Totals;
        var wide = width >= 150;
        var grid = new Grid();
        grid.AddColumn(new GridColumn().PadRight(2));
        grid.AddColumn(new GridColumn().PadRight(6));
        if (wide)
        {
            grid.AddColumn(new GridColumn().PadRight(2));
            grid.AddColumn(new GridColumn());
        }
        var cells = new List<(string, string)>
        {
            ("Requests", $"{Count(t.Requests)} [grey]({Count(t.States.Error)} failed, error rate {Pct(t.ErrorRate)})[/]"),
            ("Tokens", $"{Count(t.TokensTotal)} [grey]({Count(t.TokensIn)} in, {Count(t.TokensOut)} out)[/]"),
            ("Audio", $"{t.AudioHours.ToString("#,0.00", Inv)} h"),
            ("TTS characters", Count(t.TtsCharacters)),
            ("Billed cost", $"[bold]{Usd(t.BilledUsd)}[/] [grey]({Count(t.BilledRequests)} requests with usd)[/]"),
            ("Cost per 1,000", t.BilledUsdPer1000Requests is { } per ? Usd(per) + " [grey](billed requests)[/]" : "—"),
        };
        if (r.HasEstimates || r.PriceSource is not null)
        {
            cells.Add(("Estimated cost", $"[mediumpurple]{Estimate(t.EstimatedUsd)}[/] [grey](not billed; {Count(t.EstimatedRequests)} requests from the price table)[/]"));
            cells.Add(("No usd, no price", $"{Count(t.UnpricedRequests)} requests"));
        }
        cells.Add(("Tokens per request", t.TokensPerRequest.ToString("#,0.#", Inv)));
        cells.Add(("Output / input", t.OutputInputRatio is { } ratio ? ratio.ToString("0.000", Inv) : "—"));
        if (r.PeakHour is { } peak)
        {
            cells.Add(("Peak hour", $"{peak.Start.ToString("ddd yyyy-MM-dd HH:00", Inv)} [grey]({Count(peak.Figures.Requests)} requests)[/]"));
        }
        if (r.PeakHourOfDay is { } h)
        {
            cells.Add(("Busiest hour of day", $"{h:00}:00–{h:00}:59 [grey]({Count(r.HourOfDay[h].Requests)} requests)[/]"));
        }
        if (!wide)
        {
            foreach (var (label, value) in cells)
            {
                grid.AddRow(new Markup("[grey]" + label + "[/]"), new Markup(value));
            }
            return grid;
        }
        for (var i = 0; i < cells.Count; i += 2)
        {
            var right = i + 1 < cells.Count ? cells[i + 1] : ("", "");
            grid.AddRow(new Markup("[grey]" + cells[i].Item1 + "[/]"), new Markup(cells[i].Item2), new Markup("[grey]" + right.Item1 + "[/]"), new Markup(right.Item2));
        }
        return grid;
    }

    /// <summary>Requests per hour: one row per UTC day, one block per hour, scaled to the busiest hour; spikes in red and listed.</summary>
    private static void HourlyChart(IAnsiConsole console, UsageReport r)
    {
        var max = r.Hourly.Max(h => h.Figures.Requests);
        var spikes = r.Spikes.Where(s => s.Metric == UsageReportMetric.Requests).Select(s => s.Hour).ToHashSet();
        console.MarkupLine($"[bold]Requests per hour[/] [grey](UTC; one row per day, one column per hour; █ = {Count(max)} requests{(spikes.Count > 0 ? "; [red]red[/] = spike" : "")})[/]");
        var header = new StringBuilder(new string(' ', 14));
        for (var h = 0; h < 24; h += 3)
        {
            header.Append(h.ToString("00", Inv)).Append(' ');
        }
        header.Length--;
        console.MarkupLine("[grey]" + header.ToString().PadRight(14 + 24) + "   requests[/]");
        foreach (var day in r.Hourly.GroupBy(h => h.Start.Date))
        {
            var line = new StringBuilder();
            line.Append("[grey]").Append(day.Key.ToString("ddd MM-dd", Inv).PadRight(13)).Append("[/] ");
            var byHour = day.ToDictionary(h => h.Start.Hour);
            var marked = new List<string>();
            for (var h = 0; h < 24; h++)
            {
                if (!byHour.TryGetValue(h, out var bucket))
                {
                    line.Append(' ');
                    continue;
                }
                var n = bucket.Figures.Requests;
                var c = n == 0 ? '·' : Blocks[Math.Clamp((int)Math.Ceiling((double)n / max * Blocks.Length) - 1, 0, Blocks.Length - 1)];
                if (spikes.Contains(bucket.Start))
                {
                    line.Append("[red]").Append(c).Append("[/]");
                    marked.Add(h.ToString("00", Inv) + ":00");
                }
                else
                {
                    line.Append(c);
                }
            }
            line.Append(' ').Append(Count(day.Sum(h => h.Figures.Requests)).PadLeft(10));
            if (marked.Count > 0)
            {
                line.Append("  [red]spike ").Append(string.Join(", ", marked)).Append("[/]");
            }
            console.MarkupLine(line.ToString());
        }
    }

    private static void TokensChart(IAnsiConsole console, UsageReport r)
    {
        if (r.Totals.TokensTotal == 0)
        {
            return;
        }
        var chart = new BarChart().Width(Math.Min(ChartWidth, console.Profile.Width)).Label("[bold]Tokens in vs out per day[/] [grey](UTC)[/]").LeftAlignLabel()
            .UseValueFormatter(v => ((long)v).ToString("#,0", Inv));
        foreach (var d in r.Daily)
        {
            var label = d.Start.ToString("ddd MM-dd", Inv);
            chart.AddItem(label + "  in", d.Figures.TokensIn, Color.Green);
            chart.AddItem(label + " out", d.Figures.TokensOut, Color.DarkOrange);
        }
        console.Write(chart);
    }

    private static Table DailyTable(UsageReport r)
    {
        var estimates = r.HasEstimates;
        var table = NewTable("Per day (UTC)");
        AddColumns(table, ("Day", false), ("Requests", true), ("Tokens in", true), ("Tokens out", true), ("Audio h", true), ("TTS chars", true), ("Billed", true));
        if (estimates)
        {
            AddColumns(table, ("Estimated", true));
        }
        AddColumns(table, ("Errors", true));
        foreach (var d in r.Daily)
        {
            var f = d.Figures;
            var cells = new List<string> { d.Start.ToString("ddd yyyy-MM-dd", Inv), Count(f.Requests), Count(f.TokensIn), Count(f.TokensOut), Hours(f.AudioHours), Count(f.TtsCharacters), Usd(f.BilledUsd) };
            if (estimates)
            {
                cells.Add(Estimate(f.EstimatedUsd));
            }
            cells.Add(Count(f.States.Error));
            table.AddRow(cells.Select(c => (IRenderable)TerminalText.Text(c)).ToArray());
        }
        var t = r.Totals;
        var total = new List<string> { "Total", Count(t.Requests), Count(t.TokensIn), Count(t.TokensOut), Hours(t.AudioHours), Count(t.TtsCharacters), Usd(t.BilledUsd) };
        if (estimates)
        {
            total.Add(Estimate(t.EstimatedUsd));
        }
        total.Add(Count(t.States.Error));
        table.AddEmptyRow();
        table.AddRow(total.Select(c => (IRenderable)TerminalText.Text(c, new Style(decoration: Decoration.Bold))).ToArray());
        return table;
    }

    public static string DimensionTitle(UsageReportDimension d) => d switch
    {
        UsageReportDimension.ApiKey => "API key",
        UsageReportDimension.Model => "Model",
        UsageReportDimension.Tag => "Tag",
        UsageReportDimension.Method => "Method",
        UsageReportDimension.Endpoint => "Endpoint",
        UsageReportDimension.Deployment => "Deployment",
        _ => d.ToString(),
    };

    private static Table GroupTable(UsageReport r, UsageReportDimension dimension, IReadOnlyList<UsageReportGroup> groups, int top, int width)
    {
        var estimates = r.HasEstimates;
        var supplied = !r.ModelCostsAreBilled && groups.Any(g => g.SuppliedUsd is not null);
        var showIds = width >= 150;
        var showShare = width >= 130;
        var overlapping = r.GetOverlappingMetrics(dimension);
        var shown = groups.Take(top).ToList();
        var title = "Per " + (dimension == UsageReportDimension.ApiKey ? "API key" : DimensionTitle(dimension).ToLowerInvariant()) + (groups.Count > shown.Count ? $" (top {shown.Count} of {groups.Count} by requests)" : "");
        var table = NewTable(title);
        // API keys are grouped by api_key_id (the accessor when a request has none): the header says so unless names stand in.
        var header = dimension == UsageReportDimension.ApiKey && shown.All(g => g.Name == g.Key) ? "API key id" : DimensionTitle(dimension);
        // A column whose rows add up to more than the total is marked with *; the note under the table says why.
        (string, bool) Column(string text, UsageReportMetric metric) => (overlapping.Contains(metric) ? text + " *" : text, true);
        AddColumns(table, (header, false), Column("Requests", UsageReportMetric.Requests));
        table.Columns[0].NoWrap(); // a name is read whole: the number columns give way first
        if (showShare)
        {
            AddColumns(table, ("Share", true));
        }
        AddColumns(table, Column("Tokens in", UsageReportMetric.TokensIn), Column("Tokens out", UsageReportMetric.TokensOut), Column("Tokens", UsageReportMetric.Tokens),
            Column("Audio h", UsageReportMetric.AudioHours), Column("TTS chars", UsageReportMetric.TtsCharacters),
            Column("Billed", UsageReportMetric.BilledUsd)); // marked * when it is the cost of the requests that used each model (the note says so)
        if (estimates)
        {
            AddColumns(table, Column("Estimated", UsageReportMetric.EstimatedUsd));
        }
        if (supplied)
        {
            AddColumns(table, ("Line items", true));
        }
        AddColumns(table, Column("Errors", UsageReportMetric.Errors));
        var total = r.Totals.Requests;
        foreach (var g in shown)
        {
            var f = g.Figures;
            var name = showIds && g.Key is not null && g.Name != g.Key ? $"{g.Name} ({Short(g.Key)})" : g.Name;
            var cells = new List<string> { name, Count(f.Requests) };
            if (showShare)
            {
                cells.Add(Pct(total == 0 ? 0 : (double)f.Requests / total));
            }
            cells.AddRange([Count(f.TokensIn), Count(f.TokensOut), Count(f.TokensTotal), Hours(f.AudioHours), Count(f.TtsCharacters), Usd(f.BilledUsd)]);
            if (estimates)
            {
                cells.Add(Estimate(f.EstimatedUsd));
            }
            if (supplied)
            {
                cells.Add(g.SuppliedUsd is { } s ? Usd(s) : "—");
            }
            cells.Add(f.States.Error == 0 ? "0" : $"{Count(f.States.Error)} ({Pct(f.ErrorRate)})");
            table.AddRow(cells.Select(c => (IRenderable)TerminalText.Text(c)).ToArray());
        }
        return table;
    }

    /// <summary>
    /// The cost view from the billing breakdown: month to date, previous month, projection with its range, balance and
    /// the reconciliation line, then (with <paramref name="daily"/>) the cost per day, and month to date per key, line
    /// item and tag; one line when billing is not readable. <c>usage report</c> and <c>usage billing --view cost</c>.
    /// </summary>
    internal static void CostView(IAnsiConsole console, UsageCostView? v, UsageCostReconciliation? reconciliation, bool daily = false)
    {
        if (v is null)
        {
            return;
        }
        if (!v.IsAvailable)
        {
            console.MarkupLine("[bold]Cost view[/] [grey]" + TerminalText.Markup(v.UnavailableReason!) + "[/]");
            console.WriteLine();
            return;
        }
        console.MarkupLine("[bold]Cost view[/] [grey](billing breakdown, the invoice's figures)[/]");
        var grid = new Grid();
        grid.AddColumn(new GridColumn().PadRight(2));
        grid.AddColumn(new GridColumn());
        grid.AddRow(TerminalText.Text("Month to date"), new Markup($"[bold]{Usd(v.MonthToDate)}[/] [grey]({v.Today.ToString("yyyy-MM", Inv)}-01 to {v.Today.ToString("yyyy-MM-dd", Inv)})[/]"));
        grid.AddRow(TerminalText.Text("Previous month"), TerminalText.Text(v.PreviousMonth is { } pm ? $"{Usd(pm)} ({v.Today.AddMonths(-1).ToString("yyyy-MM", Inv)})" : "— (not covered)"));
        grid.AddRow(TerminalText.Text("Projected month end"), TerminalText.Text(v.ProjectedMonthEnd is { } p ? $"{Usd(p)} (range {Usd(v.ProjectedLow!.Value)} – {Usd(v.ProjectedHigh!.Value)})" : "— (no full day yet)"));
        if (v.Balances.Count > 0)
        {
            grid.AddRow(TerminalText.Text("Balance"), TerminalText.Text(v.BalanceUsd is { } b ? Usd(b) : string.Join(", ", v.Balances.Select(x => x.Amount.ToString("#,0.##", Inv) + " " + x.Units))));
        }
        if (reconciliation is { } rec)
        {
            grid.AddRow(TerminalText.Text("Reconciliation"), TerminalText.Text(rec.ToString()));
        }
        console.Write(grid);
        if (v.ProjectionNote is { } note)
        {
            console.MarkupLine("[grey]" + TerminalText.Markup(note) + "[/]");
        }
        console.WriteLine();
        if (daily && v.Daily.Count > 0)
        {
            var days = NewTable($"Billed per day, {v.Start.ToString("yyyy-MM-dd", Inv)} to {v.End.ToString("yyyy-MM-dd", Inv)} (UTC)");
            AddColumns(days, ("Day", false), ("Billed", true));
            foreach (var (day, usd) in v.Daily)
            {
                days.AddRow(TerminalText.Text(day.ToString("ddd yyyy-MM-dd", Inv)), TerminalText.Text(Usd(usd)));
            }
            days.AddEmptyRow();
            days.AddRow(TerminalText.Text("Total"), TerminalText.Text(Usd(v.Daily.Sum(d => d.Value))));
            console.Write(days);
            console.WriteLine();
        }
        foreach (var (title, items) in new[] { ("API key", v.ByKey), ("Line item", v.ByLineItem), ("Tag", v.ByTag) })
        {
            if (items.Count == 0)
            {
                continue;
            }
            var table = NewTable($"Billed per {(title == "API key" ? title : title.ToLowerInvariant())}, month to date" + (title == "Tag" ? " (a cost with several tags counts in each)" : ""));
            AddColumns(table, (title, false), ("Billed", true));
            foreach (var i in items)
            {
                table.AddRow(TerminalText.Text(i.Name), TerminalText.Text(Usd(i.Usd)));
            }
            if (title != "Tag")
            {
                table.AddEmptyRow();
                table.AddRow(TerminalText.Text("Total"), TerminalText.Text(Usd(items.Sum(i => i.Usd))));
            }
            console.Write(table);
            console.WriteLine();
        }
    }

    private static void Spikes(IAnsiConsole console, UsageReport r)
    {
        if (r.SpikeBaselines.Count == 0)
        {
            return;
        }
        if (r.Spikes.Count == 0)
        {
            console.MarkupLine($"[bold]Spikes[/] [grey]none: no hour is above median + {r.SpikeThreshold.ToString(Inv)} × σ̂ of the period[/]");
            console.WriteLine();
            return;
        }
        var table = NewTable($"Spikes: hours above median + {r.SpikeThreshold.ToString(Inv)} × σ̂ of the period's hours");
        AddColumns(table, ("Hour (UTC)", false), ("Metric", false), ("Value", true), ("Median", true), ("Threshold", true), ("Score", true));
        foreach (var s in r.Spikes.OrderByDescending(s => s.Score).Take(10).OrderBy(s => s.Hour).ThenBy(s => s.Metric))
        {
            Func<decimal, string> f = s.Metric is UsageReportMetric.BilledUsd or UsageReportMetric.EstimatedUsd ? UsageMoney.Format : v => v.ToString("#,0.##", Inv);
            table.AddRow(s.Hour.ToString("ddd yyyy-MM-dd HH:00", Inv), MetricName(s.Metric), f(s.Value), f(s.Median), f(s.Threshold), s.Score.ToString("0.0", Inv) + " σ̂");
        }
        console.Write(table);
        if (r.Spikes.Count > 10)
        {
            console.MarkupLine($"[grey]{r.Spikes.Count - 10} more spikes (the 10 highest are shown; --format json lists all).[/]");
        }
        console.WriteLine();
    }

    private static void Breaches(IAnsiConsole console, UsageReport r)
    {
        if (r.BudgetBreaches.Count == 0)
        {
            return;
        }
        var table = NewTable($"Budget breaches ({r.BudgetBreaches.Count})");
        AddColumns(table, ("Budget", false), ("Day", false), ("API key", false), ("Limit", true), ("Actual", true));
        foreach (var b in r.BudgetBreaches)
        {
            var usd = b.Metric != UsageReportMetric.Tokens;
            table.AddRow(TerminalText.Text(b.Budget.ToString()), TerminalText.Text(b.Day?.ToString("yyyy-MM-dd", Inv) ?? "whole period"), TerminalText.Text(b.ApiKey is null ? "project" : r.Names.KeyName(b.ApiKey) ?? b.ApiKey),
                TerminalText.Text(usd ? Usd(b.Limit) : Count((long)b.Limit)),
                TerminalText.Text((usd ? Usd(b.Actual) : Count((long)b.Actual) + " tokens") + (b.IncludesEstimate ? " (incl. estimate)" : ""), new Style(Color.Red)));
        }
        console.Write(table);
        console.WriteLine();
    }

    private static void Notes(IAnsiConsole console, UsageReport r, ReportView view)
    {
        var t = r.Totals;
        var notes = new List<string>();
        if (t.RequestsWithoutUsd > 0)
        {
            notes.Add($"{Count(t.RequestsWithoutUsd)} requests carry no usd (pending, failed, contract or not settled): {Count(t.EstimatedRequests)} estimated, {Count(t.UnpricedRequests)} without a price" + (r.PriceSource is null && !r.HasEstimates ? " (add --prices prices.json to estimate them)." : "."));
        }
        if (r.HasEstimates)
        {
            notes.Add("Estimated cost comes from the price table" + (r.PriceSource is null ? "" : $" ({r.PriceSource})") + " and is never added to billed cost.");
        }
        if (t.Requests > 0 && view.Tables.Contains(UsageReportDimension.ApiKey))
        {
            notes.Add("Per API key groups by api_key_id (a request without one, by its accessor); 'usage requests list' shows the accessor.");
        }
        notes.Add("Amounts are in cents; --format json or csv gives the exact figures.");
        if (view.HtmlPath is not null)
        {
            notes.Add($"HTML report written to {view.HtmlPath} (self-contained; open it in a browser).");
        }
        foreach (var n in notes)
        {
            console.MarkupLine("[grey]" + TerminalText.Markup(n) + "[/]");
        }
    }

    // ------------------------------------------------------------------ helpers

    private static Table NewTable(string title)
        => new Table().Border(TableBorder.Rounded).BorderStyle(new Style(Color.Grey)).Title("[bold]" + TerminalText.Markup(title) + "[/]");

    private static void AddColumns(Table table, params (string Header, bool Right)[] columns)
    {
        foreach (var (header, right) in columns)
        {
            var c = new TableColumn(new Markup("[bold]" + TerminalText.Markup(header) + "[/]"));
            if (right)
            {
                c.RightAligned();
            }
            table.AddColumn(c);
        }
    }

    public static string MetricName(UsageReportMetric m) => m switch
    {
        UsageReportMetric.BilledUsd => "billed USD",
        UsageReportMetric.EstimatedUsd => "estimated USD",
        UsageReportMetric.TokensIn => "tokens in",
        UsageReportMetric.TokensOut => "tokens out",
        UsageReportMetric.AudioHours => "audio hours",
        UsageReportMetric.TtsCharacters => "TTS characters",
        _ => m.ToString().ToLowerInvariant(),
    };

    private static string Short(string key) => key.Length > 13 ? key[..8] + "…" : key;

    private static string Count(long n) => n.ToString("#,0", Inv);

    private static string Hours(double h) => h.ToString("#,0.00", Inv);

    private static string Pct(double v) => (v * 100).ToString("0.0", Inv) + "%";

    // Money goes through UsageMoney (the same format in the reports, the HTML page and every CLI table: $1.23 whatever the culture).

    /// <summary>USD in cents (<see cref="UsageMoney.Format"/>).</summary>
    public static string Usd(decimal v) => Money.Cents(v);

    public static string Estimate(decimal v) => Money.Estimate(v);
}
