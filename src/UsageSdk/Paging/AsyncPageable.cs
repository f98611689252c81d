using System.Runtime.CompilerServices;

namespace UsageSdk;

/// <summary>
/// A lazy, paged listing: <c>await foreach</c> over it yields every item of every page; <see cref="AsPages"/> yields the
/// pages with their continuation tokens, to stop and resume later (also from another process). Nothing is requested
/// until the first <c>MoveNextAsync</c>.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
public abstract class AsyncPageable<T> : IAsyncEnumerable<T> where T : notnull
{
    /// <summary>For mocking.</summary>
    protected AsyncPageable() { }

    /// <summary>For mocking, with the token every enumeration observes.</summary>
    /// <param name="cancellationToken">The token.</param>
    protected AsyncPageable(CancellationToken cancellationToken) => CancellationToken = cancellationToken;

    /// <summary>The token passed to the call that made this listing.</summary>
    protected virtual CancellationToken CancellationToken { get; }

    /// <summary>Enumerates the pages, from <paramref name="continuationToken"/> when given.</summary>
    /// <param name="continuationToken">A <see cref="Page{T}.ContinuationToken"/> from an earlier run of the same query, or null to start at the first page.</param>
    /// <param name="pageSizeHint">Items per page (1 to 1000), overriding the query's page size.</param>
    public abstract IAsyncEnumerable<Page<T>> AsPages(string? continuationToken = null, int? pageSizeHint = null);

    /// <summary>Enumerates every item of every page.</summary>
    /// <param name="cancellationToken">Stops the enumeration.</param>
    public virtual async IAsyncEnumerator<T> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        using var linked = cancellationToken.CanBeCanceled && CancellationToken.CanBeCanceled
            ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, CancellationToken)
            : null;
        var token = linked?.Token ?? (cancellationToken.CanBeCanceled ? cancellationToken : CancellationToken);
        await foreach (var page in AsPages().WithCancellation(token).ConfigureAwait(false))
        {
            foreach (var item in page.Values)
            {
                token.ThrowIfCancellationRequested(); // stop at once, not at the end of the page
                yield return item;
            }
        }
    }

    /// <summary>Makes a listing from fixed pages (for tests and mocks).</summary>
    /// <param name="pages">The pages.</param>
    public static AsyncPageable<T> FromPages(IEnumerable<Page<T>> pages)
    {
        ArgumentNullException.ThrowIfNull(pages);
        return new StaticPageable(pages.ToList());
    }

    private sealed class StaticPageable(IReadOnlyList<Page<T>> pages) : AsyncPageable<T>
    {
        public override IAsyncEnumerable<Page<T>> AsPages(string? continuationToken = null, int? pageSizeHint = null)
        {
            // Checked here, not at the first MoveNextAsync, like the client's own pager.
            var start = 0;
            if (continuationToken is not null)
            {
                start = -1;
                for (var i = 0; i < pages.Count; i++)
                {
                    if (pages[i].ContinuationToken == continuationToken)
                    {
                        start = i + 1;
                        break;
                    }
                }
                if (start < 0)
                {
                    throw new ArgumentException("The continuation token does not belong to this listing.", nameof(continuationToken));
                }
            }
            return EnumerateAsync(start);
        }

        private async IAsyncEnumerable<Page<T>> EnumerateAsync(int start, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            for (var i = start; i < pages.Count; i++)
            {
                await Task.Yield();
                cancellationToken.ThrowIfCancellationRequested();
                yield return pages[i];
            }
        }
    }
}
