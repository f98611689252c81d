using System.Runtime.CompilerServices;
namespace UsageSdk.Reports;

/// <summary>
/// Builds a <see cref="UsageReport"/> one request at a time, from any source (the API, an archive, a file). Memory
/// grows with the number of groups and hours, never with the number of requests: each request is folded into running
/// sums and dropped. Not thread-safe. <see cref="Build"/> can be called more than once (each report is a snapshot).
/// </summary>
public sealed partial class UsageReportBuilder
{
    private const long TicksPerHour = TimeSpan.TicksPerHour;
    private const long TicksPerDay = TimeSpan.TicksPerDay;

    private readonly UsageReportOptions _options;
    private readonly FiguresAccumulator _totals = new();
    private readonly GroupMap[] _groups; // indexed by UsageReportDimension
    private readonly Dictionary<long, FiguresAccumulator> _hours = [];
    private readonly Dictionary<long, FiguresAccumulator> _days = [];
    private readonly FiguresAccumulator[] _hourOfDay = new FiguresAccumulator[24];
    private readonly Dictionary<(string? Key, long Day), FiguresAccumulator>? _keyDays;
    private readonly bool _trackKeyDays;
    private UsageReportSource _source = UsageReportSource.Requests;
    private long _lastHour, _lastDay;
    private FiguresAccumulator? _lastHourBucket, _lastDayBucket;
    private long? _minHour, _maxHour, _minDay, _maxDay;
    private DateTimeOffset? _first, _last;
    private bool _withoutTimeSeries;

    /// <summary>Creates a builder.</summary>
    /// <param name="options">The options (copied); null for the defaults.</param>
    /// <exception cref="ArgumentException">The options are invalid (the message names the setting).</exception>
    public UsageReportBuilder(UsageReportOptions? options = null)
    {
        _options = options?.Clone() ?? new UsageReportOptions();
        _options.Validate();
        var dimensions = Enum.GetValues<UsageReportDimension>();
        _groups = new GroupMap[dimensions.Max(d => (int)d) + 1];
        foreach (var d in dimensions)
        {
            _groups[(int)d] = new GroupMap(d, d == UsageReportDimension.Tag ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase);
        }
        for (var h = 0; h < 24; h++)
        {
            _hourOfDay[h] = new FiguresAccumulator();
        }
        _trackKeyDays = _options.Budgets.Any(b => b.AppliesPerKey && b.Period == UsageBudgetPeriod.Day);
        if (_trackKeyDays)
        {
            _keyDays = [];
        }
    }

    /// <summary>How many requests were added (for a breakdown: how many requests its results count).</summary>
    public long Count => _totals.Requests;

    /// <summary>Adds one request log.</summary>
    /// <param name="request">The request log.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(UsageRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var details = request.Response?.Details;
        var facts = RequestFacts.From(request, _options);
        _totals.Add(facts);

        var key = request.ApiKeyId ?? request.Accessor;
        Group(UsageReportDimension.ApiKey).Get(NullIfEmpty(key)).Add(facts);
        AddToModels(request, facts);
        if (AddToEach(UsageReportDimension.Tag, details?.Tags, facts) > 1)
        {
            _tagsOverlap = true;
        }
        Group(UsageReportDimension.Method).GetLowered(NullIfEmpty(details?.Method?.ToString())).Add(facts);
        Group(UsageReportDimension.Endpoint).GetEndpoint(request.Path).Add(facts);
        Group(UsageReportDimension.Deployment).GetLowered(NullIfEmpty(request.Deployment?.ToString())).Add(facts);

        var ticks = request.Created.UtcTicks;
        var hour = Floor(ticks, TicksPerHour);
        var day = Floor(ticks, TicksPerDay);
        // Logs come in time order, so most fall in the hour and day of the one before.
        if (hour != _lastHour || _lastHourBucket is null)
        {
            _lastHour = hour;
            _lastHourBucket = Bucket(_hours, hour);
        }
        if (day != _lastDay || _lastDayBucket is null)
        {
            _lastDay = day;
            _lastDayBucket = Bucket(_days, day);
        }
        _lastHourBucket.Add(facts);
        _lastDayBucket.Add(facts);
        _hourOfDay[(int)(hour - day * 24)].Add(facts);
        if (_trackKeyDays)
        {
            Bucket(_keyDays!, (NullIfEmpty(key), day)).Add(facts);
        }
        Extend(ref _minHour, ref _maxHour, hour);
        Extend(ref _minDay, ref _maxDay, day);
        if (_first is null || request.Created < _first)
        {
            _first = request.Created;
        }
        if (_last is null || request.Created > _last)
        {
            _last = request.Created;
        }
    }

    /// <summary>Adds request logs.</summary>
    /// <param name="requests">The request logs.</param>
    public void AddRange(IEnumerable<UsageRequest> requests)
    {
        ArgumentNullException.ThrowIfNull(requests);
        foreach (var r in requests)
        {
            Add(r);
        }
    }

    /// <summary>Adds request logs as they stream in (one pass, nothing kept per request).</summary>
    /// <param name="requests">The request logs, for example <c>client.GetRequestsAsync(p, q)</c>.</param>
    /// <param name="cancellationToken">Stops the enumeration.</param>
    public async Task AddRangeAsync(IAsyncEnumerable<UsageRequest> requests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        await foreach (var r in requests.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            cancellationToken.ThrowIfCancellationRequested(); // also when the source ignores the token
            Add(r);
        }
    }

    /// <summary>
    /// Adds the results of a usage breakdown: requests, tokens, audio hours (<c>total_hours</c>) and TTS characters per
    /// day, grouped by whatever the breakdown was grouped by. The report then has no hourly series and no log states.
    /// </summary>
    /// <param name="breakdown">The breakdown.</param>
    public void AddBreakdown(UsageBreakdown breakdown)
    {
        ArgumentNullException.ThrowIfNull(breakdown);
        _source = UsageReportSource.Breakdown;
        var results = breakdown.Results;
        var byAccessor = results.Any(r => r.Grouping?.Accessor is not null);
        var byModels = results.Any(r => r.Grouping is { } g && g.Models.Count > 0);
        var byTags = results.Any(r => r.Grouping?.Tags is not null);
        var byMethod = results.Any(r => r.Grouping?.Method is not null);
        var byEndpoint = results.Any(r => r.Grouping?.Endpoint is not null);
        var byDeployment = results.Any(r => r.Grouping?.Deployment is not null);
        var fallbackDay = breakdown.Start ?? breakdown.End;
        foreach (var r in results)
        {
            var g = r.Grouping;
            var facts = RequestFacts.From(r, _options);
            _totals.Add(facts);
            if (byAccessor)
            {
                Group(UsageReportDimension.ApiKey).Get(NullIfEmpty(g?.Accessor)).Add(facts);
            }
            if (byModels && AddToEach(UsageReportDimension.Model, g?.Models.Where(m => !string.IsNullOrEmpty(m)).Select(m => m!).ToList(), facts) > 1)
            {
                _modelBreakdownOverlaps = true; // a breakdown row of several models cannot be split
            }
            if (byTags && AddToEach(UsageReportDimension.Tag, g?.Tags, facts) > 1)
            {
                _tagsOverlap = true;
            }
            if (byMethod)
            {
                Group(UsageReportDimension.Method).GetLowered(NullIfEmpty(g?.Method)).Add(facts);
            }
            if (byEndpoint)
            {
                Group(UsageReportDimension.Endpoint).GetLowered(NullIfEmpty(g?.Endpoint)).Add(facts);
            }
            if (byDeployment)
            {
                Group(UsageReportDimension.Deployment).GetLowered(NullIfEmpty(g?.Deployment)).Add(facts);
            }
            if ((g?.Start ?? fallbackDay) is { } date)
            {
                var day = (long)date.DayNumber; // DateOnly.DayNumber counts days from 0001-01-01, as DateTime ticks do
                Bucket(_days, day).Add(facts);
                Extend(ref _minDay, ref _maxDay, day);
                if (_trackKeyDays)
                {
                    Bucket(_keyDays!, (NullIfEmpty(g?.Accessor), day)).Add(facts);
                }
            }
        }
        if (breakdown.Start is { } s)
        {
            Extend(ref _minDay, ref _maxDay, s.DayNumber);
        }
        if (breakdown.End is { } e)
        {
            Extend(ref _minDay, ref _maxDay, e.DayNumber);
        }
    }

    /// <summary>Builds the report from what was added so far.</summary>
    public UsageReport Build()
    {
        var options = _options;
        long? firstHour = _minHour, lastHour = _maxHour, firstDay = _minDay, lastDay = _maxDay;
        if (_source == UsageReportSource.Requests)
        {
            if (options.Start is { } s)
            {
                var h = Floor(s.UtcTicks, TicksPerHour);
                Extend(ref firstHour, ref lastHour, h);
                Extend(ref firstDay, ref lastDay, Floor(s.UtcTicks, TicksPerDay));
            }
            if (options.End is { } e)
            {
                var h = Ceiling(e.UtcTicks, TicksPerHour) - 1;
                if (firstHour is null || h >= firstHour)
                {
                    Extend(ref firstHour, ref lastHour, h);
                    Extend(ref firstDay, ref lastDay, Floor(h * TicksPerHour, TicksPerDay));
                }
            }
        }

        if (_withoutTimeSeries)
        {
            firstHour = lastHour = firstDay = lastDay = null; // the report of totals and groups only (OmitTimeSeries)
        }
        var hourly = new List<UsageTimeBucket>();
        if (firstHour is { } fh && lastHour is { } lh)
        {
            for (var h = fh; h <= lh; h++)
            {
                hourly.Add(new UsageTimeBucket(Time(h * TicksPerHour), Time((h + 1) * TicksPerHour), Figures(_hours, h)));
            }
        }
        var daily = new List<UsageTimeBucket>();
        if (firstDay is { } fd && lastDay is { } ld)
        {
            for (var d = fd; d <= ld; d++)
            {
                daily.Add(new UsageTimeBucket(Time(d * TicksPerDay), Time((d + 1) * TicksPerDay), Figures(_days, d)));
            }
        }
        var hourOfDay = _source == UsageReportSource.Requests && !_withoutTimeSeries ? _hourOfDay.Select(a => new UsageFigures(a)).ToList() : [];

        var groups = new Dictionary<UsageReportDimension, IReadOnlyList<UsageReportGroup>>();
        foreach (var map in _groups)
        {
            if (map is null)
            {
                continue;
            }
            var dimension = map.Dimension;
            var entries = map.Entries().ToList();
            if (dimension == UsageReportDimension.Model)
            {
                AddSuppliedOnlyModels(entries);
            }
            var billedByModel = dimension == UsageReportDimension.Model && _options.ModelCostsAreBilled;
            groups[dimension] = entries
                .Select(kv => BilledFromSupplied(kv, billedByModel))
                .Select(kv => new UsageReportGroup(dimension, kv.Key, NameOf(dimension, kv.Key), new UsageFigures(kv.Value),
                    kv.Value.UnsplitUsd, dimension == UsageReportDimension.Model ? SuppliedCost(kv.Key) : null))
                .OrderByDescending(g => g.Figures.Requests)
                .ThenBy(g => g.Key is null ? 1 : 0)
                .ThenBy(g => g.Name, StringComparer.Ordinal)
                .ToList();
        }

        var (baselines, spikes) = Spikes.Find(hourly, options);
        DateTimeOffset? start = hourly.Count > 0 ? hourly[0].Start : daily.Count > 0 ? daily[0].Start : _withoutTimeSeries ? options.Start : null;
        DateTimeOffset? end = hourly.Count > 0 ? hourly[^1].End : daily.Count > 0 ? daily[^1].End : _withoutTimeSeries ? options.End : null;
        var breaches = _withoutTimeSeries ? [] : Budgets.Check(options.Budgets, daily, groups[UsageReportDimension.ApiKey], _keyDays);

        return new UsageReport(
            _source, start, end, _first, _last, new UsageFigures(_totals), groups, hourly, daily, hourOfDay,
            baselines, spikes, breaches, options.SpikeThreshold, options.TopCount, options.Prices?.Source)
        {
            Names = options.Names.Clone(),
            UnsplitModelUsd = _options.ModelCostsAreBilled ? 0 : _unsplitModelUsd,
            UnsplitModelRequests = _options.ModelCostsAreBilled ? 0 : _unsplitModelRequests,
            Overlaps = OverlappingMetrics(),
            ModelCostsAreBilled = _options.ModelCostsAreBilled,
            CostView = _options.CostView,
        };
    }

    /// <summary>With <see cref="UsageReportOptions.ModelCostsAreBilled"/>: a copy of a model's sums whose billed cost is its supplied cost.</summary>
    private KeyValuePair<string?, FiguresAccumulator> BilledFromSupplied(KeyValuePair<string?, FiguresAccumulator> kv, bool billedByModel)
    {
        if (!billedByModel)
        {
            return kv;
        }
        var copy = kv.Value.Copy();
        copy.BilledUsd = SuppliedCost(kv.Key) ?? 0m;
        copy.UnsplitUsd = 0;
        return new(kv.Key, copy);
    }

    private GroupMap Group(UsageReportDimension dimension) => _groups[(int)dimension];

    private string NameOf(UsageReportDimension dimension, string? key)
    {
        if (key is null)
        {
            return "(none)";
        }
        var name = dimension switch
        {
            UsageReportDimension.Model => _options.Names.ModelName(key),
            UsageReportDimension.ApiKey => _options.Names.KeyName(key),
            _ => null,
        };
        return name ?? key;
    }

    /// <summary>What overlaps in each dimension of this report (see <see cref="UsageReport.GetOverlappingMetrics"/>).</summary>
    private Dictionary<UsageReportDimension, IReadOnlyList<UsageReportMetric>> OverlappingMetrics()
    {
        var all = Enum.GetValues<UsageReportMetric>();
        var result = new Dictionary<UsageReportDimension, IReadOnlyList<UsageReportMetric>>();
        if (_tagsOverlap)
        {
            result[UsageReportDimension.Tag] = all;
        }
        if (_modelBreakdownOverlaps)
        {
            result[UsageReportDimension.Model] = all;
        }
        else if (_modelRequestsOverlap)
        {
            var list = new List<UsageReportMetric> { UsageReportMetric.Requests };
            if (_unsplitModelUsd != 0 && !_options.ModelCostsAreBilled)
            {
                list.Add(UsageReportMetric.BilledUsd);
            }
            if (_modelErrorsOverlap)
            {
                list.Add(UsageReportMetric.Errors);
            }
            result[UsageReportDimension.Model] = list;
        }
        return result;
    }

    /// <summary>The cost of a model from <see cref="UsageReportOptions.ModelCosts"/>, by id or by name.</summary>
    private decimal? SuppliedCost(string? key)
    {
        if (key is null || _options.ModelCosts.Count == 0)
        {
            return null;
        }
        if (_options.ModelCosts.TryGetValue(key, out var usd))
        {
            return usd;
        }
        foreach (var name in _options.Names.ModelNamesOf(key))
        {
            if (_options.ModelCosts.TryGetValue(name, out usd))
            {
                return usd;
            }
        }
        return null;
    }

    /// <summary>Rows for the models of <see cref="UsageReportOptions.ModelCosts"/> that no request used.</summary>
    private void AddSuppliedOnlyModels(List<KeyValuePair<string?, FiguresAccumulator>> entries)
    {
        foreach (var model in _options.ModelCosts.Keys)
        {
            var id = ModelIdByName().TryGetValue(model, out var known) ? known : model;
            var present = entries.Any(e => e.Key is not null
                && (string.Equals(e.Key, id, StringComparison.OrdinalIgnoreCase) || string.Equals(e.Key, model, StringComparison.OrdinalIgnoreCase)
                    || _options.Names.IsModelName(e.Key, model)));
            if (!present)
            {
                entries.Add(new(id, new FiguresAccumulator()));
            }
        }
    }

    /// <summary>Adds to the group of each distinct value; returns how many groups that was.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int AddToEach(UsageReportDimension dimension, IReadOnlyList<string>? values, in RequestFacts facts)
    {
        var map = Group(dimension);
        if (values is null || values.Count == 0)
        {
            map.Get(null).Add(facts);
            return 1;
        }
        var added = 0;
        // A value listed twice on one request counts once.
        for (var i = 0; i < values.Count; i++)
        {
            var v = NullIfEmpty(values[i]);
            var seen = false;
            for (var j = 0; j < i && !seen; j++)
            {
                seen = map.Comparer.Equals(NullIfEmpty(values[j]) ?? "", v ?? "");
            }
            if (!seen)
            {
                map.Get(v).Add(facts);
                added++;
            }
        }
        return added;
    }

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    private static long Floor(long ticks, long unit) => ticks >= 0 ? ticks / unit : ((ticks + 1) / unit) - 1;

    private static long Ceiling(long ticks, long unit) => -Floor(-ticks, unit);

    private static DateTimeOffset Time(long ticks) => new(ticks, TimeSpan.Zero);

    private static void Extend(ref long? min, ref long? max, long value)
    {
        if (min is null || value < min)
        {
            min = value;
        }
        if (max is null || value > max)
        {
            max = value;
        }
    }

    private static FiguresAccumulator Bucket<TKey>(Dictionary<TKey, FiguresAccumulator> map, TKey key) where TKey : notnull
    {
        if (!map.TryGetValue(key, out var acc))
        {
            acc = new FiguresAccumulator();
            map[key] = acc;
        }
        return acc;
    }

    private static readonly FiguresAccumulator Empty = new();

    private static UsageFigures Figures(Dictionary<long, FiguresAccumulator> map, long key)
        => new(map.TryGetValue(key, out var acc) ? acc : Empty);

    /// <summary>
    /// Groups of one dimension, with a separate slot for requests that have no value. The values of a listing come from
    /// the parser's string caches, so the same instance repeats from log to log: a small cache keyed by reference answers
    /// most lookups before the case-insensitive map is asked.
    /// </summary>
    private sealed class GroupMap(UsageReportDimension dimension, StringComparer comparer)
    {
        private const int MaxCachedInstances = 1024;
        private readonly Dictionary<string, FiguresAccumulator> _map = new(comparer);
        private readonly Dictionary<string, FiguresAccumulator> _byInstance = new(ReferenceEqualityComparer.Instance);
        private FiguresAccumulator? _none;

        public UsageReportDimension Dimension { get; } = dimension;

        public StringComparer Comparer { get; } = comparer;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public FiguresAccumulator Get(string? key) => key is null ? _none ??= new FiguresAccumulator() : Cached(key, lower: false);

        /// <summary>The group of a value kept in lower case (method, endpoint, deployment).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public FiguresAccumulator GetLowered(string? key) => key is null ? _none ??= new FiguresAccumulator() : Cached(key, lower: true);

        /// <summary>The group of the endpoint a request path names (<see cref="Endpoint.FromPath"/>).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public FiguresAccumulator GetEndpoint(string? path)
            => Endpoint.FromPath(path) is { } endpoint ? Cached(endpoint.ToString(), lower: false) : _none ??= new FiguresAccumulator();

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private FiguresAccumulator Cached(string key, bool lower)
        {
            if (_byInstance.TryGetValue(key, out var acc))
            {
                return acc;
            }
            acc = Bucket(_map, lower ? key.ToLowerInvariant() : key);
            if (_byInstance.Count >= MaxCachedInstances)
            {
                _byInstance.Clear(); // values that do not repeat: keep the cache bounded
            }
            _byInstance[key] = acc;
            return acc;
        }

        public IEnumerable<KeyValuePair<string?, FiguresAccumulator>> Entries()
        {
            foreach (var (k, v) in _map)
            {
                yield return new(k, v);
            }
            if (_none is not null)
            {
                yield return new(null, _none);
            }
        }
    }
}
