using System.Globalization;
using System.Runtime.CompilerServices;

namespace UsageSdk.Internal;

/// <summary>
/// The pager of <c>/requests</c>: zero-based pages, newest first; stops on a short or empty page; pins <c>end</c> when
/// open; skips ids this enumeration already yielded (pages shift when requests arrive, and a server may repeat pages);
/// ends with a <see cref="UsageApiException"/> on a full page that brings no new id (the server is not making
/// progress); keeps up to <see cref="RequestsQuery.Prefetch"/> pages in flight. Memory holds the pages in flight and
/// the hashes of the ids yielded (<see cref="SeenIds"/>: 8 bytes a slot, about 17 bytes an id), never the items.
/// </summary>
internal sealed class RequestsPageable(CallPipeline pipeline, string projectId, RequestsQuery query, CancellationToken callToken) : AsyncPageable<UsageRequest>(callToken)
{
    public override IAsyncEnumerable<Page<UsageRequest>> AsPages(string? continuationToken = null, int? pageSizeHint = null)
    {
        if (query.Accessors.Count > 1)
        {
            // Several accessors: one listing each, merged (the endpoint filters on one accessor).
            return new AccessorMergePager(
                query,
                () => PinEnd(pipeline.Options.TimeProvider),
                (q, end, page, limit, ct) => FetchAsync(q, page, end, limit, ct),
                (page, body) =>
                {
                    if (body.Unreadable > 0)
                    {
                        UsageDiagnostics.UnreadableRead(pipeline.Logger, "GetRequests", projectId, page, body.Unreadable, body.FirstUnreadable);
                    }
                },
                items => UsageDiagnostics.PageRead(projectId, items)).AsPages(continuationToken, pageSizeHint, CancellationToken);
        }
        var limit = pageSizeHint is { } hint ? RequestsQuery.CheckPageSize(hint, nameof(pageSizeHint)) : query.PageSize ?? RequestsQuery.MaxPageSize;
        PageToken? token = null;
        if (continuationToken is not null)
        {
            token = PageToken.Parse(continuationToken, query.Fingerprint());
            if (pageSizeHint is not null && pageSizeHint != token.Value.Limit)
            {
                throw new ArgumentException($"The continuation token was made with page size {token.Value.Limit}; resume with the same page size (or none).", nameof(pageSizeHint));
            }
            limit = token.Value.Limit;
        }
        return EnumerateAsync(token, limit, CancellationToken);
    }

    private async IAsyncEnumerable<Page<UsageRequest>> EnumerateAsync(PageToken? token, int limit, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Nothing happens before the first MoveNextAsync: the end is pinned here, not when the listing was made.
        var endTime = query.End ?? token?.End ?? PinEnd(pipeline.Options.TimeProvider);
        var end = RequestsQuery.FormatTime(endTime);
        var page = token?.Page ?? 0;
        var fingerprint = query.Fingerprint();
        var prefetch = query.Prefetch;
        // Every id this enumeration yielded (a resumed one starts empty: it cannot know what another run yielded).
        var seen = new SeenIds(limit);

        using var inflightCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var inflight = new Queue<(int Page, Task<RequestsPageBody> Task)>();
        var nextToSchedule = page;
        try
        {
            while (true)
            {
                // Pages already fetched ahead are not handed out once the caller has cancelled.
                cancellationToken.ThrowIfCancellationRequested();
                while (inflight.Count < prefetch)
                {
                    var p = nextToSchedule++;
                    inflight.Enqueue((p, FetchAsync(query, p, end, limit, inflightCts.Token)));
                }
                var (current, task) = inflight.Dequeue();
                RequestsPageBody body;
                try
                {
                    body = await task.ConfigureAwait(false);
                }
                catch (UsageApiException e)
                {
                    e.ContinuationToken = new PageToken(current, endTime, limit, fingerprint).ToString();
                    throw;
                }
                // A page fetched ahead may have finished before the caller cancelled: cancelled is cancelled.
                cancellationToken.ThrowIfCancellationRequested();

                if (body.Unreadable > 0)
                {
                    UsageDiagnostics.UnreadableRead(pipeline.Logger, "GetRequests", projectId, current, body.Unreadable, body.FirstUnreadable);
                }
                var raw = body.Requests ?? [];
                List<UsageRequest>? kept = null; // made only when an item is skipped; otherwise the page's own list is yielded
                var newIds = 0;
                for (var i = 0; i < raw.Count; i++)
                {
                    var item = raw[i];
                    var id = item.RequestId;
                    if (id is not null)
                    {
                        if (!seen.Add(id))
                        {
                            kept ??= raw.GetRange(0, i);
                            continue; // already yielded: the page shifted, or the server repeated it
                        }
                        newIds++;
                    }
                    kept?.Add(item);
                }
                IReadOnlyList<UsageRequest> values = kept ?? raw;
                var last = body.RawCount < limit; // null items the server sent still count toward a full page
                var next = last ? null : new PageToken(current + 1, endTime, limit, fingerprint).ToString();
                if (!last && newIds == 0)
                {
                    UsageDiagnostics.PageRead(projectId, 0);
                    throw NoProgress(current, body.RawCount, next!);
                }
                UsageDiagnostics.PageRead(projectId, values.Count);
                yield return new RequestsPage(values, next);
                if (last)
                {
                    yield break;
                }
            }
        }
        finally
        {
            // Pages fetched ahead of a short page (or of a stop) are cancelled and observed, never left faulted.
            inflightCts.Cancel();
            foreach (var (_, pending) in inflight)
            {
                try
                {
                    await pending.ConfigureAwait(false);
                }
                catch (Exception)
                {
                    // ignored: not part of the result
                }
            }
        }
    }

    /// <summary>
    /// A full page with no id not yet yielded: the server repeats pages (it ignores <c>page=</c>, or alternates), so
    /// reading on would never end. The token resumes after this page.
    /// </summary>
    private static UsageApiException NoProgress(int page, int count, string next)
        => new(string.Create(CultureInfo.InvariantCulture,
            $"The Deepgram Usage API answered page {page} of the request logs with a full page ({count} items) but no request id this listing had not yielded already: the server is not making progress (it repeats pages), so the listing stops. ContinuationToken resumes after this page."),
            200)
        {
            ContinuationToken = next,
        };

    /// <summary>One page of <paramref name="q"/> (the query, or one accessor's of a merged listing): one call through the pipeline (its own activity, metrics, retries and errors).</summary>
    private Task<RequestsPageBody> FetchAsync(RequestsQuery q, int page, string end, int limit, CancellationToken cancellationToken)
    {
        var start = q.Start is { } s ? RequestsQuery.FormatTime(s) : null;
        return pipeline.GetAsync("GetRequests", projectId,
            (api, ct) => api.ListRequestsAsync(projectId, start, end, limit, page, q.Accessor, q.RequestId,
                q.Deployment?.ToString(), q.Endpoint?.ToString(), q.Method?.ToString(), q.Status?.ToString(), q.ExtraParameters(), ct),
            pipeline.RequestLogs.PageAsync, cancellationToken, page);
    }

    /// <summary>The open end of a listing: now, rounded up to the next whole second, so nothing created before the first call is left out.</summary>
    private static DateTimeOffset PinEnd(TimeProvider time)
    {
        var ticks = time.GetUtcNow().UtcTicks;
        var rem = ticks % TimeSpan.TicksPerSecond;
        return new DateTimeOffset(rem == 0 ? ticks : ticks - rem + TimeSpan.TicksPerSecond, TimeSpan.Zero);
    }

    private sealed class RequestsPage(IReadOnlyList<UsageRequest> values, string? token) : Page<UsageRequest>
    {
        public override IReadOnlyList<UsageRequest> Values => values;
        public override string? ContinuationToken => token;
    }
}
