using System.Collections.Immutable;
using System.Globalization;
using UsageSdk.Internal;

namespace UsageSdk;

/// <summary>
/// Filters of <c>/usage</c> (summary) and <c>/usage/breakdown</c>. Immutable: every <c>With*</c> returns a new query and
/// the original never changes, so one query can be shared and extended safely. Multi-valued filters called again
/// <b>add</b> values (duplicates dropped, order kept) and go out as repeated keys (<c>tag=dev&amp;tag=prod</c>);
/// <see cref="Between"/>, <see cref="GroupBy"/> and a feature's value <b>replace</b>.
/// </summary>
public sealed class UsageQuery
{
    private static readonly ImmutableList<string> None = ImmutableList<string>.Empty;

    /// <summary>An empty query: all usage the API returns by default.</summary>
    public UsageQuery() { }

    private UsageQuery(UsageQuery o)
    {
        Start = o.Start;
        End = o.End;
        Accessors = o.Accessors;
        Tags = o.Tags;
        Methods = o.Methods;
        Models = o.Models;
        Deployments = o.Deployments;
        Endpoints = o.Endpoints;
        Features = o.Features;
        Grouping = o.Grouping;
        Parameters = o.Parameters;
    }

    /// <summary>First day (UTC), sent as <c>start=YYYY-MM-DD</c>.</summary>
    public DateOnly? Start { get; private init; }

    /// <summary>Last day (UTC), sent as <c>end=YYYY-MM-DD</c>.</summary>
    public DateOnly? End { get; private init; }

    /// <summary>API-key accessors (<c>accessor</c>, repeated).</summary>
    public IReadOnlyList<string> Accessors { get; private init; } = None;

    /// <summary>Tags (<c>tag</c>, repeated).</summary>
    public IReadOnlyList<string> Tags { get; private init; } = None;

    /// <summary>Processing methods (<c>method</c>, repeated).</summary>
    public IReadOnlyList<ProcessingMethod> Methods { get; private init; } = ImmutableList<ProcessingMethod>.Empty;

    /// <summary>Model UUIDs (<c>model</c>, repeated).</summary>
    public IReadOnlyList<string> Models { get; private init; } = None;

    /// <summary>Deployments (<c>deployment</c>, repeated).</summary>
    public IReadOnlyList<Deployment> Deployments { get; private init; } = ImmutableList<Deployment>.Empty;

    /// <summary>Endpoints (<c>endpoint</c>, repeated).</summary>
    public IReadOnlyList<Endpoint> Endpoints { get; private init; } = ImmutableList<Endpoint>.Empty;

    /// <summary>Feature filters in the order set: <c>true</c> includes requests that used the feature (several are ORed), <c>false</c> excludes them (ANDed).</summary>
    public IReadOnlyList<KeyValuePair<UsageFeature, bool>> Features { get; private init; } = ImmutableList<KeyValuePair<UsageFeature, bool>>.Empty;

    /// <summary>The breakdown grouping (<c>grouping</c>); used by <see cref="UsageClient.GetBreakdownAsync"/> only.</summary>
    public UsageGrouping? Grouping { get; private init; }

    /// <summary>Extra query parameters sent as is (the API treats unknown names as feature filters).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Parameters { get; private init; } = ImmutableList<KeyValuePair<string, string>>.Empty;

    /// <summary>Limits the usage to the days from <paramref name="start"/> to <paramref name="end"/> (UTC, inclusive). Replaces earlier dates.</summary>
    /// <param name="start">The first day.</param>
    /// <param name="end">The last day.</param>
    /// <exception cref="ArgumentException"><paramref name="end"/> is before <paramref name="start"/>.</exception>
    public UsageQuery Between(DateOnly start, DateOnly end)
    {
        if (end < start)
        {
            throw new ArgumentException($"The end ({end:yyyy-MM-dd}) is before the start ({start:yyyy-MM-dd}); pass the earlier day first.", nameof(end));
        }
        return new(this) { Start = start, End = end };
    }

    /// <summary>Sets only the first day (the API's default end is today). Replaces an earlier start.</summary>
    /// <param name="start">The first day.</param>
    public UsageQuery From(DateOnly start)
    {
        if (End is { } e && e < start)
        {
            throw new ArgumentException($"The start ({start:yyyy-MM-dd}) is after the end ({e:yyyy-MM-dd}).", nameof(start));
        }
        return new(this) { Start = start };
    }

    /// <summary>Sets only the last day (the API's default start is the first request). Replaces an earlier end.</summary>
    /// <param name="end">The last day.</param>
    public UsageQuery Until(DateOnly end)
    {
        if (Start is { } s && end < s)
        {
            throw new ArgumentException($"The end ({end:yyyy-MM-dd}) is before the start ({s:yyyy-MM-dd}).", nameof(end));
        }
        return new(this) { End = end };
    }

    /// <summary>Adds API-key accessors.</summary>
    /// <param name="accessors">Accessor ids; none may be empty.</param>
    public UsageQuery WithAccessors(params IEnumerable<string> accessors) => new(this) { Accessors = QueryValues.Add(Accessors, accessors, nameof(accessors)) };

    /// <summary>Adds tags.</summary>
    /// <param name="tags">Tags; none may be empty.</param>
    public UsageQuery WithTags(params IEnumerable<string> tags) => new(this) { Tags = QueryValues.Add(Tags, tags, nameof(tags)) };

    /// <summary>Adds processing methods.</summary>
    /// <param name="methods">Methods.</param>
    public UsageQuery WithMethods(params IEnumerable<ProcessingMethod> methods) => new(this) { Methods = QueryValues.Add(Methods, methods, nameof(methods)) };

    /// <summary>Adds model UUIDs (see <see cref="UsageFields.Models"/> for the ids).</summary>
    /// <param name="models">Model ids; none may be empty.</param>
    public UsageQuery WithModels(params IEnumerable<string> models) => new(this) { Models = QueryValues.Add(Models, models, nameof(models)) };

    /// <summary>Adds deployments.</summary>
    /// <param name="deployments">Deployments.</param>
    public UsageQuery WithDeployments(params IEnumerable<Deployment> deployments) => new(this) { Deployments = QueryValues.Add(Deployments, deployments, nameof(deployments)) };

    /// <summary>Adds endpoints.</summary>
    /// <param name="endpoints">Endpoints.</param>
    public UsageQuery WithEndpoints(params IEnumerable<Endpoint> endpoints) => new(this) { Endpoints = QueryValues.Add(Endpoints, endpoints, nameof(endpoints)) };

    /// <summary>Filters on a feature: <c>true</c> (default) keeps requests that used it, <c>false</c> drops them. Replaces an earlier value for the same feature.</summary>
    /// <param name="feature">The feature.</param>
    /// <param name="value">Whether the feature was used.</param>
    public UsageQuery WithFeature(UsageFeature feature, bool value = true)
    {
        if (string.IsNullOrEmpty(feature.ToString()))
        {
            throw new ArgumentException("The feature is empty; use a UsageFeature value such as UsageFeature.Diarize.", nameof(feature));
        }
        var list = (ImmutableList<KeyValuePair<UsageFeature, bool>>)Features;
        var i = list.FindIndex(p => p.Key == feature);
        var pair = new KeyValuePair<UsageFeature, bool>(feature, value);
        return new(this) { Features = i >= 0 ? list.SetItem(i, pair) : list.Add(pair) };
    }

    /// <summary>Excludes requests that used a feature (<c>feature=false</c>).</summary>
    /// <param name="feature">The feature.</param>
    public UsageQuery WithoutFeature(UsageFeature feature) => WithFeature(feature, false);

    /// <summary>Groups the breakdown. Replaces an earlier grouping.</summary>
    /// <param name="grouping">The grouping.</param>
    public UsageQuery GroupBy(UsageGrouping grouping)
    {
        if (string.IsNullOrEmpty(grouping.ToString()))
        {
            throw new ArgumentException("The grouping is empty; use a UsageGrouping value such as UsageGrouping.Models.", nameof(grouping));
        }
        return new(this) { Grouping = grouping };
    }

    /// <summary>
    /// Adds a raw query parameter (escape hatch for filters this version does not know), sent after the feature
    /// filters; called again with the same name, it adds a repeated key. The value is URL-encoded. <c>start</c> and
    /// <c>end</c> are refused (use <see cref="Between"/>).
    /// </summary>
    /// <param name="name">The parameter name: letters, digits, <c>_</c>, <c>-</c> or <c>.</c>.</param>
    /// <param name="value">The value.</param>
    /// <exception cref="ArgumentException">The name is empty, has other characters, or is <c>start</c> or <c>end</c>.</exception>
    public UsageQuery WithParameter(string name, string value) => new(this) { Parameters = QueryValues.AddParameter(Parameters, name, value, Reserved) };

    private static ReadOnlySpan<(string Name, string Instead)> Reserved =>
        new[] { ("start", "Between or From"), ("end", "Between or Until") };

    // The query as IUsageApi's parameters (Refit writes them in the interface's order, leaving out nulls).
    internal string? StartParameter => FormatDate(Start);
    internal string? EndParameter => FormatDate(End);
    internal IEnumerable<string>? AccessorParameter => QueryValues.Strings(Accessors);
    internal IEnumerable<string>? TagParameter => QueryValues.Strings(Tags);
    internal IEnumerable<string>? ModelParameter => QueryValues.Strings(Models);
    internal IEnumerable<string>? MethodParameter => QueryValues.Strings(Methods);
    internal IEnumerable<string>? DeploymentParameter => QueryValues.Strings(Deployments);
    internal IEnumerable<string>? EndpointParameter => QueryValues.Strings(Endpoints);

    /// <summary>The feature filters, then the raw parameters, in order (null when there are none).</summary>
    internal IReadOnlyList<KeyValuePair<string, string>>? ExtraParameters()
        => Features.Count == 0 && Parameters.Count == 0
            ? null
            : [.. Features.Select(static f => new KeyValuePair<string, string>(f.Key.ToString(), f.Value ? "true" : "false")), .. Parameters];

    internal static string? FormatDate(DateOnly? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Describes the query (for logs).</summary>
    public override string ToString() => $"UsageQuery {{ Start = {FormatDate(Start)}, End = {FormatDate(End)}, Accessors = {Accessors.Count}, Tags = [{string.Join(", ", Tags)}], Methods = [{string.Join(", ", Methods)}], Models = {Models.Count}, Features = {Features.Count}, Grouping = {Grouping} }}";
}
