using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace UsageSdk.Internal;

/// <summary>
/// Reads request logs off a response body: one log (flat, or wrapped in <c>{"request": …}</c>) or a page of
/// <c>/requests</c>, tolerant of members that cannot be read as their type (<see cref="TolerantJson"/>), and gives each
/// log its <see cref="UsageRequest.State"/> as of the time it was read.
/// </summary>
internal sealed class RequestLogReader(UsageClientOptions options, WireJsonContext json, ILogger logger)
{
    /// <summary>The reader of one log of <paramref name="projectId"/>; its unreadable members are counted and logged.</summary>
    public Func<Stream, CancellationToken, ValueTask<UsageRequest>> One(string projectId) => async (stream, cancellationToken) =>
    {
        UsageRequest request;
        using (var doc = await JsonDocument.ParseAsync(stream, new JsonDocumentOptions { MaxDepth = options.MaxJsonDepth }, cancellationToken).ConfigureAwait(false))
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new JsonException($"Expected a request object, got {root.ValueKind}.");
            }
            // The vendor spec wraps the request in {"request": …}; the API has been seen to send it flat. Accept both.
            var element = root.TryGetProperty("request", out var inner) && inner.ValueKind == JsonValueKind.Object ? inner : root;
            request = TolerantJson.ReadRequest(element, json.UsageRequest);
        }
        request.State = options.LogStates.Derive(request, options.TimeProvider.GetUtcNow());
        if (request.Unreadable is { Count: > 0 } unreadable)
        {
            UsageDiagnostics.UnreadableRead(logger, "GetRequest", projectId, null, unreadable.Count, unreadable.Keys.First());
        }
        return request;
    };

    /// <summary>Reads one page: null items are dropped (but still counted in <see cref="RequestsPageBody.RawCount"/>).</summary>
    public async ValueTask<RequestsPageBody> PageAsync(Stream stream, CancellationToken cancellationToken)
    {
        var body = await BufferedJson.ReadAsync(stream, utf8 => TolerantJson.ReadRequestsPage(utf8, json), cancellationToken).ConfigureAwait(false);
        if (body?.Requests is { } items)
        {
            var now = options.TimeProvider.GetUtcNow();
            body.RawCount = items.Count;
            items.RemoveAll(static r => r is null);
            foreach (var r in items)
            {
                r.State = options.LogStates.Derive(r, now);
            }
        }
        return body!;
    }
}
