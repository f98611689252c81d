using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace UsageSdk.Internal;

/// <summary>
/// The pager of <c>/requests</c> for several accessors (<see cref="RequestsQuery.WithAccessors"/>): the endpoint filters
/// on one accessor, so this runs one listing per accessor (each newest first, all with the same pinned <c>end</c>) and
/// merges them newest first; on equal times the accessor given first goes first. An id already yielded (by any of the
/// listings) is skipped. A merged page holds <c>limit</c> items (the last one fewer); its token records, per accessor,
/// the API page and the items of it already taken (<see cref="MergeToken"/>), so it resumes every listing exactly
/// where the merge left it. Each accessor's listing keeps one fetched page in memory at a time.
/// </summary>
internal sealed class AccessorMergePager
{
    private readonly RequestsQuery _query;
    private readonly IReadOnlyList<RequestsQuery> _perAccessor;
    private readonly Func<DateTimeOffset> _pinEnd;
    private readonly Func<RequestsQuery, string, int, int, CancellationToken, Task<RequestsPageBody>> _fetch;
    private readonly Action<int, RequestsPageBody> _onApiPage;
    private readonly Action<int> _onPage;

    /// <param name="query">The query, with two or more accessors.</param>
    /// <param name="pinEnd">The end to pin when the query leaves it open (called at the first page).</param>
    /// <param name="fetch">Fetches one API page: (query of one accessor, end, page, limit, token).</param>
    /// <param name="onApiPage">Told of every API page read (page number, body), for diagnostics.</param>
    /// <param name="onPage">Told of every merged page handed out (its item count), for diagnostics.</param>
    public AccessorMergePager(RequestsQuery query, Func<DateTimeOffset> pinEnd, Func<RequestsQuery, string, int, int, CancellationToken, Task<RequestsPageBody>> fetch, Action<int, RequestsPageBody> onApiPage, Action<int> onPage)
    {
        _query = query;
        _perAccessor = query.Accessors.Select(query.WithAccessor).ToList();
        _pinEnd = pinEnd;
        _fetch = fetch;
        _onApiPage = onApiPage;
        _onPage = onPage;
    }

    /// <summary>Checks the token and the page size now (not at the first MoveNextAsync), then enumerates lazily.</summary>
    public IAsyncEnumerable<Page<UsageRequest>> AsPages(string? continuationToken, int? pageSizeHint, CancellationToken cancellationToken)
    {
        var limit = pageSizeHint is { } hint ? RequestsQuery.CheckPageSize(hint, nameof(pageSizeHint)) : _query.PageSize ?? RequestsQuery.MaxPageSize;
        MergeToken? token = null;
        if (continuationToken is not null)
        {
            token = MergeToken.Parse(continuationToken, _query.Fingerprint(), _perAccessor.Count);
            if (pageSizeHint is not null && pageSizeHint != token.Limit)
            {
                throw new ArgumentException($"The continuation token was made with page size {token.Limit}; resume with the same page size (or none).", nameof(pageSizeHint));
            }
            limit = token.Limit;
        }
        return EnumerateAsync(token, limit, cancellationToken);
    }

    private async IAsyncEnumerable<Page<UsageRequest>> EnumerateAsync(MergeToken? token, int limit, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Nothing happens before the first MoveNextAsync: the end is pinned here, once for every accessor's listing.
        var endTime = _query.End ?? token?.End ?? _pinEnd();
        var end = RequestsQuery.FormatTime(endTime);
        var fingerprint = _query.Fingerprint();
        var streams = new Stream[_perAccessor.Count];
        for (var i = 0; i < streams.Length; i++)
        {
            var (page, skip, exhausted) = token?.Positions[i] ?? (0, 0, false);
            streams[i] = new Stream(_perAccessor[i]) { NextPage = page, PendingSkip = skip, Exhausted = exhausted };
        }
        // Every id this enumeration yielded, over all accessors (a resumed one starts empty, as the single pager does).
        var seen = new SeenIds(limit);
        var values = new List<UsageRequest>(Math.Min(limit, 1024));
        var pageStart = Encode(streams, endTime, limit, fingerprint);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // Every listing that may have more needs its next item in hand before the newest can be chosen.
            Stream? stuck = null;
            foreach (var s in streams)
            {
                try
                {
                    if (!await FillAsync(s, end, limit, seen, cancellationToken).ConfigureAwait(false))
                    {
                        stuck ??= s;
                    }
                }
                catch (UsageApiException e) when (e.ContinuationToken is null)
                {
                    // Resumes at the merged page being built: none of its items were handed out.
                    e.ContinuationToken = pageStart;
                    throw;
                }
            }
            if (stuck is not null)
            {
                // What was merged so far goes out first, so the token (past the repeated page) loses nothing.
                var resume = Encode(streams, endTime, limit, fingerprint);
                if (values.Count > 0)
                {
                    _onPage(values.Count);
                    yield return Page<UsageRequest>.FromValues(values, resume);
                }
                throw NoProgress(stuck, limit, resume);
            }
            Stream? next = null;
            foreach (var s in streams)
            {
                if (s.HasItem && (next is null || s.Head.Created > next.Head.Created))
                {
                    next = s;
                }
            }
            if (next is null)
            {
                _onPage(values.Count);
                yield return Page<UsageRequest>.FromValues(values, null);
                yield break;
            }
            var item = next.Head;
            next.Position++;
            if (item.RequestId is not { } id || seen.Add(id))
            {
                values.Add(item);
            }
            if (values.Count == limit)
            {
                var tokenText = Array.TrueForAll(streams, s => s.Done) ? null : Encode(streams, endTime, limit, fingerprint);
                _onPage(values.Count);
                yield return Page<UsageRequest>.FromValues(values, tokenText);
                if (tokenText is null)
                {
                    yield break;
                }
                values = new List<UsageRequest>(Math.Min(limit, 1024));
                pageStart = tokenText;
            }
        }
    }

    /// <summary>
    /// Fetches the listing's next API pages while it has no item in hand and may have more (an empty page that is full
    /// of null items is read past). False when a full page brings no id not yet yielded: the server repeats pages for
    /// this accessor, and reading on would never end; the listing is then positioned after that page.
    /// </summary>
    private async Task<bool> FillAsync(Stream s, string end, int limit, SeenIds seen, CancellationToken cancellationToken)
    {
        while (!s.HasItem && !s.Done)
        {
            var page = s.NextPage;
            var body = await _fetch(s.Query, end, page, limit, cancellationToken).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            _onApiPage(page, body);
            var items = body.Requests ?? [];
            var skip = Math.Min(s.PendingSkip, items.Count);
            s.PendingSkip = 0;
            s.NextPage = page + 1;
            s.LastPage = body.RawCount < limit; // null items the server sent still count toward a full page
            if (!s.LastPage && !items.Skip(skip).Any(r => r.RequestId is { } id && !seen.Contains(id)))
            {
                s.Items = null;
                s.RepeatedPage = page;
                s.RepeatedCount = body.RawCount;
                return false;
            }
            s.Items = items;
            s.ItemsPage = page;
            s.Position = skip;
        }
        return true;
    }

    private static UsageApiException NoProgress(Stream s, int limit, string next)
        => new(string.Create(CultureInfo.InvariantCulture,
            $"The Deepgram Usage API answered page {s.RepeatedPage} of the request logs of accessor '{OpenEnum.Printable(s.Query.Accessor)}' with a full page ({s.RepeatedCount} of {limit} items) but no request id this listing had not yielded already: the server is not making progress (it repeats pages), so the listing stops. ContinuationToken resumes after this page."),
            200)
        {
            ContinuationToken = next,
        };

    private static string Encode(Stream[] streams, DateTimeOffset end, int limit, uint fingerprint)
    {
        var sb = new StringBuilder(32 + (streams.Length * 8));
        sb.Append(CultureInfo.InvariantCulture, $"m1.{end.UtcTicks}.{limit}.{fingerprint:x8}");
        foreach (var s in streams)
        {
            sb.Append('.');
            var (page, skip, exhausted) = s.Resume();
            if (exhausted)
            {
                sb.Append('x');
            }
            else
            {
                sb.Append(CultureInfo.InvariantCulture, $"{page}-{skip}");
            }
        }
        return sb.ToString();
    }

    /// <summary>One accessor's listing: the API page in hand and how far the merge has taken it.</summary>
    private sealed class Stream(RequestsQuery query)
    {
        public RequestsQuery Query { get; } = query;
        public List<UsageRequest>? Items { get; set; }
        public int ItemsPage { get; set; }
        public int Position { get; set; }
        public int NextPage { get; set; }
        public int PendingSkip { get; set; }
        public bool LastPage { get; set; }
        public bool Exhausted { get; set; }
        public int RepeatedPage { get; set; }
        public int RepeatedCount { get; set; }

        public bool HasItem => Items is not null && Position < Items.Count;

        public UsageRequest Head => Items![Position];

        /// <summary>Nothing more to read: resumed as exhausted, or the last API page is used up.</summary>
        public bool Done => Exhausted || (!HasItem && Items is not null && LastPage);

        /// <summary>Where a resumed run starts this listing: the page in hand and the items of it taken, the next page, or nothing.</summary>
        public (int Page, int Skip, bool Exhausted) Resume()
        {
            if (Done)
            {
                return (0, 0, true);
            }
            if (HasItem)
            {
                return (ItemsPage, Position, false);
            }
            return Items is null ? (NextPage, PendingSkip, false) : (NextPage, 0, false);
        }
    }
}

/// <summary>
/// A continuation token of a merged listing: <c>m1.{end as UTC ticks}.{page size}.{query fingerprint}.{p1}.{p2}…</c>,
/// one position per accessor in the query's order: <c>{page}-{items of it already taken}</c>, or <c>x</c> when that
/// accessor's listing is finished.
/// </summary>
internal sealed record MergeToken(DateTimeOffset End, int Limit, IReadOnlyList<(int Page, int Skip, bool Exhausted)> Positions)
{
    public static MergeToken Parse(string token, uint expectedFingerprint, int accessors)
    {
        var parts = token.Split('.');
        if (parts.Length < 4 || parts[0] != "m1"
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks
            || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var limit) || limit is < 1 or > RequestsQuery.MaxPageSize
            || !uint.TryParse(parts[3], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var fp))
        {
            throw new ArgumentException($"'{OpenEnum.Printable(token)}' is not a continuation token of this SDK for a listing of several accessors.", "continuationToken");
        }
        if (fp != expectedFingerprint || parts.Length - 4 != accessors)
        {
            throw new ArgumentException("The continuation token was made for a different query; resume with the same filters and accessors.", "continuationToken");
        }
        var positions = new List<(int, int, bool)>(accessors);
        foreach (var p in parts.AsSpan(4))
        {
            if (p == "x")
            {
                positions.Add((0, 0, true));
                continue;
            }
            var dash = p.IndexOf('-', StringComparison.Ordinal);
            if (dash <= 0
                || !int.TryParse(p.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var page)
                || !int.TryParse(p.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var skip)
                || skip > RequestsQuery.MaxPageSize)
            {
                throw new ArgumentException($"'{OpenEnum.Printable(token)}' is not a continuation token of this SDK for a listing of several accessors.", "continuationToken");
            }
            positions.Add((page, skip, false));
        }
        return new MergeToken(new DateTimeOffset(ticks, TimeSpan.Zero), limit, positions);
    }
}
