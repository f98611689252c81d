namespace UsageSdk.Testing;

/// <summary>A request the <see cref="FakeUsageApi"/> received, for assertions. The <c>Authorization</c> value is never kept (only its scheme).</summary>
public sealed class FakeRecordedRequest
{
    internal FakeRecordedRequest(string method, string path, string query, IReadOnlyDictionary<string, string> headers, DateTimeOffset time)
    {
        Method = method;
        Path = path;
        Query = query;
        Headers = headers;
        Time = time;
    }

    /// <summary>The HTTP method.</summary>
    public string Method { get; }

    /// <summary>The path, for example <c>/v1/projects/…/requests</c>.</summary>
    public string Path { get; }

    /// <summary>The raw query string without the leading <c>?</c> (still URL-encoded), or empty.</summary>
    public string Query { get; }

    /// <summary>Request headers (names case-insensitive; several values joined by <c>, </c>); <c>Authorization</c> shows only its scheme, for example <c>Token [redacted]</c>.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>When the request arrived, on the API's clock.</summary>
    public DateTimeOffset Time { get; }

    /// <summary>The status answered (0 when the handler threw or the response is still being made).</summary>
    public int StatusCode { get; internal set; }

    /// <summary>The values of a query key, decoded, in order (for example <c>tag</c> → <c>dev</c>, <c>prod</c>).</summary>
    /// <param name="key">The key.</param>
    public IReadOnlyList<string> QueryValues(string key) => FakeQueryString.Parse(Query).Where(p => p.Key == key).Select(p => p.Value).ToList();

    /// <summary>Returns the method, path and query.</summary>
    public override string ToString() => $"{Method} {Path}{(Query.Length > 0 ? "?" + Query : "")} → {StatusCode}";
}
