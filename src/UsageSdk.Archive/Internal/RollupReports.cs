using UsageSdk.Reports;
using UsageSdk.Reports.Internal;

namespace UsageSdk.Archive.Internal;

/// <summary>
/// Builds the report of a time range (and of its filtered part) from a store's roll-ups: the totals and groups from the
/// daily roll-ups of the whole days and the hourly ones of the other whole hours, the time series from the series
/// roll-ups (or, filtered, from the hourly ones), and the request logs of what roll-ups cannot say: the partial hours
/// at both ends of the range, and the requests without an outcome that are young enough to be pending or unknown.
/// The reports equal the ones built from the range's request logs, with one exception: with a price table, the billed
/// cost of requests that used several models is split among them in proportion to the estimate of each roll-up (the
/// hour's requests of one shape together) instead of each request.
/// </summary>
internal static class RollupReports
{
    private static readonly TimeSpan LostAfter = new RequestLogStateOptions().LostAfter;

    /// <summary>
    /// Builds the reports; <paramref name="shapeFilter"/> and <paramref name="requestFilter"/> are the same filter (null:
    /// none). With <paramref name="allSeries"/> false (only beside a filter, see
    /// <see cref="UsageArchive.GetRollupReportsAsync"/>), the report of all requests has no time series
    /// (<see cref="UsageReportBuilder.OmitTimeSeries"/>) and the series roll-ups of all shapes are not read.
    /// </summary>
    public static async Task<(UsageReport Filtered, UsageReport All, RollupRead Read)> BuildAsync(
        IRollupStore store, string projectId, DateTimeOffset start, DateTimeOffset end, DateTimeOffset now,
        Func<RollupShape, bool>? shapeFilter, Func<UsageRequest, bool>? requestFilter, UsageReportOptions options, bool allSeries, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var shapes = await store.GetShapesAsync(cancellationToken).ConfigureAwait(false);
            var all = new UsageReportBuilder(options);
            var filtered = shapeFilter is null ? null : new UsageReportBuilder(options);
            if (!allSeries)
            {
                all.OmitTimeSeries();
            }
            var plan = Plan(shapes, start, end, now, shapeFilter, all.TracksKeyDays, allSeries);
            var read = await store.ReadRollupsAsync(projectId, plan, now, cancellationToken).ConfigureAwait(false);
            if (!Known(read, shapes))
            {
                if (attempt == 0)
                {
                    continue; // a sync added shapes between the two reads: plan again with them
                }
                throw new InvalidOperationException("The archive's roll-ups name shapes the store does not know.");
            }
            var matching = plan.Matching is null ? null : plan.Matching as HashSet<long> ?? [.. plan.Matching];
            foreach (var (day, id, figures) in read.Totals)
            {
                var shape = shapes[id];
                all.AddRollupTotals(shape, figures);
                var matches = matching?.Contains(id) == true;
                if (matches)
                {
                    filtered!.AddRollupTotals(shape, figures);
                }
                if (day >= 0)
                {
                    all.AddRollupKeyDay(RollupTime.DayNumber(day), shape, figures);
                    if (matches)
                    {
                        filtered!.AddRollupKeyDay(RollupTime.DayNumber(day), shape, figures);
                    }
                }
            }
            foreach (var (hour, id, figures) in read.Series)
            {
                all.AddRollupSeries(RollupTime.HourTicks(hour), shapes[id], figures);
            }
            foreach (var (hour, id, figures) in read.MatchingSeries)
            {
                filtered!.AddRollupSeries(RollupTime.HourTicks(hour), shapes[id], figures);
            }
            if (read.Times is { } t)
            {
                all.AddRequestTimes(new DateTimeOffset(t.First, TimeSpan.Zero), new DateTimeOffset(t.Last, TimeSpan.Zero));
            }
            if (read.MatchingTimes is { } mt)
            {
                filtered!.AddRequestTimes(new DateTimeOffset(mt.First, TimeSpan.Zero), new DateTimeOffset(mt.Last, TimeSpan.Zero));
            }
            foreach (var r in read.Requests)
            {
                all.Add(r);
                if (filtered is not null && requestFilter!(r))
                {
                    filtered.Add(r);
                }
            }
            var allReport = all.Build();
            return (filtered?.Build() ?? allReport, allReport, read);
        }
    }

    /// <summary>What to read for <c>[start, end)</c> at <paramref name="now"/>.</summary>
    public static RollupPlan Plan(IReadOnlyDictionary<long, RollupShape> shapes, DateTimeOffset start, DateTimeOffset end, DateTimeOffset now, Func<RollupShape, bool>? shapeFilter, bool byDay, bool allSeries = true)
    {
        var firstHour = RollupTime.CeilingHour(start);
        var endHour = Math.Max(firstHour, RollupTime.Hour(end));
        var firstDay = -Floor(-firstHour, 24);
        var endDay = Math.Max(firstDay, Floor(endHour, 24));
        var open = new HashSet<long>();
        HashSet<long>? matching = shapeFilter is null ? null : [];
        foreach (var (id, shape) in shapes)
        {
            if (shape.Outcome == RollupOutcome.Open)
            {
                open.Add(id);
            }
            if (matching is not null && shapeFilter!(shape))
            {
                matching.Add(id);
            }
        }
        return new RollupPlan
        {
            Start = start,
            End = end,
            FirstHour = firstHour,
            EndHour = endHour,
            FirstDay = firstDay,
            EndDay = endDay,
            // Requests without an outcome are lost once LostAfter old; in the hours before this one, every one is.
            OpenFromHour = RollupTime.Hour(now - LostAfter),
            OpenShapes = open,
            Matching = matching,
            ShapeCount = shapes.Count,
            ByDay = byDay,
            AllSeries = allSeries,
        };
    }

    private static bool Known(RollupRead read, IReadOnlyDictionary<long, RollupShape> shapes)
        => read.Totals.All(t => shapes.ContainsKey(t.Shape)) && read.Series.All(s => shapes.ContainsKey(s.Series))
            && read.MatchingSeries.All(s => shapes.ContainsKey(s.Series));

    private static long Floor(long a, long b) => a >= 0 ? a / b : ((a + 1) / b) - 1;
}
