using UsageSdk.Reports;
using UsageSdk.Reports.Internal;

namespace UsageSdk.Dashboard;

/// <summary>
/// The filters of a dashboard view (URL parameters <c>key</c>, <c>model</c>, <c>tag</c>, <c>method</c>,
/// <c>endpoint</c>, <c>deployment</c>). Several values of one filter mean any of them; different filters must all
/// match. Values are the group keys of <see cref="UsageReport"/>: an API key is <c>api_key_id</c> (else the
/// accessor), an endpoint is read from the path (<c>listen</c>, <c>read</c>, <c>speak</c>, <c>agent</c>).
/// </summary>
public sealed class UsageDashboardFilters
{
    /// <summary>API key ids (or accessors); compared ignoring case.</summary>
    public IList<string> ApiKeys { get; } = [];

    /// <summary>Model ids (or names, as the request logs carry them); compared ignoring case.</summary>
    public IList<string> Models { get; } = [];

    /// <summary>Tags; compared exactly (as <see cref="UsageReport.ByTag"/> groups them).</summary>
    public IList<string> Tags { get; } = [];

    /// <summary>Processing methods (<c>sync</c>, <c>async</c>, <c>streaming</c>); compared ignoring case.</summary>
    public IList<string> Methods { get; } = [];

    /// <summary>Endpoints (<c>listen</c>, <c>read</c>, <c>speak</c>, <c>agent</c>); compared ignoring case.</summary>
    public IList<string> Endpoints { get; } = [];

    /// <summary>Deployments (<c>hosted</c>, <c>beta</c>, <c>self-hosted</c>); compared ignoring case.</summary>
    public IList<string> Deployments { get; } = [];

    /// <summary>True when no filter is set.</summary>
    public bool IsEmpty => ApiKeys.Count == 0 && Models.Count == 0 && Tags.Count == 0 && Methods.Count == 0 && Endpoints.Count == 0 && Deployments.Count == 0;

    /// <summary>The values of one dimension's filter.</summary>
    /// <param name="dimension">The dimension.</param>
    public IList<string> For(UsageReportDimension dimension) => dimension switch
    {
        UsageReportDimension.ApiKey => ApiKeys,
        UsageReportDimension.Model => Models,
        UsageReportDimension.Tag => Tags,
        UsageReportDimension.Method => Methods,
        UsageReportDimension.Endpoint => Endpoints,
        UsageReportDimension.Deployment => Deployments,
        _ => throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "Unknown dimension."),
    };

    /// <summary>Whether a request log passes every filter (grouped the way <see cref="UsageReportBuilder"/> groups it).</summary>
    /// <param name="request">The request log.</param>
    public bool Matches(UsageRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var details = request.Response?.Details;
        return (ApiKeys.Count == 0 || Any(ApiKeys, NullIfEmpty(request.ApiKeyId) ?? request.Accessor, StringComparison.OrdinalIgnoreCase))
            && (Models.Count == 0 || AnyOf(Models, details?.Models, StringComparison.OrdinalIgnoreCase))
            && (Tags.Count == 0 || AnyOf(Tags, details?.Tags, StringComparison.Ordinal))
            && (Methods.Count == 0 || Any(Methods, details?.Method?.ToString(), StringComparison.OrdinalIgnoreCase))
            && (Endpoints.Count == 0 || Any(Endpoints, Endpoint.FromPath(request.Path)?.ToString(), StringComparison.OrdinalIgnoreCase))
            && (Deployments.Count == 0 || Any(Deployments, request.Deployment?.ToString(), StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Whether the requests of an archive roll-up pass every filter: the rules of <see cref="Matches(UsageRequest)"/> on the values it keeps.</summary>
    internal bool Matches(RollupShape shape)
        => (ApiKeys.Count == 0 || Any(ApiKeys, NullIfEmpty(shape.ApiKeyId) ?? shape.Accessor, StringComparison.OrdinalIgnoreCase))
            && (Models.Count == 0 || AnyOf(Models, shape.Models, StringComparison.OrdinalIgnoreCase))
            && (Tags.Count == 0 || AnyOf(Tags, shape.Tags, StringComparison.Ordinal))
            && (Methods.Count == 0 || Any(Methods, shape.Method, StringComparison.OrdinalIgnoreCase))
            && (Endpoints.Count == 0 || Any(Endpoints, shape.Endpoint, StringComparison.OrdinalIgnoreCase))
            && (Deployments.Count == 0 || Any(Deployments, shape.Deployment, StringComparison.OrdinalIgnoreCase));

    /// <summary>A copy.</summary>
    public UsageDashboardFilters Clone()
    {
        var copy = new UsageDashboardFilters();
        foreach (var d in Enum.GetValues<UsageReportDimension>())
        {
            foreach (var v in For(d))
            {
                copy.For(d).Add(v);
            }
        }
        return copy;
    }

    /// <summary>The filters as <c>key=value</c> pairs (for logs and the page).</summary>
    public override string ToString()
        => IsEmpty ? "no filters" : string.Join(", ", Enum.GetValues<UsageReportDimension>().Where(d => For(d).Count > 0).Select(d => $"{d}: {string.Join(" or ", For(d))}"));

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    private static bool Any(IList<string> wanted, string? value, StringComparison comparison)
    {
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }
        foreach (var w in wanted)
        {
            if (string.Equals(w, value, comparison))
            {
                return true;
            }
        }
        return false;
    }

    private static bool AnyOf(IList<string> wanted, IReadOnlyList<string>? values, StringComparison comparison)
    {
        if (values is null)
        {
            return false;
        }
        foreach (var v in values)
        {
            if (Any(wanted, v, comparison))
            {
                return true;
            }
        }
        return false;
    }
}
