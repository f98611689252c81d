using UsageSdk.Reports.Internal;

namespace UsageSdk.Archive.Internal;

/// <summary>
/// The changes one commit makes to a project's roll-ups, summed in memory so each roll-up row is written once per
/// commit: per (hour, shape) for <c>usage_rollups</c>, per (day, shape) for <c>usage_rollups_daily</c> and per (hour,
/// series shape) for <c>usage_rollups_series</c>. Hours and days count from 1970-01-01 UTC. Hourly changes only add
/// (an hour that loses requests is rebuilt: <see cref="RemoveHour"/>); daily and series changes may subtract.
/// </summary>
internal sealed class RollupBatch
{
    public Dictionary<(long Hour, RollupShape Shape), RollupFigures> Hours { get; } = [];

    public Dictionary<(long Day, RollupShape Shape), RollupFigures> Days { get; } = [];

    public Dictionary<(long Hour, RollupShape Series), RollupFigures> Series { get; } = [];

    /// <summary>Hours whose hourly rows are deleted and written again from the stored request logs.</summary>
    public HashSet<long> RebuiltHours { get; } = [];

    public int Count => Hours.Count + Days.Count + Series.Count;

    /// <summary>Adds one request log.</summary>
    public void Add(UsageRequest request)
    {
        var shape = RollupShape.Of(request, out var figures);
        Add(RollupTime.Hour(figures.First), shape, figures);
    }

    /// <summary>Adds the figures of one hour and shape to all three tables.</summary>
    public void Add(long hour, RollupShape shape, RollupFigures figures)
    {
        Sum(Hours, (hour, shape), figures, 1);
        Sum(Days, (RollupTime.DayOfHour(hour), shape), figures, 1);
        Sum(Series, (hour, shape.Series), figures, 1);
    }

    /// <summary>Takes a stored hourly row out of the daily and series sums (its hour is then written again).</summary>
    public void RemoveHour(long hour, RollupShape shape, RollupFigures figures)
    {
        Sum(Days, (RollupTime.DayOfHour(hour), shape), figures, -1);
        Sum(Series, (hour, shape.Series), figures, -1);
    }

    public void Clear()
    {
        Hours.Clear();
        Days.Clear();
        Series.Clear();
        RebuiltHours.Clear();
    }

    private static void Sum<TKey>(Dictionary<TKey, RollupFigures> map, TKey key, RollupFigures figures, int sign) where TKey : notnull
    {
        if (map.TryGetValue(key, out var sum))
        {
            sum.Add(figures, sign);
        }
        else if (sign > 0)
        {
            map[key] = figures.Copy();
        }
        else
        {
            var negative = new RollupFigures();
            negative.Add(figures, sign);
            map[key] = negative;
        }
    }
}
