using System.Globalization;
using System.Text.Json;

namespace UsageSdk.Reports;

/// <summary>
/// The cost of a project as the Deepgram Console's "View by cost" shows it, from the billing breakdown (the invoice's
/// figures, not the request logs' <c>usd</c>): the cost per UTC day, month to date, the previous month, month to date
/// per key, per line item and per tag, the balance, and a month-end projection with a range. Build it with
/// <see cref="Create"/> from a breakdown fetched with <see cref="CreateQuery"/> (grouped by accessor, line item and
/// tags), then attach it to a report with <see cref="UsageReportOptions.UseBilling"/>, which also gives the report
/// per-model billed cost and a reconciliation line. A key that may not read billing gets <see cref="Unavailable"/>.
/// </summary>
/// <remarks>
/// <para><b>Projection.</b> The daily rate is the mean cost of the last <see cref="TrendDays"/> full UTC days before
/// today (today is not over, so it is not used; fewer when the breakdown covers fewer). The month-end projection is the
/// cost of this month's full days plus that mean × the days left, today included: <c>full-days MTD + mean × (days in
/// month − full days elapsed)</c>. The range uses the lowest and the highest day of the same trend days in place of the
/// mean; neither end is below <see cref="MonthToDate"/> (what is billed already, today's part included).</para>
/// <para><b>Line items and models.</b> A line item is <c>{method}::{model}</c> (<c>streaming::nova-3</c>); its model is
/// the part after the last <c>::</c> (the whole id when there is none). A voice-agent session is one line item named
/// after its agent, so its whole cost goes to that model.</para>
/// </remarks>
public sealed class UsageCostView
{
    private readonly List<(DateOnly Day, decimal Usd, string? Accessor, string? LineItem, IReadOnlyList<string>? Tags)> _rows;

    private UsageCostView(DateOnly today, string? unavailableReason, List<(DateOnly Day, decimal Usd, string? Accessor, string? LineItem, IReadOnlyList<string>? Tags)>? rows = null)
    {
        Today = today;
        UnavailableReason = unavailableReason;
        _rows = rows ?? [];
    }

    /// <summary>The default number of full days the projection's daily rate is taken from (7).</summary>
    public const int DefaultTrendDays = 7;

    /// <summary>True when the view holds billing figures; false for <see cref="Unavailable"/>.</summary>
    public bool IsAvailable => UnavailableReason is null;

    /// <summary>Why there are no billing figures (for example the key may not read billing); null when <see cref="IsAvailable"/>.</summary>
    public string? UnavailableReason { get; }

    /// <summary>Today (UTC) when the view was made: month to date runs from the 1st of its month to it.</summary>
    public DateOnly Today { get; }

    /// <summary>The first day the breakdown covers.</summary>
    public DateOnly Start { get; private init; }

    /// <summary>The last day the breakdown covers (inclusive).</summary>
    public DateOnly End { get; private init; }

    /// <summary>Billed USD per UTC day from <see cref="Start"/> to <see cref="End"/>, days without cost included.</summary>
    public IReadOnlyList<KeyValuePair<DateOnly, decimal>> Daily { get; private init; } = [];

    /// <summary>Billed USD from the 1st of <see cref="Today"/>'s month to today (today's part so far included).</summary>
    public decimal MonthToDate { get; private init; }

    /// <summary>Billed USD of the previous calendar month; null when the breakdown does not cover all of it.</summary>
    public decimal? PreviousMonth { get; private init; }

    /// <summary>Month to date per accessor (API key), highest first; empty when the breakdown is not grouped by accessor.</summary>
    public IReadOnlyList<UsageCostItem> ByKey { get; private init; } = [];

    /// <summary>Month to date per line item (<c>streaming::nova-3</c>), highest first; empty when not grouped by line item.</summary>
    public IReadOnlyList<UsageCostItem> ByLineItem { get; private init; } = [];

    /// <summary>
    /// Month to date per tag, highest first; the cost without tags is the item whose key is null. A row with several
    /// tags counts in each, so these items can add up to more than <see cref="MonthToDate"/>. Empty when not grouped by tags.
    /// </summary>
    public IReadOnlyList<UsageCostItem> ByTag { get; private init; } = [];

    /// <summary>The project's balances as the API lists them (empty when not given).</summary>
    public IReadOnlyList<ProjectBalance> Balances { get; private init; } = [];

    /// <summary>The sum of the balances in <c>usd</c>; null when none is in dollars.</summary>
    public decimal? BalanceUsd => Balances.Any(b => b.IsUsd) ? Balances.Where(b => b.IsUsd).Sum(b => b.Amount) : null;

    /// <summary>How many full days the daily rate was taken from (0 when there was none: no projection).</summary>
    public int TrendDays { get; private init; }

    /// <summary>The mean billed USD of the <see cref="TrendDays"/> full days before today.</summary>
    public decimal DailyRate { get; private init; }

    /// <summary>The projected cost of the month (see the remarks); null without trend days.</summary>
    public decimal? ProjectedMonthEnd { get; private init; }

    /// <summary>The low end of the projection: the lowest trend day in place of the mean.</summary>
    public decimal? ProjectedLow { get; private init; }

    /// <summary>The high end of the projection: the highest trend day in place of the mean.</summary>
    public decimal? ProjectedHigh { get; private init; }

    /// <summary>One sentence saying how <see cref="ProjectedMonthEnd"/> and its range were computed; null without a projection.</summary>
    public string? ProjectionNote { get; private init; }

    /// <summary>
    /// The query that fetches what a view needs: from the 1st of the previous month (or <paramref name="from"/> when
    /// earlier) to today, grouped by accessor, line item and tags.
    /// </summary>
    /// <param name="now">The current time (UTC is used).</param>
    /// <param name="from">An earlier first day to cover too, for example the start of a report's period.</param>
    public static BillingQuery CreateQuery(DateTimeOffset now, DateOnly? from = null)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var start = new DateOnly(today.Year, today.Month, 1).AddMonths(-1);
        if (from is { } f && f < start)
        {
            start = f;
        }
        return new BillingQuery().Between(start, today).GroupBy(BillingGrouping.Accessor, BillingGrouping.LineItem, BillingGrouping.Tags);
    }

    /// <summary>A view without figures, saying why (shown as one line where the view would be).</summary>
    /// <param name="reason">Why, for example "billing isn't readable with this API key (403)".</param>
    /// <param name="now">The current time.</param>
    public static UsageCostView Unavailable(string reason, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return new UsageCostView(DateOnly.FromDateTime(now.UtcDateTime), reason);
    }

    /// <summary>Builds the view from a billing breakdown (any grouping; per-day resolution).</summary>
    /// <param name="breakdown">The breakdown, best from <see cref="CreateQuery"/>.</param>
    /// <param name="now">The current time: today and month to date are of its UTC date.</param>
    /// <param name="balances">The project's balances, or null.</param>
    /// <param name="names">Names of keys (shown for accessors in <see cref="ByKey"/>), or null.</param>
    /// <param name="trendDays">How many full days before today the projection's rate is taken from (1 to 31; default 7).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="trendDays"/> is out of range.</exception>
    public static UsageCostView Create(BillingBreakdown breakdown, DateTimeOffset now, IEnumerable<ProjectBalance>? balances = null, UsageNames? names = null, int trendDays = DefaultTrendDays)
    {
        ArgumentNullException.ThrowIfNull(breakdown);
        ArgumentOutOfRangeException.ThrowIfLessThan(trendDays, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(trendDays, 31);
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var rows = new List<(DateOnly Day, decimal Usd, string? Accessor, string? LineItem, IReadOnlyList<string>? Tags)>();
        foreach (var r in breakdown.Results)
        {
            var day = r.Grouping?.Start ?? breakdown.Start;
            if (day is { } d)
            {
                rows.Add((d, r.Dollars, Empty(r.Grouping?.Accessor), Empty(r.Grouping?.LineItem), r.Grouping?.Tags));
            }
        }
        var start = breakdown.Start ?? (rows.Count > 0 ? rows.Min(r => r.Day) : today);
        var end = breakdown.End ?? (rows.Count > 0 ? rows.Max(r => r.Day) : today);
        if (rows.Count > 0)
        {
            start = Min(start, rows.Min(r => r.Day));
            end = Max(end, rows.Max(r => r.Day));
        }
        var perDay = rows.GroupBy(r => r.Day).ToDictionary(g => g.Key, g => g.Sum(r => r.Usd));
        var daily = new List<KeyValuePair<DateOnly, decimal>>();
        for (var d = start; d <= end; d = d.AddDays(1))
        {
            daily.Add(new(d, perDay.GetValueOrDefault(d)));
        }

        var monthStart = new DateOnly(today.Year, today.Month, 1);
        var previousStart = monthStart.AddMonths(-1);
        var mtdRows = rows.Where(r => r.Day >= monthStart && r.Day <= today).ToList();
        var mtd = mtdRows.Sum(r => r.Usd);
        decimal? previous = start <= previousStart && end >= monthStart.AddDays(-1)
            ? rows.Where(r => r.Day >= previousStart && r.Day < monthStart).Sum(r => r.Usd)
            : null;

        // The trend: the last full days before today that the breakdown covers.
        var trend = daily.Where(kv => kv.Key < today && kv.Key >= today.AddDays(-trendDays)).Select(kv => kv.Value).ToList();
        decimal? projected = null, low = null, high = null;
        decimal rate = 0;
        string? note = null;
        if (trend.Count > 0)
        {
            rate = trend.Sum() / trend.Count;
            var fullDays = today.Day - 1;
            var fullMtd = rows.Where(r => r.Day >= monthStart && r.Day < today).Sum(r => r.Usd);
            var remaining = DateTime.DaysInMonth(today.Year, today.Month) - fullDays;
            projected = Math.Max(mtd, fullMtd + (rate * remaining));
            low = Math.Max(mtd, fullMtd + (trend.Min() * remaining));
            high = Math.Max(mtd, fullMtd + (trend.Max() * remaining));
            note = string.Create(CultureInfo.InvariantCulture,
                $"Projection: this month's {fullDays} full days ({UsageMoney.Format(fullMtd)}) + the mean of the last {trend.Count} full days ({UsageMoney.Format(rate)}/day) × {remaining} days left, today included; the range uses the lowest and highest of those days ({UsageMoney.Format(trend.Min())}–{UsageMoney.Format(trend.Max())}/day).");
        }

        return new UsageCostView(today, null, rows)
        {
            Start = start,
            End = end,
            Daily = daily,
            MonthToDate = mtd,
            PreviousMonth = previous,
            ByKey = Items(mtdRows.Where(r => r.Accessor is not null).Select(r => (r.Accessor, r.Usd)), k => names?.KeyName(k)),
            ByLineItem = Items(mtdRows.Where(r => r.LineItem is not null).Select(r => (r.LineItem, r.Usd)), null),
            ByTag = mtdRows.Any(r => r.Tags is not null)
                ? Items(mtdRows.Where(r => r.Tags is not null).SelectMany(r => r.Tags!.Count == 0 ? [(null, r.Usd)] : r.Tags.Distinct(StringComparer.Ordinal).Select(t => ((string?)t, r.Usd))), null)
                : [],
            Balances = balances?.ToList() ?? [],
            TrendDays = trend.Count,
            DailyRate = rate,
            ProjectedMonthEnd = projected,
            ProjectedLow = low,
            ProjectedHigh = high,
            ProjectionNote = note,
        };
    }

    /// <summary>True when the breakdown was grouped by line item, so <see cref="GetModelCosts"/> has figures.</summary>
    public bool HasLineItems => _rows.Any(r => r.LineItem is not null);

    /// <summary>Billed USD from <paramref name="start"/> to <paramref name="end"/> (both inclusive, UTC days).</summary>
    /// <param name="start">The first day.</param>
    /// <param name="end">The last day.</param>
    public decimal BilledBetween(DateOnly start, DateOnly end) => _rows.Where(r => r.Day >= start && r.Day <= end).Sum(r => r.Usd);

    /// <summary>True when the breakdown covers every day from <paramref name="start"/> to <paramref name="end"/>.</summary>
    /// <param name="start">The first day.</param>
    /// <param name="end">The last day.</param>
    public bool Covers(DateOnly start, DateOnly end) => IsAvailable && start >= Start && end <= End;

    /// <summary>
    /// Billed USD per model from <paramref name="start"/> to <paramref name="end"/>: each line item's cost goes to its
    /// model (<see cref="ModelOfLineItem"/>). Keys are model names as the line items spell them (<c>nova-3</c>).
    /// Empty when the breakdown was not grouped by line item.
    /// </summary>
    /// <param name="start">The first day.</param>
    /// <param name="end">The last day (inclusive).</param>
    public IReadOnlyDictionary<string, decimal> GetModelCosts(DateOnly start, DateOnly end)
    {
        var result = new Dictionary<string, decimal>(StringComparer.OrdinalIgnoreCase);
        foreach (var r in _rows)
        {
            if (r.LineItem is { } item && r.Day >= start && r.Day <= end)
            {
                var model = ModelOfLineItem(item);
                result[model] = result.GetValueOrDefault(model) + r.Usd;
            }
        }
        return result;
    }

    /// <summary>The model of a line item: the part after the last <c>::</c> (<c>streaming::nova-3</c> → <c>nova-3</c>), else the whole id.</summary>
    /// <param name="lineItem">A line item id.</param>
    public static string ModelOfLineItem(string lineItem)
    {
        ArgumentNullException.ThrowIfNull(lineItem);
        var cut = lineItem.LastIndexOf("::", StringComparison.Ordinal);
        return cut < 0 ? lineItem.Trim() : lineItem[(cut + 2)..].Trim();
    }

    /// <summary>
    /// Billed dollars next to the request logs' <c>usd</c> over a report's period: the whole UTC days from the day of
    /// <see cref="UsageReport.Start"/> to the day before <see cref="UsageReport.End"/>'s last tick. Null when the report
    /// is empty or this view does not cover those days.
    /// </summary>
    /// <param name="report">The report.</param>
    public UsageCostReconciliation? Reconcile(UsageReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.Start is not { } s || report.End is not { } e)
        {
            return null;
        }
        var start = DateOnly.FromDateTime(s.UtcDateTime);
        var end = DateOnly.FromDateTime(e.UtcDateTime.AddTicks(-1));
        return Covers(start, end) ? new UsageCostReconciliation(start, end, BilledBetween(start, end), report.Totals.BilledUsd) : null;
    }

    /// <summary>
    /// Writes the view as JSON, the object <see cref="UsageReport.WriteJson"/> writes as <c>cost_view</c>:
    /// <c>{"available", "today", "reason"?, "start", "end", "month_to_date", "previous_month", "projection": {"month_end",
    /// "low", "high", "daily_rate", "trend_days", "method"}, "balance_usd", "balances", "reconciliation", "daily",
    /// "by_key", "by_line_item", "by_tag"}</c>, USD as exact decimals.
    /// </summary>
    /// <param name="writer">The writer.</param>
    /// <param name="reconciliation">The reconciliation line to include (<see cref="Reconcile"/>), or null.</param>
    public void WriteJson(Utf8JsonWriter writer, UsageCostReconciliation? reconciliation = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ReportJson.CostView(writer, this, reconciliation);
    }

    /// <summary>The view as JSON (see <see cref="WriteJson"/>).</summary>
    /// <param name="reconciliation">The reconciliation line to include, or null.</param>
    /// <param name="indented">True for indented output.</param>
    public string ToJson(UsageCostReconciliation? reconciliation = null, bool indented = true)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = indented }))
        {
            WriteJson(writer, reconciliation);
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Month to date, the projection and the balance.</summary>
    public override string ToString() => IsAvailable
        ? string.Create(CultureInfo.InvariantCulture, $"UsageCostView {Today:yyyy-MM}: month to date {UsageMoney.Format(MonthToDate)}, projected {(ProjectedMonthEnd is { } p ? UsageMoney.Format(p) : "—")}")
        : $"UsageCostView: {UnavailableReason}";

    private static List<UsageCostItem> Items(IEnumerable<(string? Key, decimal Usd)> rows, Func<string, string?>? name)
        => rows.GroupBy(r => r.Key, StringComparer.Ordinal)
            .Select(g => new UsageCostItem(g.Key, g.Key is null ? "(none)" : name?.Invoke(g.Key) ?? g.Key, g.Sum(r => r.Usd)))
            .OrderByDescending(i => i.Usd)
            .ThenBy(i => i.Name, StringComparer.Ordinal)
            .ToList();

    private static string? Empty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;

    private static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;

    private static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;
}
