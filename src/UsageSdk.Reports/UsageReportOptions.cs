namespace UsageSdk.Reports;

/// <summary>
/// Settings of a <see cref="UsageReport"/>: the period shown, the price table for estimates and for splitting a
/// request's cost among its models, names of keys and models, spike detection and budgets. All optional; a report without options uses only what the requests carry.
/// </summary>
public sealed class UsageReportOptions
{
    /// <summary>
    /// Start of the period the time series cover (rounded down to the hour, UTC). When null, the series start at the
    /// first request. Requests before it are still counted, and the series extend to cover them.
    /// </summary>
    public DateTimeOffset? Start { get; set; }

    /// <summary>
    /// End of the period (exclusive, rounded up to the hour, UTC). When null, the series end after the last request.
    /// Requests after it are still counted, and the series extend to cover them.
    /// </summary>
    public DateTimeOffset? End { get; set; }

    /// <summary>
    /// Prices per model, used to <b>estimate</b> the cost of requests that carry no billed <c>usd</c>. Estimates go
    /// to <see cref="UsageFigures.EstimatedUsd"/> and are never added to <see cref="UsageFigures.BilledUsd"/>. The
    /// table also splits the billed <c>usd</c> of a request that used several models (a voice agent) among them, in
    /// proportion to what each part would cost (see <see cref="UsageReport.ByModel"/>); without it that cost cannot
    /// be split.
    /// </summary>
    public UsagePriceTable? Prices { get; set; }

    /// <summary>
    /// When true, a request whose <c>usd</c> is exactly 0 is treated like one without <c>usd</c> and gets an
    /// estimate from <see cref="Prices"/> (contract projects report 0). Its billed 0 is still counted as billed.
    /// Default false.
    /// </summary>
    public bool EstimateWhenUsdIsZero { get; set; }

    /// <summary>
    /// The spike factor k: an hour is a spike for a metric (requests, tokens, billed cost, estimated cost) when its
    /// value is above <c>median + k × σ̂</c> over every hour of the period (empty hours count as 0). σ̂ is
    /// 1.4826 × the upper MAD: the median of <c>value − median</c> over the hours at or above the median (the
    /// one-sided "double MAD", because usage is skewed: quiet nights must not hide a spike, and long jobs must not
    /// make every busy hour one). When that MAD is 0 (more than half of those hours equal the median), σ̂ is 1.2533 ×
    /// their mean deviation instead; when that is 0 too (every hour equal), nothing is a spike. Default 3.5.
    /// </summary>
    public decimal SpikeThreshold { get; set; } = 3.5m;

    /// <summary>The fewest hours the period must have before spikes are looked for (default 6).</summary>
    public int SpikeMinimumHours { get; set; } = 6;

    /// <summary>How many groups <see cref="UsageReport.TopApiKeys"/> and <see cref="UsageReport.TopModels"/> hold (default 5).</summary>
    public int TopCount { get; set; } = 5;

    /// <summary>Budgets to check; each breach is listed in <see cref="UsageReport.BudgetBreaches"/>.</summary>
    public IList<UsageBudget> Budgets { get; } = [];

    /// <summary>
    /// Names of API keys (by <c>api_key_id</c> or <c>accessor</c>; the key's <c>comment</c> in the API) and of models
    /// (by model id), shown instead of the ids wherever the report is rendered: <see cref="UsageReportGroup.Name"/>,
    /// the HTML page, JSON, the CLI's tables. Fill it from the API (the keys' comments, the models' names; for models
    /// also <see cref="UsageClient.GetFieldsAsync"/>), from a file (<see cref="UsageNames.Load"/>: <c>{"keys": {"id":
    /// "name"}, "models": {"uuid": "name"}}</c>) or by hand. Ids without a name are shown as the id. Model names also
    /// let price-table keys and <see cref="TokenDetail.Model"/> / <see cref="SpeechSegment.Model"/> (which carry names)
    /// match the model ids of <see cref="RequestDetails.Models"/>. Never null; copied by <see cref="Clone"/>.
    /// </summary>
    public UsageNames Names
    {
        get => _names;
        set => _names = value ?? throw new ArgumentNullException(nameof(value));
    }

    private UsageNames _names = new();

    /// <summary>
    /// The cost of each model over the report's period from a source other than the request logs, for example the
    /// billing breakdown's line items mapped to models. Keys are model ids or names (compared case-insensitively).
    /// Each value is shown beside its model as <see cref="UsageReportGroup.SuppliedUsd"/>; it is never mixed into
    /// <see cref="UsageFigures.BilledUsd"/> (the sum of the logs' <c>usd</c>). A model listed here without request logs
    /// in the period still gets a row. Empty by default.
    /// </summary>
    public IDictionary<string, decimal> ModelCosts { get; } = new Dictionary<string, decimal>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// When true, <see cref="ModelCosts"/> are what each model was <b>billed</b> (billing line items mapped to models):
    /// each model row's <see cref="UsageFigures.BilledUsd"/> is its <see cref="ModelCosts"/> value (0 for a model without
    /// one) in place of the request logs' <c>usd</c>, nothing is unsplit, and the billed column of the model table does
    /// not overlap: its rows add up to the sum of <see cref="ModelCosts"/>, which is <see cref="UsageReport.Totals"/>'
    /// billed cost when the invoice agrees with the logs (<see cref="UsageReport.Reconciliation"/> shows the
    /// difference). Set by <see cref="UseBilling"/>. Default false: <see cref="ModelCosts"/> are shown beside the rows.
    /// </summary>
    public bool ModelCostsAreBilled { get; set; }

    /// <summary>
    /// A cost view from the billing breakdown to show with the report (<see cref="UsageReport.CostView"/>, with a
    /// reconciliation line), or <see cref="UsageCostView.Unavailable"/> to say why there is none. Null by default.
    /// </summary>
    public UsageCostView? CostView { get; set; }

    /// <summary>
    /// Shows <paramref name="view"/> with the report and, when it has line items and covers the whole UTC days of
    /// <see cref="Start"/> to <see cref="End"/> (both must be set), takes the cost per model from them: fills
    /// <see cref="ModelCosts"/> with <see cref="UsageCostView.GetModelCosts"/> and sets <see cref="ModelCostsAreBilled"/>
    /// (not when a model's cost is negative, a credit no model can carry).
    /// </summary>
    /// <param name="view">The cost view (an unavailable one is shown as its reason).</param>
    /// <returns>This instance.</returns>
    public UsageReportOptions UseBilling(UsageCostView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        CostView = view;
        if (view.IsAvailable && view.HasLineItems && Start is { } s && End is { } e && e > s)
        {
            var first = DateOnly.FromDateTime(s.UtcDateTime);
            var last = DateOnly.FromDateTime(e.UtcDateTime.AddTicks(-1));
            var costs = view.GetModelCosts(first, last);
            // A credit line item (a negative amount) cannot be given to a model: the rows stay the logs' usd then.
            if (view.Covers(first, last) && costs.Values.All(v => v >= 0))
            {
                ModelCosts.Clear();
                foreach (var (model, usd) in costs)
                {
                    ModelCosts[model] = usd;
                }
                ModelCostsAreBilled = true;
            }
        }
        return this;
    }

    /// <summary>Returns a copy (the lists and dictionaries are copied too).</summary>
    public UsageReportOptions Clone()
    {
        var copy = new UsageReportOptions
        {
            Start = Start,
            End = End,
            Prices = Prices,
            EstimateWhenUsdIsZero = EstimateWhenUsdIsZero,
            SpikeThreshold = SpikeThreshold,
            SpikeMinimumHours = SpikeMinimumHours,
            TopCount = TopCount,
            ModelCostsAreBilled = ModelCostsAreBilled,
            CostView = CostView,
        };
        foreach (var b in Budgets)
        {
            copy.Budgets.Add(b);
        }
        copy.Names = Names.Clone();
        foreach (var (k, v) in ModelCosts)
        {
            copy.ModelCosts[k] = v;
        }
        return copy;
    }

    internal void Validate()
    {
        if (SpikeThreshold <= 0)
        {
            throw new ArgumentException($"SpikeThreshold must be greater than 0; got {SpikeThreshold}.", nameof(SpikeThreshold));
        }
        if (SpikeMinimumHours < 3)
        {
            throw new ArgumentException($"SpikeMinimumHours must be at least 3; got {SpikeMinimumHours}.", nameof(SpikeMinimumHours));
        }
        if (TopCount < 1)
        {
            throw new ArgumentException($"TopCount must be at least 1; got {TopCount}.", nameof(TopCount));
        }
        if (Start is { } s && End is { } e && e <= s)
        {
            throw new ArgumentException($"End ({e:O}) must be after Start ({s:O}).", nameof(End));
        }
        foreach (var b in Budgets)
        {
            ArgumentNullException.ThrowIfNull(b, nameof(Budgets));
            b.Validate();
        }
        foreach (var (model, usd) in ModelCosts)
        {
            if (string.IsNullOrWhiteSpace(model))
            {
                throw new ArgumentException("A model of ModelCosts is empty.", nameof(ModelCosts));
            }
            if (usd < 0)
            {
                throw new ArgumentException($"ModelCosts['{model}'] must be zero or more; got {usd}.", nameof(ModelCosts));
            }
        }
    }
}
