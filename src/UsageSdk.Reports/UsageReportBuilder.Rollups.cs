using UsageSdk.Reports.Internal;

namespace UsageSdk.Reports;

/// <summary>
/// Roll-ups (the archive's hourly and daily sums per <see cref="RollupShape"/>): a roll-up adds to a report what its
/// requests add one by one. The reader may add the totals and groups of a range from one set of rows and its time series
/// from another (coarser shapes per hour), so the three parts are separate; <see cref="AddRollup"/> adds all three.
/// </summary>
public sealed partial class UsageReportBuilder
{
    /// <summary>Adds a roll-up of one hour to everything: totals, groups, time series and per-key days.</summary>
    internal void AddRollup(long hourTicks, RollupShape shape, RollupFigures figures)
    {
        AddRollupTotals(shape, figures);
        AddRollupSeries(hourTicks, shape, figures);
        AddRollupKeyDay(Floor(hourTicks, TicksPerDay), shape, figures);
        if (figures.First <= figures.Last)
        {
            AddRequestTimes(Time(figures.First), Time(figures.Last));
        }
    }

    /// <summary>Adds a roll-up's figures to the totals and the groups (not to the time series).</summary>
    internal void AddRollupTotals(RollupShape shape, RollupFigures figures)
    {
        var facts = FactsOf(shape, figures);
        _totals.Add(facts);
        var key = shape.ApiKeyId ?? shape.Accessor;
        Group(UsageReportDimension.ApiKey).Get(NullIfEmpty(key)).Add(facts);
        AddToModels(shape.Models, new RollupParts(shape, figures), facts);
        if (AddToEach(UsageReportDimension.Tag, shape.Tags, facts) > 1)
        {
            _tagsOverlap = true;
        }
        Group(UsageReportDimension.Method).GetLowered(NullIfEmpty(shape.Method)).Add(facts);
        var endpoints = Group(UsageReportDimension.Endpoint);
        (shape.Endpoint is { } e ? endpoints.Get(e) : endpoints.Get(null)).Add(facts);
        Group(UsageReportDimension.Deployment).GetLowered(NullIfEmpty(shape.Deployment)).Add(facts);
    }

    /// <summary>
    /// Adds a roll-up's figures to the hour starting at <paramref name="hourTicks"/> (UTC ticks), its day and its hour of
    /// the day; the shape may be a <see cref="RollupShape.Series"/> shape (only what the figures depend on).
    /// </summary>
    internal void AddRollupSeries(long hourTicks, RollupShape shape, RollupFigures figures)
    {
        var facts = FactsOf(shape, figures);
        var hour = Floor(hourTicks, TicksPerHour);
        var day = Floor(hourTicks, TicksPerDay);
        Bucket(_hours, hour).Add(facts);
        Bucket(_days, day).Add(facts);
        _hourOfDay[(int)(hour - (day * 24))].Add(facts);
        Extend(ref _minHour, ref _maxHour, hour);
        Extend(ref _minDay, ref _maxDay, day);
    }

    /// <summary>
    /// Makes <see cref="Build"/> leave out the time series: no hourly, daily or hour-of-day buckets, so no spikes or
    /// budget breaches either, and the report's start and end are the options'. For a report read only for its totals
    /// and groups (the unfiltered report of a filtered dashboard view), which then needs no series roll-ups.
    /// </summary>
    internal void OmitTimeSeries() => _withoutTimeSeries = true;

    /// <summary>True when the report checks a daily budget per key, which needs <see cref="AddRollupKeyDay"/>.</summary>
    internal bool TracksKeyDays => _trackKeyDays;

    /// <summary>Adds a roll-up's figures to its key's day (for daily budgets per key); <paramref name="day"/> counts days from 0001-01-01.</summary>
    internal void AddRollupKeyDay(long day, RollupShape shape, RollupFigures figures)
    {
        if (_trackKeyDays)
        {
            Bucket(_keyDays!, (NullIfEmpty(shape.ApiKeyId ?? shape.Accessor), day)).Add(FactsOf(shape, figures));
        }
    }

    /// <summary>Widens the times of the first and last request (roll-ups carry them apart from their figures).</summary>
    internal void AddRequestTimes(DateTimeOffset first, DateTimeOffset last)
    {
        if (_first is null || first < _first)
        {
            _first = first;
        }
        if (_last is null || last > _last)
        {
            _last = last;
        }
    }

    /// <summary>
    /// The facts of a roll-up: what its requests add up to. Its requests share everything the price table reads but
    /// the quantities, and every price is per unit, so the estimate of the sums is the sum of the estimates. An open
    /// outcome is counted as lost: the reader gives requests that may still be pending or unknown one by one.
    /// </summary>
    private RequestFacts FactsOf(RollupShape shape, RollupFigures f)
    {
        decimal? usd = shape.Usd == RollupUsd.None ? null : f.Usd;
        decimal? estimate = null;
        if ((usd is null || (shape.Usd == RollupUsd.Zero && _options.EstimateWhenUsdIsZero)) && _options.Prices is { } prices)
        {
            estimate = prices.Estimate(shape.Models, new RollupParts(shape, f), f.AudioMicros / 1_000_000d, _options.Names);
        }
        return new RequestFacts
        {
            Requests = f.Requests,
            TokensIn = f.TokensIn,
            TokensOut = f.TokensOut,
            HasTokens = shape.TokenModels.Length > 0,
            AudioSeconds = f.AudioMicros / 1_000_000d,
            AudioMicros = f.AudioMicros,
            TtsCharacters = f.TtsCharacters,
            Usd = usd,
            Estimate = estimate,
            State = shape.Outcome switch
            {
                RollupOutcome.Error => RequestLogState.Error,
                RollupOutcome.Success => RequestLogState.Success,
                _ => RequestLogState.Lost,
            },
        };
    }
}
