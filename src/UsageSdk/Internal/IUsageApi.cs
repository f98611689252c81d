using Refit;

namespace UsageSdk.Internal;

/// <summary>
/// The wire calls, built by Refit's source generator (<c>RestService.ForGenerated</c>). They return the raw response so
/// <see cref="UsageClient"/> reads bodies as streams with its own JSON context and maps every error shape itself.
/// Parameter order is the order of the query string.
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
        [Query] IDictionary<string, string>? extra,
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
        [Query] IDictionary<string, string>? extra,
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
        [Query] IDictionary<string, string>? extra,
        CancellationToken cancellationToken);

    [Get("/v1/projects/{projectId}/usage/fields")]
    Task<HttpResponseMessage> GetFieldsAsync(string projectId, string? start, string? end, CancellationToken cancellationToken);
}
