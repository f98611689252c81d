namespace UsageSdk;

/// <summary>One page of a listing.</summary>
/// <typeparam name="T">The item type.</typeparam>
public abstract class Page<T>
{
    /// <summary>For mocking.</summary>
    protected Page() { }

    /// <summary>The items of the page.</summary>
    public abstract IReadOnlyList<T> Values { get; }

    /// <summary>The token of the <b>next</b> page; null on the last page. A plain string that resumes exactly there, also in another process with the same query.</summary>
    public abstract string? ContinuationToken { get; }

    /// <summary>Makes a page (for tests and mocks).</summary>
    /// <param name="values">The items.</param>
    /// <param name="continuationToken">The token of the next page, or null on the last page.</param>
    public static Page<T> FromValues(IReadOnlyList<T> values, string? continuationToken)
    {
        ArgumentNullException.ThrowIfNull(values);
        return new ValuesPage(values, continuationToken);
    }

    /// <summary>Describes the page.</summary>
    public override string ToString() => $"Page of {Values.Count}, next = {ContinuationToken ?? "(none)"}";

    private sealed class ValuesPage(IReadOnlyList<T> values, string? token) : Page<T>
    {
        public override IReadOnlyList<T> Values => values;
        public override string? ContinuationToken => token;
    }
}
