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

    // ---------------------------------------------------------------- the cost half: projects, keys, models, billing, balances

    [Get("/v1/projects")]
    Task<HttpResponseMessage> ListProjectsAsync(CancellationToken cancellationToken);

    // The spec's limit and page on this call page nothing (API-NOTES §7): not sent.
    [Get("/v1/projects/{projectId}")]
    Task<HttpResponseMessage> GetProjectAsync(string projectId, CancellationToken cancellationToken);

    [Get("/v1/projects/{projectId}/keys")]
    Task<HttpResponseMessage> ListKeysAsync(string projectId, CancellationToken cancellationToken);

    [Get("/v1/projects/{projectId}/models")]
    Task<HttpResponseMessage> ListModelsAsync(string projectId, [AliasAs("include_outdated")] string? includeOutdated, CancellationToken cancellationToken);

    [Get("/v1/projects/{projectId}/billing/breakdown")]
    Task<HttpResponseMessage> GetBillingBreakdownAsync(
        string projectId,
        string? start,
        string? end,
        string? accessor,
        string? deployment,
        string? tag,
        [AliasAs("line_item")] string? lineItem,
        [Query(CollectionFormat.Multi)] IEnumerable<string>? grouping,
        [QueryConverter(typeof(QueryPairsConverter))] IReadOnlyList<KeyValuePair<string, string>>? extra,
        CancellationToken cancellationToken);

    [Get("/v1/projects/{projectId}/billing/fields")]
    Task<HttpResponseMessage> GetBillingFieldsAsync(string projectId, string? start, string? end, CancellationToken cancellationToken);

    [Get("/v1/projects/{projectId}/balances")]
    Task<HttpResponseMessage> ListBalancesAsync(string projectId, CancellationToken cancellationToken);

    [Get("/v1/projects/{projectId}/balances/{balanceId}")]
    Task<HttpResponseMessage> GetBalanceAsync(string projectId, string balanceId, CancellationToken cancellationToken);
}
