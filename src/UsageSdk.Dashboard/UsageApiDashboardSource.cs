using UsageSdk.Reports;

namespace UsageSdk.Dashboard;

/// <summary>
/// The live API as a dashboard source: each view reads the request logs of its range with
/// <see cref="UsageClient.GetRequestsAsync"/> (every page, one pass) and builds the reports from them, with the model
/// names of <see cref="UsageClient.GetFieldsAsync"/>, and the invoiced cost from
/// <see cref="UsageClient.GetBillingBreakdownAsync"/> (the whole UTC days of the range; the key, deployment and tag
/// filters; none with a model, method or endpoint filter, which billing cannot apply). The API keeps request logs for 90 days, so the part of a range
/// before that is not read (the page says so; an archive answers for older ranges). For demos, give it a client over
/// <c>FakeUsageApi</c> (<c>fake.CreateClient()</c>). The API key stays inside the client: nothing of it reaches the page.
/// </summary>
public sealed class UsageApiDashboardSource : IUsageDashboardSource
{
    /// <summary>How far back the API keeps request logs.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(90);

    private readonly Func<UsageClient> _client;
    private readonly IReadOnlyList<UsageDashboardProject> _projects;

    /// <summary>Creates a source over one client (for example <c>new UsageClient(key)</c>, or <c>fake.CreateClient()</c>), shared by every view.</summary>
    /// <param name="client">The client.</param>
    /// <param name="projects">The projects to offer (at least one).</param>
    /// <exception cref="ArgumentException">No project is given.</exception>
    public UsageApiDashboardSource(UsageClient client, IEnumerable<UsageDashboardProject> projects)
        : this(() => client, projects)
    {
        ArgumentNullException.ThrowIfNull(client);
    }

    /// <summary>
    /// Creates a source that asks <paramref name="clientFactory"/> for a client per view, for example
    /// <c>() =&gt; factory.CreateClient("")</c> with the <see cref="IUsageClientFactory"/> of <c>AddUsageClient</c>.
    /// </summary>
    /// <param name="clientFactory">Makes a client.</param>
    /// <param name="projects">The projects to offer (at least one).</param>
    /// <exception cref="ArgumentException">No project is given.</exception>
    public UsageApiDashboardSource(Func<UsageClient> clientFactory, IEnumerable<UsageDashboardProject> projects)
    {
        ArgumentNullException.ThrowIfNull(clientFactory);
        ArgumentNullException.ThrowIfNull(projects);
        _client = clientFactory;
        _projects = projects.ToList();
        if (_projects.Count == 0)
        {
            throw new ArgumentException("Give at least one project id for the dashboard to show.", nameof(projects));
        }
    }

    /// <summary>Shown on the page: <c>live API</c> (default) or, for example, <c>demo API (FakeUsageApi)</c>.</summary>
    public string Description { get; init; } = "live API";

    /// <summary>Read model names from <c>/usage/fields</c> for each view (default true).</summary>
    public bool ReadModelNames { get; init; } = true;

    /// <inheritdoc />
    public Task<IReadOnlyList<UsageDashboardProject>> GetProjectsAsync(CancellationToken cancellationToken = default)
        => Task.FromResult(_projects);

    /// <inheritdoc />
    public async Task<UsageDashboardData> LoadAsync(UsageDashboardQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var client = _client();
        var availableFrom = query.Now - Retention;
        var start = query.Start < availableFrom ? availableFrom : query.Start;
        var end = query.End > query.Now ? query.Now : query.End;
        string? note = null;
        if (query.Start < availableFrom)
        {
            note = query.End <= availableFrom
                ? $"The API keeps request logs for 90 days (since {availableFrom:yyyy-MM-dd HH:mm} UTC); this range is older. An archive (usage archive sync) keeps older logs."
                : $"The API keeps request logs for 90 days: the part of this range before {availableFrom:yyyy-MM-dd HH:mm} UTC is not available from it.";
        }

        var options = query.ReportOptions;
        if (ReadModelNames)
        {
            await AddModelNamesAsync(client, query, options, cancellationToken).ConfigureAwait(false);
        }
        var withNames = new UsageDashboardQuery(query.ProjectId, query.Start, query.End, query.Now, query.Filters, options);

        var accessors = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var requests = end > start
            ? client.GetRequestsAsync(query.ProjectId, new RequestsQuery().Between(start, end).WithPageSize(RequestsQuery.MaxPageSize), cancellationToken)
            : Empty();
        var reports = await withNames.BuildDataAsync(NoteAccessors(requests, query.Filters.ApiKeys, accessors), cancellationToken).ConfigureAwait(false);
        var (invoiced, invoicedNote) = await ReadInvoicedAsync(client, query, accessors, cancellationToken).ConfigureAwait(false);
        return new UsageDashboardData(reports.Report, reports.Unfiltered)
        {
            AvailableFrom = availableFrom,
            Note = note,
            InvoicedUsd = invoiced,
            InvoicedNote = invoicedNote,
        };
    }

    /// <summary>
    /// The invoiced cost of a view: the dollars of <c>/billing/breakdown</c> over the whole UTC days the range covers,
    /// with the key (as its accessor), deployment and tag filters. Null, with the reason, when billing cannot answer
    /// for the view's filters or the key may not read billing; an error of the billing API never fails the page.
    /// </summary>
    private static async Task<(decimal? Usd, string Note)> ReadInvoicedAsync(UsageClient client, UsageDashboardQuery query, Dictionary<string, string> accessors, CancellationToken cancellationToken)
    {
        var f = query.Filters;
        if (f.Models.Count > 0 || f.Methods.Count > 0 || f.Endpoints.Count > 0)
        {
            return (null, "Not shown for this view: the billing API cannot filter by model/method/endpoint (remove those filters to see the invoiced cost).");
        }
        if (f.ApiKeys.Count > 1 || f.Deployments.Count > 1 || f.Tags.Count > 1)
        {
            return (null, "Not shown for this view: the billing API takes one value per filter (key, deployment, tag).");
        }
        var first = DateOnly.FromDateTime(query.Start.UtcDateTime);
        var last = DateOnly.FromDateTime(query.End.AddTicks(-1).UtcDateTime);
        var today = DateOnly.FromDateTime(query.Now.UtcDateTime);
        if (first > today)
        {
            return (null, "This range is in the future: nothing is billed yet.");
        }
        if (last > today)
        {
            last = today;
        }
        var billing = new BillingQuery().Between(first, last);
        string? accessorNote = null;
        if (f.ApiKeys.Count == 1)
        {
            var key = f.ApiKeys[0];
            if (accessors.TryGetValue(key, out var accessor))
            {
                billing = billing.WithAccessor(accessor);
            }
            else
            {
                billing = billing.WithAccessor(key);
                accessorNote = $" No request log of the range names the accessor of key {key}: it is sent as the accessor.";
            }
        }
        if (f.Deployments.Count == 1)
        {
            billing = billing.WithDeployment(new Deployment(f.Deployments[0]));
        }
        if (f.Tags.Count == 1)
        {
            billing = billing.WithTag(f.Tags[0]);
        }
        try
        {
            var breakdown = await client.GetBillingBreakdownAsync(query.ProjectId, billing, cancellationToken).ConfigureAwait(false);
            var days = first == last ? $"{first:yyyy-MM-dd}" : $"{first:yyyy-MM-dd} to {last:yyyy-MM-dd}";
            var whole = query.Start.TimeOfDay != TimeSpan.Zero || query.End.TimeOfDay != TimeSpan.Zero
                ? " The billing API counts whole UTC days: this range does not start or end at midnight UTC, so the figure covers the whole days it touches."
                : "";
            return (breakdown.TotalDollars, $"Billing breakdown, {days} (UTC days)" + (f.ApiKeys.Count + f.Deployments.Count + f.Tags.Count > 0 ? ", filtered." : ".") + whole + accessorNote);
        }
        catch (UsageApiException e) when (e.Status is 401 or 403)
        {
            return (null, "This key cannot read billing (the billing API needs an owner or admin key).");
        }
        catch (UsageApiException e)
        {
            return (null, e.Status > 0
                ? $"The billing API did not answer (HTTP {e.Status}); the rest of the page is from the request logs."
                : "The billing API could not be reached; the rest of the page is from the request logs.");
        }
    }

    // Passes the logs through, noting the accessor of each filtered key (the billing API filters by accessor, the
    // dashboard by api_key_id).
    private static async IAsyncEnumerable<UsageRequest> NoteAccessors(IAsyncEnumerable<UsageRequest> requests, IList<string> keys, Dictionary<string, string> accessors)
    {
        await foreach (var r in requests.ConfigureAwait(false))
        {
            if (keys.Count > 0 && !string.IsNullOrEmpty(r.Accessor))
            {
                if (!string.IsNullOrEmpty(r.ApiKeyId))
                {
                    accessors.TryAdd(r.ApiKeyId, r.Accessor);
                }
                accessors.TryAdd(r.Accessor, r.Accessor);
            }
            yield return r;
        }
    }

    private static async Task AddModelNamesAsync(UsageClient client, UsageDashboardQuery query, UsageReportOptions options, CancellationToken cancellationToken)
    {
        try
        {
            var fields = await client.GetFieldsAsync(query.ProjectId, DateOnly.FromDateTime(query.Start.UtcDateTime), DateOnly.FromDateTime(query.End.AddTicks(-1).UtcDateTime), cancellationToken).ConfigureAwait(false);
            foreach (var m in fields.Models)
            {
                if (!string.IsNullOrEmpty(m.ModelId) && !string.IsNullOrEmpty(m.Name) && !options.Names.Models.ContainsKey(m.ModelId))
                {
                    options.Names.Models[m.ModelId] = m.Name;
                }
            }
        }
        catch (UsageApiException)
        {
            // Names are a nicety: the tables show model ids when /usage/fields is not available or not allowed (a key
            // that may read nothing fails at the request listing, with its own message).
        }
        try
        {
            foreach (var key in await client.GetKeysAsync(query.ProjectId, cancellationToken).ConfigureAwait(false))
            {
                if (!string.IsNullOrEmpty(key.ApiKeyId) && !string.IsNullOrWhiteSpace(key.Comment) && !options.Names.Keys.ContainsKey(key.ApiKeyId))
                {
                    options.Names.Keys[key.ApiKeyId] = key.Comment; // names given in the options win
                }
            }
        }
        catch (UsageApiException)
        {
            // A key that may not list keys (401/403: a scoped key), or a failed call: the tables show key ids.
        }
    }

#pragma warning disable CS1998 // an empty stream
    private static async IAsyncEnumerable<UsageRequest> Empty()
    {
        yield break;
    }
#pragma warning restore CS1998
}
