using System.Globalization;
using Microsoft.AspNetCore.Http;
using UsageSdk.Reports;

namespace UsageSdk.Dashboard.Internal;

/// <summary>A bad URL parameter: the page answers 400 with this message.</summary>
internal sealed class DashboardInputException(string message) : Exception(message);

/// <summary>How the time charts and the "over time" table are bucketed.</summary>
internal enum Resolution
{
    Hour,
    Day,
}

/// <summary>A sort of one table: the column and the direction.</summary>
internal readonly record struct TableSort(string Column, bool Descending)
{
    public static readonly string[] Columns = ["name", "requests", "tokens", "tokens_in", "tokens_out", "billed", "estimated", "error_rate"];

    public static TableSort Default => new("requests", true);

    public IEnumerable<UsageReportGroup> Apply(IEnumerable<UsageReportGroup> groups)
    {
        Func<UsageReportGroup, decimal> metric = Column switch
        {
            "tokens" => g => g.Figures.TokensTotal,
            "tokens_in" => g => g.Figures.TokensIn,
            "tokens_out" => g => g.Figures.TokensOut,
            "billed" => g => g.Figures.BilledUsd,
            "estimated" => g => g.Figures.EstimatedUsd,
            "error_rate" => g => (decimal)g.Figures.ErrorRate,
            _ => g => g.Figures.Requests,
        };
        if (Column == "name")
        {
            return Descending
                ? groups.OrderByDescending(g => g.Name, StringComparer.OrdinalIgnoreCase).ThenByDescending(g => g.Key, StringComparer.Ordinal)
                : groups.OrderBy(g => g.Name, StringComparer.OrdinalIgnoreCase).ThenBy(g => g.Key, StringComparer.Ordinal);
        }
        // Ties by name, so the order is stable whatever the direction.
        return (Descending ? groups.OrderByDescending(metric) : groups.OrderBy(metric)).ThenBy(g => g.Name, StringComparer.OrdinalIgnoreCase).ThenBy(g => g.Key, StringComparer.Ordinal);
    }
}

/// <summary>
/// The state of one view, read from the URL (so a view can be shared): <c>project</c>, <c>range</c>
/// (today|7d|30d|month|lastmonth|custom), <c>from</c>/<c>to</c> (custom, yyyy-MM-dd, both included), the filters
/// <c>key</c>, <c>model</c>, <c>tag</c>, <c>method</c>, <c>endpoint</c>, <c>deployment</c> (repeatable), and the table
/// sorts <c>ksort</c>/<c>kdir</c> (API keys) and <c>msort</c>/<c>mdir</c> (models).
/// </summary>
internal sealed class DashboardView
{
    public static readonly (UsageReportDimension Dimension, string Param, string Label)[] FilterParams =
    [
        (UsageReportDimension.ApiKey, "key", "API key"),
        (UsageReportDimension.Model, "model", "Model"),
        (UsageReportDimension.Tag, "tag", "Tag"),
        (UsageReportDimension.Method, "method", "Method"),
        (UsageReportDimension.Endpoint, "endpoint", "Endpoint"),
        (UsageReportDimension.Deployment, "deployment", "Deployment"),
    ];

    public static readonly (UsageDashboardRange Range, string Param, string Label)[] Presets =
    [
        (UsageDashboardRange.Today, "today", "Today"),
        (UsageDashboardRange.Last7Days, "7d", "7 days"),
        (UsageDashboardRange.Last30Days, "30d", "30 days"),
        (UsageDashboardRange.ThisMonth, "month", "This month"),
        (UsageDashboardRange.LastMonth, "lastmonth", "Last month"),
        (UsageDashboardRange.Custom, "custom", "Custom"),
    ];

    private const int MaxFilterValues = 20;
    private const int MaxValueLength = 200;

    public required string ProjectId { get; init; }
    public required UsageDashboardRange Range { get; init; }
    public required DateOnly FromDay { get; init; }
    public required DateOnly ToDay { get; init; }
    public required DateTimeOffset Now { get; init; }
    public required UsageDashboardFilters Filters { get; init; }
    public required TableSort KeySort { get; init; }
    public required TableSort ModelSort { get; init; }
    public required Resolution Resolution { get; init; }

    /// <summary>Start of the range (inclusive): 00:00 UTC of <see cref="FromDay"/>.</summary>
    public DateTimeOffset Start => new(FromDay.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    /// <summary>End of the range (exclusive): 00:00 UTC after <see cref="ToDay"/>.</summary>
    public DateTimeOffset End => new(ToDay.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    public int Days => ToDay.DayNumber - FromDay.DayNumber + 1;

    public static string RangeParam(UsageDashboardRange range) => Presets.First(p => p.Range == range).Param;

    /// <summary>Reads the view from the URL; <paramref name="projects"/> gives the default and the allowed project ids.</summary>
    public static DashboardView Parse(IQueryCollection query, UsageDashboardOptions options, IReadOnlyList<UsageDashboardProject> projects)
    {
        var now = options.TimeProvider.GetUtcNow().ToUniversalTime();
        var today = DateOnly.FromDateTime(now.UtcDateTime);

        var project = Single(query, "project");
        if (project is null)
        {
            project = projects[0].ProjectId;
        }
        else if (!projects.Any(p => string.Equals(p.ProjectId, project, StringComparison.OrdinalIgnoreCase)))
        {
            throw new DashboardInputException($"project '{project}' is not one of this dashboard's projects ({string.Join(", ", projects.Select(p => p.ProjectId))}).");
        }
        else
        {
            project = projects.First(p => string.Equals(p.ProjectId, project, StringComparison.OrdinalIgnoreCase)).ProjectId;
        }

        var rangeText = Single(query, "range");
        UsageDashboardRange range;
        if (rangeText is null)
        {
            range = Single(query, "from") is not null || Single(query, "to") is not null ? UsageDashboardRange.Custom : options.DefaultRange;
        }
        else
        {
            var preset = Presets.FirstOrDefault(p => string.Equals(p.Param, rangeText, StringComparison.OrdinalIgnoreCase));
            if (preset.Param is null)
            {
                throw new DashboardInputException($"range '{rangeText}' is not a range; use today, 7d, 30d, month, lastmonth or custom (with from and to).");
            }
            range = preset.Range;
        }

        DateOnly from, to;
        switch (range)
        {
            case UsageDashboardRange.Today:
                (from, to) = (today, today);
                break;
            case UsageDashboardRange.Last7Days:
                (from, to) = (today.AddDays(-6), today);
                break;
            case UsageDashboardRange.Last30Days:
                (from, to) = (today.AddDays(-29), today);
                break;
            case UsageDashboardRange.ThisMonth:
                from = new DateOnly(today.Year, today.Month, 1);
                to = from.AddMonths(1).AddDays(-1);
                break;
            case UsageDashboardRange.LastMonth:
                from = new DateOnly(today.Year, today.Month, 1).AddMonths(-1);
                to = from.AddMonths(1).AddDays(-1);
                break;
            default:
                var f = Day(query, "from");
                var t = Day(query, "to");
                if (f is null && t is null)
                {
                    throw new DashboardInputException("range=custom needs from and to (yyyy-MM-dd, both included), for example from=2025-01-01&to=2025-01-31.");
                }
                from = f ?? t!.Value;
                to = t ?? f!.Value;
                if (to < from)
                {
                    throw new DashboardInputException($"to ({to:yyyy-MM-dd}) is before from ({from:yyyy-MM-dd}).");
                }
                if (to.DayNumber - from.DayNumber + 1 > options.MaxRangeDays)
                {
                    throw new DashboardInputException($"The range from {from:yyyy-MM-dd} to {to:yyyy-MM-dd} is {to.DayNumber - from.DayNumber + 1} days; this dashboard shows at most {options.MaxRangeDays}.");
                }
                break;
        }

        var filters = new UsageDashboardFilters();
        foreach (var (dimension, param, _) in FilterParams)
        {
            var values = query[param];
            if (values.Count > MaxFilterValues)
            {
                throw new DashboardInputException($"{param} is given {values.Count} times; at most {MaxFilterValues}.");
            }
            var list = filters.For(dimension);
            foreach (var v in values)
            {
                var value = v?.Trim();
                if (string.IsNullOrEmpty(value))
                {
                    continue; // "any" in the filter form
                }
                if (value.Length > MaxValueLength)
                {
                    throw new DashboardInputException($"{param} is longer than {MaxValueLength} characters.");
                }
                if (!list.Contains(value))
                {
                    list.Add(value);
                }
            }
        }

        var days = to.DayNumber - from.DayNumber + 1;
        return new DashboardView
        {
            ProjectId = project,
            Range = range,
            FromDay = from,
            ToDay = to,
            Now = now,
            Filters = filters,
            KeySort = Sort(query, "ksort", "kdir"),
            ModelSort = Sort(query, "msort", "mdir"),
            Resolution = days <= options.MaxHourlyDays ? Resolution.Hour : Resolution.Day,
        };
    }

    /// <summary>The URL query of this view with some parameters replaced (null values remove them).</summary>
    public string QueryString(params (string Key, string? Value)[] changes)
    {
        var pairs = new List<KeyValuePair<string, string>> { new("project", ProjectId), new("range", RangeParam(Range)) };
        if (Range == UsageDashboardRange.Custom)
        {
            pairs.Add(new("from", FromDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
            pairs.Add(new("to", ToDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        }
        foreach (var (dimension, param, _) in FilterParams)
        {
            foreach (var v in Filters.For(dimension))
            {
                pairs.Add(new(param, v));
            }
        }
        if (KeySort != TableSort.Default)
        {
            pairs.Add(new("ksort", KeySort.Column));
            pairs.Add(new("kdir", KeySort.Descending ? "desc" : "asc"));
        }
        if (ModelSort != TableSort.Default)
        {
            pairs.Add(new("msort", ModelSort.Column));
            pairs.Add(new("mdir", ModelSort.Descending ? "desc" : "asc"));
        }
        foreach (var (key, value) in changes)
        {
            pairs.RemoveAll(p => p.Key == key);
            if (value is not null)
            {
                pairs.Add(new(key, value));
            }
        }
        return QueryString(pairs);
    }

    public static string QueryString(IEnumerable<KeyValuePair<string, string>> pairs)
        => "?" + string.Join("&", pairs.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));

    private static string? Single(IQueryCollection query, string name)
    {
        var values = query[name];
        if (values.Count > 1)
        {
            throw new DashboardInputException($"{name} is given {values.Count} times; give it once.");
        }
        var v = values.Count == 1 ? values[0]?.Trim() : null;
        return string.IsNullOrEmpty(v) ? null : v;
    }

    private static DateOnly? Day(IQueryCollection query, string name)
    {
        var text = Single(query, name);
        if (text is null)
        {
            return null;
        }
        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) && d.Year >= 2000
            ? d
            : throw new DashboardInputException($"{name} '{text}' is not a day; use yyyy-MM-dd, for example 2025-01-31.");
    }

    private static TableSort Sort(IQueryCollection query, string sortName, string dirName)
    {
        var column = Single(query, sortName)?.ToLowerInvariant();
        var dir = Single(query, dirName)?.ToLowerInvariant();
        if (column is not null && !TableSort.Columns.Contains(column))
        {
            throw new DashboardInputException($"{sortName} '{column}' is not a column; use {string.Join(", ", TableSort.Columns)}.");
        }
        if (dir is not null and not ("asc" or "desc"))
        {
            throw new DashboardInputException($"{dirName} '{dir}' is not a direction; use asc or desc.");
        }
        column ??= "requests";
        return new TableSort(column, dir is null ? column != "name" : dir == "desc");
    }
}
