using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using UsageSdk.Internal;

namespace UsageSdk;

/// <summary>
/// Filters of <c>/requests</c> (request logs). Immutable: every <c>With*</c> returns a new query and the original never
/// changes. The endpoint takes one value per filter, so these replace earlier values. Dates are sent with their offset
/// (<c>2025-01-31T12:00:00%2B02:00</c>), never truncated to a day.
/// </summary>
public sealed class RequestsQuery
{
    /// <summary>The largest page the API serves (and the pager's default).</summary>
    public const int MaxPageSize = 1000;

    /// <summary>An empty query: every request log the API keeps (90 days), newest first.</summary>
    public RequestsQuery() { }

    private RequestsQuery(RequestsQuery o)
    {
        Start = o.Start;
        End = o.End;
        Status = o.Status;
        PageSize = o.PageSize;
        Accessors = o.Accessors;
        RequestId = o.RequestId;
        Deployment = o.Deployment;
        Endpoint = o.Endpoint;
        Method = o.Method;
        Parameters = o.Parameters;
        Prefetch = o.Prefetch;
    }

    /// <summary>The earliest creation time (<c>start</c>).</summary>
    public DateTimeOffset? Start { get; private init; }

    /// <summary>The latest creation time (<c>end</c>). When left open, the pager pins it to the time of its first call.</summary>
    public DateTimeOffset? End { get; private init; }

    /// <summary>Outcome filter (<c>status</c>).</summary>
    public RequestStatus? Status { get; private init; }

    /// <summary>Items per API call (<c>limit</c>), 1 to 1000; the pager uses 1000 when not set.</summary>
    public int? PageSize { get; private init; }

    /// <summary>API-key accessor filter (<c>accessor</c>): the accessor when exactly one is set, otherwise null (see <see cref="Accessors"/>).</summary>
    public string? Accessor => Accessors.Count == 1 ? Accessors[0] : null;

    /// <summary>
    /// The API-key accessors to list (<see cref="WithAccessor"/>, <see cref="WithAccessors"/>). The endpoint filters on
    /// one, so with several the pager runs one listing per accessor and merges them (see <see cref="WithAccessors"/>).
    /// </summary>
    public IReadOnlyList<string> Accessors { get; private init; } = ImmutableList<string>.Empty;

    /// <summary>Request id filter (<c>request_id</c>).</summary>
    public string? RequestId { get; private init; }

    /// <summary>Deployment filter (<c>deployment</c>).</summary>
    public Deployment? Deployment { get; private init; }

    /// <summary>Endpoint filter (<c>endpoint</c>).</summary>
    public Endpoint? Endpoint { get; private init; }

    /// <summary>Processing method filter (<c>method</c>).</summary>
    public ProcessingMethod? Method { get; private init; }

    /// <summary>Extra query parameters sent as is.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Parameters { get; private init; } = ImmutableList<KeyValuePair<string, string>>.Empty;

    /// <summary>How many pages the pager keeps in flight (1 = one after the other, the default).</summary>
    public int Prefetch { get; private init; } = 1;

    /// <summary>Limits the logs to those created from <paramref name="start"/> to <paramref name="end"/>. Replaces earlier times.</summary>
    /// <param name="start">The earliest creation time.</param>
    /// <param name="end">The latest creation time.</param>
    /// <exception cref="ArgumentException"><paramref name="end"/> is before <paramref name="start"/>, or a time is out of range.</exception>
    public RequestsQuery Between(DateTimeOffset start, DateTimeOffset end)
    {
        CheckTime(start, nameof(start));
        CheckTime(end, nameof(end));
        if (end < start)
        {
            throw new ArgumentException($"The end ({end:O}) is before the start ({start:O}); pass the earlier time first.", nameof(end));
        }
        return new(this) { Start = start, End = end };
    }

    /// <summary>Sets only the earliest creation time. Replaces an earlier start.</summary>
    /// <param name="start">The earliest creation time.</param>
    public RequestsQuery From(DateTimeOffset start)
    {
        CheckTime(start, nameof(start));
        if (End is { } e && e < start)
        {
            throw new ArgumentException($"The start ({start:O}) is after the end ({e:O}).", nameof(start));
        }
        return new(this) { Start = start };
    }

    /// <summary>Sets only the latest creation time. Replaces an earlier end.</summary>
    /// <param name="end">The latest creation time.</param>
    public RequestsQuery Until(DateTimeOffset end)
    {
        CheckTime(end, nameof(end));
        if (Start is { } s && end < s)
        {
            throw new ArgumentException($"The end ({end:O}) is before the start ({s:O}).", nameof(end));
        }
        return new(this) { End = end };
    }

    /// <summary>Keeps only succeeded or only failed requests. Replaces an earlier status.</summary>
    /// <param name="status">The status.</param>
    public RequestsQuery WithStatus(RequestStatus status) => new(this) { Status = NotEmpty(status, nameof(status)) };

    /// <summary>Sets the items per API call, 1 to 1000. Replaces an earlier size.</summary>
    /// <param name="pageSize">Items per call.</param>
    public RequestsQuery WithPageSize(int pageSize) => new(this) { PageSize = CheckPageSize(pageSize, nameof(pageSize)) };

    /// <summary>Keeps only requests made with one API-key accessor. Replaces earlier accessors.</summary>
    /// <param name="accessor">The accessor id.</param>
    public RequestsQuery WithAccessor(string accessor) => new(this) { Accessors = ImmutableList.Create(QueryValues.CheckSingle(accessor, nameof(accessor))) };

    /// <summary>
    /// Keeps only requests made with any of several API-key accessors; called again, it <b>adds</b> accessors
    /// (duplicates dropped, order kept). The endpoint filters on one accessor, so the pager runs one listing per
    /// accessor (each with its own <c>accessor=</c>, all with the same pinned <c>end</c>) and merges them newest first
    /// (equal times in the order the accessors were given), skipping ids already yielded. Each merged page holds up to
    /// the page size of items, and its <see cref="Page{T}.ContinuationToken"/> records every listing's position, so
    /// one token resumes all of them, also in another process. <see cref="WithPrefetch"/> does not apply: the listings
    /// are read one page at a time, as the merge needs them.
    /// </summary>
    /// <param name="accessors">Accessor ids; none may be empty.</param>
    public RequestsQuery WithAccessors(params IEnumerable<string> accessors) => new(this) { Accessors = QueryValues.Add(Accessors, accessors, nameof(accessors)) };

    /// <summary>Keeps only the request with this id.</summary>
    /// <param name="requestId">The request id.</param>
    public RequestsQuery WithRequestId(string requestId) => new(this) { RequestId = QueryValues.CheckSingle(requestId, nameof(requestId)) };

    /// <summary>Keeps only requests of one deployment.</summary>
    /// <param name="deployment">The deployment.</param>
    public RequestsQuery WithDeployment(Deployment deployment) => new(this) { Deployment = NotEmpty(deployment, nameof(deployment)) };

    /// <summary>Keeps only requests to one endpoint.</summary>
    /// <param name="endpoint">The endpoint.</param>
    public RequestsQuery WithEndpoint(Endpoint endpoint) => new(this) { Endpoint = NotEmpty(endpoint, nameof(endpoint)) };

    /// <summary>Keeps only requests of one processing method.</summary>
    /// <param name="method">The method.</param>
    public RequestsQuery WithMethod(ProcessingMethod method) => new(this) { Method = NotEmpty(method, nameof(method)) };

    /// <summary>
    /// Adds a raw query parameter (escape hatch), sent after the typed filters; called again with the same name, it
    /// adds a repeated key. The value is URL-encoded. The names the pager controls (<c>start</c>, <c>end</c>,
    /// <c>limit</c>, <c>page</c>) are refused.
    /// </summary>
    /// <param name="name">The parameter name: letters, digits, <c>_</c>, <c>-</c> or <c>.</c>.</param>
    /// <param name="value">The value.</param>
    /// <exception cref="ArgumentException">The name is empty, has other characters, or is one the pager controls.</exception>
    public RequestsQuery WithParameter(string name, string value) => new(this) { Parameters = QueryValues.AddParameter(Parameters, name, value, Reserved) };

    private static ReadOnlySpan<(string Name, string Instead)> Reserved =>
        new[] { ("start", "Between or From"), ("end", "Between or Until"), ("limit", "WithPageSize or AsPages(pageSizeHint)"), ("page", "AsPages(continuationToken)") };

    /// <summary>
    /// Keeps up to <paramref name="pages"/> page requests in flight while enumerating (1 to 16). Items still come
    /// newest first, in the same order and without duplicates; the end is pinned so pages cannot shift.
    /// </summary>
    /// <param name="pages">Pages in flight.</param>
    public RequestsQuery WithPrefetch(int pages)
    {
        if (pages is < 1 or > 16)
        {
            throw new ArgumentOutOfRangeException(nameof(pages), pages, "Prefetch takes 1 to 16 pages in flight.");
        }
        return new(this) { Prefetch = pages };
    }

    internal static int CheckPageSize(int pageSize, string paramName)
    {
        if (pageSize is < 1 or > MaxPageSize)
        {
            throw new ArgumentOutOfRangeException(paramName, pageSize, "The page size must be from 1 to 1000 (the API's limit).");
        }
        return pageSize;
    }

    private static T NotEmpty<T>(T value, string paramName) where T : struct
    {
        if (string.IsNullOrEmpty(value.ToString()))
        {
            throw new ArgumentException($"The {typeof(T).Name} is empty.", paramName);
        }
        return value;
    }

    private static readonly DateTimeOffset MinTime = new(1970, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset MaxTime = new(9999, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static void CheckTime(DateTimeOffset t, string paramName)
    {
        if (t < MinTime || t >= MaxTime)
        {
            throw new ArgumentOutOfRangeException(paramName, t, "The time must be from 1970-01-01 to 9998-12-31.");
        }
    }

    /// <summary>Formats a time for <c>/requests</c>: <c>yyyy-MM-ddTHH:mm:ss[.fffffff]</c> with its offset (<c>Z</c> for UTC).</summary>
    internal static string FormatTime(DateTimeOffset t)
    {
        var s = t.Ticks % TimeSpan.TicksPerSecond == 0
            ? t.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture)
            : t.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
        return t.Offset == TimeSpan.Zero ? s + "Z" : s + t.ToString("zzz", CultureInfo.InvariantCulture);
    }

    /// <summary>The raw parameters, in order (null when there are none).</summary>
    internal IReadOnlyList<KeyValuePair<string, string>>? ExtraParameters() => Parameters.Count == 0 ? null : Parameters;

    /// <summary>A fingerprint of the filters (not the page position), so a continuation token is only used with the query it came from.</summary>
    internal uint Fingerprint()
    {
        var sb = new StringBuilder();
        sb.Append(Start is { } s ? FormatTime(s) : "").Append('|').Append(End is { } e ? FormatTime(e) : "").Append('|')
          .Append(Status?.ToString()).Append('|').Append(string.Join(",", Accessors)).Append('|').Append(RequestId).Append('|')
          .Append(Deployment?.ToString()).Append('|').Append(Endpoint?.ToString()).Append('|').Append(Method?.ToString());
        foreach (var p in Parameters)
        {
            sb.Append('|').Append(p.Key).Append('=').Append(p.Value);
        }
        // FNV-1a: stable across processes and runtimes (string.GetHashCode is randomized).
        uint h = 2166136261;
        foreach (var c in sb.ToString())
        {
            h = (h ^ c) * 16777619;
        }
        return h;
    }

    /// <summary>Describes the query (for logs).</summary>
    public override string ToString() => $"RequestsQuery {{ Start = {(Start is { } s ? FormatTime(s) : null)}, End = {(End is { } e ? FormatTime(e) : null)}, Status = {Status}, PageSize = {PageSize}, Accessors = [{string.Join(", ", Accessors)}], RequestId = {RequestId}, Deployment = {Deployment}, Endpoint = {Endpoint}, Method = {Method}, Prefetch = {Prefetch} }}";
}
