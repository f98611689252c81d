using Refit;

namespace UsageSdk.Internal;

/// <summary>
/// The wire calls: Refit's source generator (<c>RestService.ForGenerated</c>) builds each route and query string, and
/// that is all Refit does here. Every call returns the raw response: <see cref="CallPipeline"/> reads the body as a
/// stream with the SDK's JSON context and maps every error shape itself, so no content serializer is configured.
/// Parameter order is the order of the query string; null parameters are left out. Collections are sent as repeated
/// keys (<c>CollectionFormat.Multi</c>); the raw pairs of a query go through <see cref="QueryPairsConverter"/>.
/// </summary>
internal interface IUsageApi
{
    [Get("/v1/projects/{projectId}/requests")]
    Task<HttpResponseMessage> ListRequestsAsync(
        string projectId,
        string? start,
        string? end,
        int? limit,
        int? page,
        string? accessor,
        [AliasAs("request_id")] string? requestId,
        string? deployment,
        string? endpoint,
        string? method,
        string? status,
        [QueryConverter(typeof(QueryPairsConverter))] IReadOnlyList<KeyValuePair<string, string>>? extra,
        CancellationToken cancellationToken);

    [Get("/v1/projects/{projectId}/requests/{requestId}")]
    Task<HttpResponseMessage> GetRequestAsync(string projectId, string requestId, CancellationToken cancellationToken);

    [Get("/v1/projects/{projectId}/usage")]
    Task<HttpResponseMessage> GetSummaryAsync(
        string projectId,
        string? start,
        string? end,
        [Query(CollectionFormat.Multi)] IEnumerable<string>? accessor,
        [Query(CollectionFormat.Multi)] IEnumerable<string>? tag,
        [Query(CollectionFormat.Multi)] IEnumerable<string>? model,
        [Query(CollectionFormat.Multi)] IEnumerable<string>? method,
        [Query(CollectionFormat.Multi)] IEnumerable<string>? deployment,
        [Query(CollectionFormat.Multi)] IEnumerable<string>? endpoint,
        [QueryConverter(typeof(QueryPairsConverter))] IReadOnlyList<KeyValuePair<string, string>>? extra,
        CancellationToken cancellationToken);

    [Get("/v1/projects/{projectId}/usage/breakdown")]
    Task<HttpResponseMessage> GetBreakdownAsync(
        string projectId,
        string? start,
        string? end,
        string? grouping,
        [Query(CollectionFormat.Multi)] IEnumerable<string>? accessor,
        [Query(CollectionFormat.Multi)] IEnumerable<string>? tag,
        [Query(CollectionFormat.Multi)] IEnumerable<string>? model,
        [Query(CollectionFormat.Multi)] IEnumerable<string>? method,
        [Query(CollectionFormat.Multi)] IEnumerable<string>? deployment,
        [Query(CollectionFormat.Multi)] IEnumerable<string>? endpoint,
        [QueryConverter(typeof(QueryPairsConverter))] IReadOnlyList<KeyValuePair<string, string>>? extra,
        CancellationToken cancellationToken);

    [Get("/v1/projects/{projectId}/usage/fields")]
    Task<HttpResponseMessage> GetFieldsAsync(string projectId, string? start, string? end, CancellationToken cancellationToken);
}
