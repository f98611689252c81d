using UsageSdk.Internal;

namespace UsageSdk;

/// <summary>
/// The client of the Deepgram Usage API: request logs (<see cref="GetRequestsAsync"/>, paged and resumable), one
/// request (<see cref="GetRequestAsync"/>), usage summary, breakdown and fields; and the cost half: projects, keys,
/// models (names for ids), billing breakdown and fields, balances. Thread-safe; make one and share it,
/// or register it with <c>services.AddUsageClient(...)</c>. Every member is virtual so it can be mocked.
/// </summary>
/// <remarks>
/// Each call checks its arguments, then hands the route and query to the internal call pipeline (diagnostics, send,
/// deadlines, body reading, errors) over the Refit interface <c>IUsageApi</c>; see docs/design.md.
/// </remarks>
public class UsageClient
{
    private readonly CallPipeline _pipeline = null!;

    /// <summary>For mocking.</summary>
    protected UsageClient() { }

    /// <summary>Creates a client for an API key, with default options.</summary>
    /// <param name="apiKey">The API key (sent as <c>Authorization: Token …</c>).</param>
    /// <exception cref="ArgumentException">The key is empty.</exception>
    public UsageClient(string apiKey) : this(new UsageClientOptions { ApiKey = OptionsValidation.CheckKey(apiKey) }) { }

    /// <summary>Creates a client. The options are copied; later changes do not affect this client.</summary>
    /// <param name="options">The options.</param>
    /// <exception cref="ArgumentException">The options are invalid (the message names the setting).</exception>
    public UsageClient(UsageClientOptions options)
        : this(HandlerChain.CreateHttpClient(options), options, ownsTransportChain: true)
    {
    }

    /// <summary>Creates a client over an <see cref="HttpClient"/> whose handlers already include the SDK's (the DI path).</summary>
    internal UsageClient(HttpClient httpClient, UsageClientOptions options, bool ownsTransportChain)
        => _pipeline = new CallPipeline(httpClient, options, ownsTransportChain);

    /// <summary>The API address this client calls.</summary>
    public virtual Uri BaseAddress => _pipeline.Options.BaseAddress;

    internal UsageClientOptions Options => _pipeline.Options;

    /// <summary>
    /// Lists request logs, newest first, lazily and page by page (1000 per call unless the query says otherwise).
    /// When the query leaves <c>end</c> open, the pager pins it at the time of its first call, so requests arriving
    /// meanwhile cannot shift the pages; items whose request id this enumeration already yielded are skipped, so each
    /// id is yielded at most once. A full page that brings no new id (a server that repeats pages) ends the listing with
    /// a <see cref="UsageApiException"/> whose <see cref="UsageApiException.ContinuationToken"/> resumes after it. The
    /// ids are remembered as 64-bit hashes: about 17 bytes per id yielded (10.7 to 21.3; 16 MiB for a million ids), for
    /// as long as the enumeration runs. A listing resumed from a token starts with none remembered.
    /// Members that cannot be read as their type are kept raw in <see cref="UsageRequest.UnreadableMembers"/>.
    /// Use <see cref="AsyncPageable{T}.AsPages"/> to resume from a continuation token. The server keeps 90 days of logs.
    /// </summary>
    /// <param name="projectId">The project id.</param>
    /// <param name="query">Filters, or null for all.</param>
    /// <param name="cancellationToken">Stops the listing.</param>
    /// <exception cref="ArgumentException">The project id is empty or not a plain id.</exception>
    public virtual AsyncPageable<UsageRequest> GetRequestsAsync(string projectId, RequestsQuery? query = null, CancellationToken cancellationToken = default)
    {
        Ids.Check(projectId, nameof(projectId));
        return new RequestsPageable(_pipeline, projectId, query ?? new RequestsQuery(), cancellationToken);
    }

    /// <summary>Gets one request log. The API's answer may be the request itself or wrapped in <c>{"request": …}</c>; both are read.</summary>
    /// <param name="projectId">The project id.</param>
    /// <param name="requestId">The request id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ArgumentException">An id is empty or not a plain id.</exception>
    /// <exception cref="UsageApiException">The API answered with an error, or could not be reached.</exception>
    public virtual Task<UsageRequest> GetRequestAsync(string projectId, string requestId, CancellationToken cancellationToken = default)
    {
        Ids.Check(projectId, nameof(projectId));
        Ids.Check(requestId, nameof(requestId));
        return _pipeline.GetAsync("GetRequest", projectId,
            (api, ct) => api.GetRequestAsync(projectId, requestId, ct),
            _pipeline.RequestLogs.One(projectId), cancellationToken);
    }

    /// <summary>Gets the usage summary (per day by default). The API marks it deprecated in favour of <see cref="GetBreakdownAsync"/>; it carries no cost.</summary>
    /// <param name="projectId">The project id.</param>
    /// <param name="query">Filters, or null for all; <see cref="UsageQuery.Grouping"/> is not used here.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ArgumentException">The project id is empty or not a plain id.</exception>
    /// <exception cref="UsageApiException">The API answered with an error, or could not be reached.</exception>
    public virtual Task<UsageSummary> GetSummaryAsync(string projectId, UsageQuery? query = null, CancellationToken cancellationToken = default)
    {
        Ids.Check(projectId, nameof(projectId));
        var q = query ?? new UsageQuery();
        return _pipeline.GetAsync("GetSummary", projectId,
            (api, ct) => api.GetSummaryAsync(projectId, q.StartParameter, q.EndParameter, q.AccessorParameter, q.TagParameter,
                q.ModelParameter, q.MethodParameter, q.DeploymentParameter, q.EndpointParameter, q.ExtraParameters(), ct),
            _pipeline.Json.UsageSummary, cancellationToken);
    }

    /// <summary>Gets the usage breakdown, grouped by <see cref="UsageQuery.GroupBy"/> when set (otherwise per time bucket only).</summary>
    /// <param name="projectId">The project id.</param>
    /// <param name="query">Filters and grouping, or null for all.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ArgumentException">The project id is empty or not a plain id.</exception>
    /// <exception cref="UsageApiException">The API answered with an error, or could not be reached.</exception>
    public virtual Task<UsageBreakdown> GetBreakdownAsync(string projectId, UsageQuery? query = null, CancellationToken cancellationToken = default)
    {
        Ids.Check(projectId, nameof(projectId));
        var q = query ?? new UsageQuery();
        return _pipeline.GetAsync("GetBreakdown", projectId,
            (api, ct) => api.GetBreakdownAsync(projectId, q.StartParameter, q.EndParameter, q.Grouping?.ToString(), q.AccessorParameter, q.TagParameter,
                q.ModelParameter, q.MethodParameter, q.DeploymentParameter, q.EndpointParameter, q.ExtraParameters(), ct),
            _pipeline.Json.UsageBreakdown, cancellationToken);
    }

    /// <summary>Lists what the usage can be filtered on: tags, models, processing methods, languages and features.</summary>
    /// <param name="projectId">The project id.</param>
    /// <param name="start">First day (UTC), or null for the API's default.</param>
    /// <param name="end">Last day (UTC), or null for today.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ArgumentException">The project id is invalid, or <paramref name="end"/> is before <paramref name="start"/>.</exception>
    /// <exception cref="UsageApiException">The API answered with an error, or could not be reached.</exception>
    public virtual Task<UsageFields> GetFieldsAsync(string projectId, DateOnly? start = null, DateOnly? end = null, CancellationToken cancellationToken = default)
    {
        Ids.Check(projectId, nameof(projectId));
        if (start is { } s && end is { } e && e < s)
        {
            throw new ArgumentException($"The end ({e:yyyy-MM-dd}) is before the start ({s:yyyy-MM-dd}); pass the earlier day first.", nameof(end));
        }
        return _pipeline.GetAsync("GetFields", projectId,
            (api, ct) => api.GetFieldsAsync(projectId, UsageQuery.FormatDate(start), UsageQuery.FormatDate(end), ct),
            _pipeline.Json.UsageFields, cancellationToken);
    }

    // ---------------------------------------------------------------- the cost half: projects, keys, models, billing, balances

    /// <summary>Lists the projects the API key can read (one answer, no paging).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="UsageApiException">The API answered with an error, or could not be reached.</exception>
    public virtual Task<IReadOnlyList<UsageProject>> GetProjectsAsync(CancellationToken cancellationToken = default)
        => _pipeline.GetAsync("GetProjects", "",
            (api, ct) => api.ListProjectsAsync(ct),
            BodyReaders.ListOf(_pipeline.Json.ProjectsBody, static b => b.Projects), cancellationToken);

    /// <summary>Gets one project (its id and name).</summary>
    /// <param name="projectId">The project id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ArgumentException">The project id is empty or not a plain id.</exception>
    /// <exception cref="UsageApiException">The API answered with an error, or could not be reached.</exception>
    public virtual Task<UsageProject> GetProjectAsync(string projectId, CancellationToken cancellationToken = default)
    {
        Ids.Check(projectId, nameof(projectId));
        return _pipeline.GetAsync("GetProject", projectId, (api, ct) => api.GetProjectAsync(projectId, ct), _pipeline.Json.UsageProject, cancellationToken);
    }

    /// <summary>
    /// Lists a project's API keys: id, label (<see cref="ProjectKey.Comment"/>, the name to show), scopes, creation time
    /// and owner. Never a secret (the API does not send one with the list). A key without the members, admins and
    /// owners read scopes sees only its own member's keys.
    /// </summary>
    /// <param name="projectId">The project id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ArgumentException">The project id is empty or not a plain id.</exception>
    /// <exception cref="UsageApiException">The API answered with an error, or could not be reached.</exception>
    public virtual Task<IReadOnlyList<ProjectKey>> GetKeysAsync(string projectId, CancellationToken cancellationToken = default)
    {
        Ids.Check(projectId, nameof(projectId));
        return _pipeline.GetAsync("GetKeys", projectId, (api, ct) => api.ListKeysAsync(projectId, ct),
            BodyReaders.ListOf(_pipeline.Json.KeysBody, static b => b.ApiKeys), cancellationToken);
    }

    /// <summary>
    /// Lists the models the project may use, so the model UUIDs of request logs get names
    /// (<see cref="ProjectModels.FindName"/>). Pass <paramref name="includeOutdated"/> to name older versions too.
    /// </summary>
    /// <param name="projectId">The project id.</param>
    /// <param name="includeOutdated">Also list versions that are not the latest (<c>include_outdated=true</c>).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ArgumentException">The project id is empty or not a plain id.</exception>
    /// <exception cref="UsageApiException">The API answered with an error, or could not be reached.</exception>
    public virtual Task<ProjectModels> GetModelsAsync(string projectId, bool includeOutdated = false, CancellationToken cancellationToken = default)
    {
        Ids.Check(projectId, nameof(projectId));
        return _pipeline.GetAsync("GetModels", projectId, (api, ct) => api.ListModelsAsync(projectId, includeOutdated ? "true" : null, ct),
            _pipeline.Json.ProjectModels, cancellationToken);
    }

    /// <summary>
    /// Gets what the project was billed, per day, or per day and group with <see cref="BillingQuery.GroupBy"/>; the
    /// invoice's figures (request logs' <c>usd</c> is per request, kept 90 days, and empty for contract projects). Needs a
    /// key that may read billing (owner or admin); others get a <see cref="UsageApiException"/> with status 401 or 403.
    /// </summary>
    /// <param name="projectId">The project id.</param>
    /// <param name="query">Filters and grouping, or null for all, per day.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ArgumentException">The project id is empty or not a plain id.</exception>
    /// <exception cref="UsageApiException">The API answered with an error, or could not be reached.</exception>
    public virtual Task<BillingBreakdown> GetBillingBreakdownAsync(string projectId, BillingQuery? query = null, CancellationToken cancellationToken = default)
    {
        Ids.Check(projectId, nameof(projectId));
        var q = query ?? new BillingQuery();
        return _pipeline.GetAsync("GetBillingBreakdown", projectId,
            (api, ct) => api.GetBillingBreakdownAsync(projectId, q.StartParameter, q.EndParameter, q.Accessor, q.DeploymentParameter, q.Tag, q.LineItem,
                q.GroupingParameter, q.ExtraParameters(), ct),
            _pipeline.Json.BillingBreakdown, cancellationToken);
    }

    /// <summary>Lists what the billing breakdown can be filtered on in a period: accessors, deployments, tags, and line items with their descriptions.</summary>
    /// <param name="projectId">The project id.</param>
    /// <param name="start">First day (UTC), or null for the API's default.</param>
    /// <param name="end">Last day (UTC), or null for the API's default.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ArgumentException">The project id is invalid, or <paramref name="end"/> is before <paramref name="start"/>.</exception>
    /// <exception cref="UsageApiException">The API answered with an error, or could not be reached.</exception>
    public virtual Task<BillingFields> GetBillingFieldsAsync(string projectId, DateOnly? start = null, DateOnly? end = null, CancellationToken cancellationToken = default)
    {
        Ids.Check(projectId, nameof(projectId));
        if (start is { } s && end is { } e && e < s)
        {
            throw new ArgumentException($"The end ({e:yyyy-MM-dd}) is before the start ({s:yyyy-MM-dd}); pass the earlier day first.", nameof(end));
        }
        return _pipeline.GetAsync("GetBillingFields", projectId,
            (api, ct) => api.GetBillingFieldsAsync(projectId, UsageQuery.FormatDate(start), UsageQuery.FormatDate(end), ct),
            _pipeline.Json.BillingFields, cancellationToken);
    }

    /// <summary>Lists the project's outstanding balances: the credit left (in <see cref="ProjectBalance.Units"/>). Needs a key that may read billing.</summary>
    /// <param name="projectId">The project id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ArgumentException">The project id is empty or not a plain id.</exception>
    /// <exception cref="UsageApiException">The API answered with an error, or could not be reached.</exception>
    public virtual Task<IReadOnlyList<ProjectBalance>> GetBalancesAsync(string projectId, CancellationToken cancellationToken = default)
    {
        Ids.Check(projectId, nameof(projectId));
        return _pipeline.GetAsync("GetBalances", projectId, (api, ct) => api.ListBalancesAsync(projectId, ct),
            BodyReaders.ListOf(_pipeline.Json.BalancesBody, static b => b.Balances), cancellationToken);
    }

    /// <summary>Gets one balance. The answer may be the balance itself (the spec) or wrapped in <c>{"balance": …}</c>; both are read.</summary>
    /// <param name="projectId">The project id.</param>
    /// <param name="balanceId">The balance id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ArgumentException">An id is empty or not a plain id.</exception>
    /// <exception cref="UsageApiException">The API answered with an error, or could not be reached.</exception>
    public virtual Task<ProjectBalance> GetBalanceAsync(string projectId, string balanceId, CancellationToken cancellationToken = default)
    {
        Ids.Check(projectId, nameof(projectId));
        Ids.Check(balanceId, nameof(balanceId));
        return _pipeline.GetAsync("GetBalance", projectId, (api, ct) => api.GetBalanceAsync(projectId, balanceId, ct),
            BodyReaders.Unwrapping(_pipeline.Json.ProjectBalance, "balance", _pipeline.Options.MaxJsonDepth), cancellationToken);
    }

    /// <summary>Describes the client (its address; never a credential).</summary>
    public override string ToString() => $"UsageClient {{ BaseAddress = {_pipeline?.Options.BaseAddress} }}";
}
