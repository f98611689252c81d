using System.Collections.Immutable;
using UsageSdk.Internal;

namespace UsageSdk;

/// <summary>
/// Filters and grouping of <c>/billing/breakdown</c>. Immutable: every method returns a new query and the original
/// never changes. The endpoint takes one value per filter, so <see cref="WithAccessor"/>, <see cref="WithDeployment"/>,
/// <see cref="WithTag"/> and <see cref="WithLineItem"/> <b>replace</b> an earlier value, as do <see cref="Between"/> and
/// <see cref="GroupBy"/>. Only the grouping carries several values, sent as repeated keys
/// (<c>grouping=accessor&amp;grouping=line_item</c>).
/// </summary>
public sealed class BillingQuery
{
    /// <summary>An empty query: the whole billing the API returns by default, per day.</summary>
    public BillingQuery() { }

    private BillingQuery(BillingQuery o)
    {
        Start = o.Start;
        End = o.End;
        Accessor = o.Accessor;
        Deployment = o.Deployment;
        Tag = o.Tag;
        LineItem = o.LineItem;
        Grouping = o.Grouping;
        Parameters = o.Parameters;
    }

    /// <summary>First day (UTC), sent as <c>start=YYYY-MM-DD</c>.</summary>
    public DateOnly? Start { get; private init; }

    /// <summary>Last day (UTC), sent as <c>end=YYYY-MM-DD</c>.</summary>
    public DateOnly? End { get; private init; }

    /// <summary>API-key accessor filter (<c>accessor</c>).</summary>
    public string? Accessor { get; private init; }

    /// <summary>Deployment filter (<c>deployment</c>; sent as its raw spelling, so <c>dedicated</c> goes out too).</summary>
    public Deployment? Deployment { get; private init; }

    /// <summary>Tag filter (<c>tag</c>).</summary>
    public string? Tag { get; private init; }

    /// <summary>Line item filter (<c>line_item</c>, for example <c>streaming::nova-3</c>; see <see cref="BillingFields.LineItems"/>).</summary>
    public string? LineItem { get; private init; }

    /// <summary>The dimensions to group by (<c>grouping</c>, one key each), in the order given.</summary>
    public IReadOnlyList<BillingGrouping> Grouping { get; private init; } = ImmutableList<BillingGrouping>.Empty;

    /// <summary>Extra query parameters sent as is, after the others.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Parameters { get; private init; } = ImmutableList<KeyValuePair<string, string>>.Empty;

    /// <summary>Limits the billing to the days from <paramref name="start"/> to <paramref name="end"/> (UTC). Replaces earlier dates.</summary>
    /// <param name="start">The first day.</param>
    /// <param name="end">The last day.</param>
    /// <exception cref="ArgumentException"><paramref name="end"/> is before <paramref name="start"/>.</exception>
    public BillingQuery Between(DateOnly start, DateOnly end)
    {
        if (end < start)
        {
            throw new ArgumentException($"The end ({end:yyyy-MM-dd}) is before the start ({start:yyyy-MM-dd}); pass the earlier day first.", nameof(end));
        }
        return new(this) { Start = start, End = end };
    }

    /// <summary>Sets only the first day. Replaces an earlier start.</summary>
    /// <param name="start">The first day.</param>
    /// <exception cref="ArgumentException">The query's end is before <paramref name="start"/>.</exception>
    public BillingQuery From(DateOnly start)
    {
        if (End is { } e && e < start)
        {
            throw new ArgumentException($"The start ({start:yyyy-MM-dd}) is after the end ({e:yyyy-MM-dd}).", nameof(start));
        }
        return new(this) { Start = start };
    }

    /// <summary>Sets only the last day. Replaces an earlier end.</summary>
    /// <param name="end">The last day.</param>
    /// <exception cref="ArgumentException"><paramref name="end"/> is before the query's start.</exception>
    public BillingQuery Until(DateOnly end)
    {
        if (Start is { } s && end < s)
        {
            throw new ArgumentException($"The end ({end:yyyy-MM-dd}) is before the start ({s:yyyy-MM-dd}).", nameof(end));
        }
        return new(this) { End = end };
    }

    /// <summary>Keeps only the cost of one API-key accessor. Replaces an earlier accessor.</summary>
    /// <param name="accessor">The accessor id.</param>
    /// <exception cref="ArgumentException">The accessor is empty or has control characters.</exception>
    public BillingQuery WithAccessor(string accessor) => new(this) { Accessor = QueryValues.CheckSingle(accessor, nameof(accessor)) };

    /// <summary>Keeps only the cost of one deployment. Replaces an earlier deployment.</summary>
    /// <param name="deployment">The deployment.</param>
    /// <exception cref="ArgumentException">The deployment is empty.</exception>
    public BillingQuery WithDeployment(Deployment deployment)
    {
        if (string.IsNullOrEmpty(deployment.ToString()))
        {
            throw new ArgumentException("The deployment is empty; use a Deployment value such as Deployment.Hosted.", nameof(deployment));
        }
        return new(this) { Deployment = deployment };
    }

    /// <summary>Keeps only the cost of requests with one tag. Replaces an earlier tag.</summary>
    /// <param name="tag">The tag.</param>
    /// <exception cref="ArgumentException">The tag is empty or has control characters.</exception>
    public BillingQuery WithTag(string tag) => new(this) { Tag = QueryValues.CheckSingle(tag, nameof(tag)) };

    /// <summary>Keeps only one line item (for example <c>streaming::nova-3</c>). Replaces an earlier line item.</summary>
    /// <param name="lineItem">The line item id.</param>
    /// <exception cref="ArgumentException">The line item is empty or has control characters.</exception>
    public BillingQuery WithLineItem(string lineItem) => new(this) { LineItem = QueryValues.CheckSingle(lineItem, nameof(lineItem)) };

    /// <summary>
    /// Groups the breakdown by one or more dimensions, each sent as its own <c>grouping</c> key in the order given
    /// (duplicates dropped). Replaces an earlier grouping.
    /// </summary>
    /// <param name="groupings">The dimensions; at least one.</param>
    /// <exception cref="ArgumentException">None is given, or one is empty.</exception>
    public BillingQuery GroupBy(params IEnumerable<BillingGrouping> groupings)
    {
        ArgumentNullException.ThrowIfNull(groupings);
        var list = QueryValues.Add(ImmutableList<BillingGrouping>.Empty, groupings, nameof(groupings));
        if (list.Count == 0)
        {
            throw new ArgumentException("Pass at least one grouping, for example BillingGrouping.LineItem (or use a query without GroupBy for per-day totals).", nameof(groupings));
        }
        return new(this) { Grouping = list };
    }

    /// <summary>
    /// Adds a raw query parameter (escape hatch for filters this version does not know), sent after the others; called
    /// again with the same name, it adds a repeated key. The value is URL-encoded. <c>start</c> and <c>end</c> are
    /// refused (use <see cref="Between"/>).
    /// </summary>
    /// <param name="name">The parameter name: letters, digits, <c>_</c>, <c>-</c> or <c>.</c>.</param>
    /// <param name="value">The value.</param>
    /// <exception cref="ArgumentException">The name is empty, has other characters, or is <c>start</c> or <c>end</c>.</exception>
    public BillingQuery WithParameter(string name, string value) => new(this) { Parameters = QueryValues.AddParameter(Parameters, name, value, Reserved) };

    private static ReadOnlySpan<(string Name, string Instead)> Reserved =>
        new[] { ("start", "Between or From"), ("end", "Between or Until") };

    // The query as IUsageApi's parameters (Refit writes them in the interface's order, leaving out nulls).
    internal string? StartParameter => UsageQuery.FormatDate(Start);
    internal string? EndParameter => UsageQuery.FormatDate(End);
    internal string? DeploymentParameter => Deployment?.ToString();
    internal IEnumerable<string>? GroupingParameter => QueryValues.Strings(Grouping);

    /// <summary>The raw parameters, in order (null when there are none).</summary>
    internal IReadOnlyList<KeyValuePair<string, string>>? ExtraParameters() => Parameters.Count == 0 ? null : Parameters;

    /// <summary>Describes the query (for logs).</summary>
    public override string ToString() => $"BillingQuery {{ Start = {UsageQuery.FormatDate(Start)}, End = {UsageQuery.FormatDate(End)}, Accessor = {Accessor}, Deployment = {Deployment}, Tag = {Tag}, LineItem = {LineItem}, Grouping = [{string.Join(", ", Grouping)}] }}";
}
