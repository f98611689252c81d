using System.Net.Http.Headers;
using System.Runtime.CompilerServices;

namespace UsageSdk.Testing;

/// <summary>
/// An in-memory Deepgram Usage API behind an <see cref="HttpMessageHandler"/>: use it as
/// <see cref="UsageClientOptions.Transport"/> (see <see cref="CreateClient"/>), or in an <see cref="HttpClient"/>.
/// It serves the five usage endpoints and the cost half (projects, keys, models, billing, balances) with the server's semantics, over data made by a seeded generator
/// (<see cref="Requests"/> exposes it so tests can compute expected values). Thread-safe.
/// </summary>
/// <remarks>
/// <para>What it implements (from the API notes):</para>
/// <list type="bullet">
/// <item><c>GET /v1/projects/{id}/requests</c>: newest first, zero-based <c>page</c>, <c>limit</c> default 10 and 1 to
/// 1000 (otherwise 400), <c>start</c>/<c>end</c> as <c>YYYY-MM-DD</c> (a date-only end covers its whole day) or a
/// date-time (UTC without a zone; a <c>+</c> not encoded as <c>%2B</c> reads as a space and fails), filters
/// <c>accessor</c>, <c>request_id</c>, <c>deployment</c>, <c>endpoint</c>, <c>method</c> (repeated keys are ORed) and
/// <c>status</c> (<c>succeeded</c> = code &lt; 300, <c>failed</c> = code ≥ 400). Logs older than 90 days are not served.</item>
/// <item><c>GET …/requests/{request_id}</c>: the flat request object (or wrapped in <c>{"request": …}</c> with
/// <see cref="WrapSingleRequest"/>), 404 when unknown.</item>
/// <item><c>GET …/usage</c> and <c>…/usage/breakdown</c>: days <c>start</c> to <c>end</c> (<c>YYYY-MM-DD</c>, default the
/// first request's day to today), filters <c>accessor</c>, <c>tag</c>, <c>model</c>, <c>method</c>, <c>deployment</c>,
/// <c>endpoint</c> (repeated keys ORed), and every other key is a feature filter (<c>true</c> filters ORed, <c>false</c>
/// filters ANDed). Only requests with <c>response.details</c> count. <c>hours</c> is the <c>duration</c> of non-agent
/// requests, <c>agent_hours</c> that of agent requests, <c>total_hours</c> the <c>total_audio</c> of all, in hours.
/// The summary has one result per day; the breakdown one per day, or per day and group with <c>grouping</c>
/// (<c>accessor</c>, <c>endpoint</c>, <c>feature_set</c>, <c>models</c>/<c>model</c>, <c>method</c>, <c>tags</c>/<c>tag</c>, <c>deployment</c>).</item>
/// <item><c>GET …/usage/fields</c>: tags, models, processing methods, languages and features seen in the range.</item>
/// <item><c>GET /v1/projects</c> and <c>/v1/projects/{id}</c>: the projects (<see cref="Projects"/>) with their names.</item>
/// <item><c>GET …/keys</c>: the project's <see cref="FakeProject.ApiKeys"/>, <c>comment</c> = <see cref="FakeApiKey.Name"/>
/// (never a secret); <c>status=expired</c> lists none.</item>
/// <item><c>GET …/models</c>: the speech-to-text and text-to-speech <see cref="Models"/> (<c>uuid</c> = <see cref="FakeModel.ModelId"/>,
/// <c>canonical_name</c> = <see cref="FakeModel.Name"/>); <c>include_outdated=true</c> adds older versions no request uses.
/// Text-intelligence and agent models are not listed there (the API lists only <c>stt</c> and <c>tts</c>): <c>/usage/fields</c> names them.</item>
/// <item><c>GET …/billing/breakdown</c>: dollars per day, the sum of the <c>usd</c> of the project's request logs that
/// day (all of them, not only the 90 days <c>/requests</c> serves), with filters <c>start</c>, <c>end</c>, <c>accessor</c>,
/// <c>deployment</c>, <c>tag</c> (requests carrying it), <c>line_item</c> and repeated <c>grouping</c> keys
/// (<c>accessor</c>, <c>deployment</c>, <c>line_item</c>, <c>tags</c>: one row per day and combination). A request's line
/// item is <see cref="LineItemOf"/>. <c>…/billing/fields</c> lists the accessors, deployments, tags and line items (with
/// descriptions) billed in the range.</item>
/// <item><c>GET …/balances</c> and <c>…/balances/{id}</c>: one balance per project: a credit in <c>usd</c> less the cost
/// of its logs ($200 to $300 left), or for a contract project a balance in <c>hour</c>.</item>
/// <item>Errors: missing or malformed <c>Authorization</c> → 401, a project id that is not a UUID → 404 text/plain,
/// an unknown project → 404, bad parameters → 400; bodies in the shape of <see cref="ErrorShape"/>. Every response has a
/// <c>dg-request-id</c> header.</item>
/// </list>
/// </remarks>
public sealed partial class FakeUsageApi : HttpMessageHandler
{
    /// <summary>The id of the main generated project, used by the CLI's <c>--demo</c>.</summary>
    public const string DemoProjectId = "5d1e8a34-6f0b-4c2e-9b7d-3a4c5e6f7a8b";

    /// <summary>The seed the CLI's <c>--demo</c> uses.</summary>
    public const int DemoSeed = 2025;

    /// <summary>The API key <see cref="CreateClient"/> sends.</summary>
    public const string DefaultApiKey = "fake-usage-api-key";

    /// <summary>How many days of request logs <c>/requests</c> serves (the server keeps 90).</summary>
    public const int RetentionDays = 90;

    private readonly object _gate = new();
    private readonly Dictionary<string, ProjectData> _projects = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<FakeRecordedRequest> _recorded = [];
    private readonly ConditionalWeakTable<UsageRequest, byte[]> _wireCache = new();
    private readonly TimeProvider _time;
    private readonly IReadOnlyCollection<string>? _acceptedKeys;
    private readonly DateTimeOffset _dataStart;
    private long _requestCounter;

    /// <summary>Creates the API and generates its data (<see cref="FakeUsageApiOptions"/>; defaults: seed 42, 30 days, system clock).</summary>
    /// <param name="options">The options, or null for the defaults. They are read once.</param>
    public FakeUsageApi(FakeUsageApiOptions? options = null)
    {
        options ??= new FakeUsageApiOptions();
        ArgumentNullException.ThrowIfNull(options.TimeProvider, "options.TimeProvider");
        ArgumentOutOfRangeException.ThrowIfNegative(options.Days, "options.Days");
        ArgumentOutOfRangeException.ThrowIfNegative(options.RequestsPerDay, "options.RequestsPerDay");
        _time = options.TimeProvider;
        _acceptedKeys = options.AcceptedKeys?.ToArray();
        ErrorShape = options.ErrorShape;
        Seed = options.Seed;
        var now = _time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var first = options.Start ?? today.AddDays(-Math.Max(0, options.Days - 1));
        var from = new DateTimeOffset(first.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        _dataStart = from;
        var generator = new FakeDataGenerator(options.Seed);
        double[] scale = [1.0, 0.25, 0.5];
        var projects = generator.CreateProjects();
        // A project's request logs are generated when first read (a demo that reads one project does not pay for the
        // other two), always in project order from the one generator, so every project gets the same logs as if all
        // were generated here.
        var pending = new ProjectData[projects.Count];
        var generated = 0;
        var generation = new object();
        var none = options.Days == 0 && options.Start is null;
        var perDay = options.RequestsPerDay;
        for (var i = 0; i < projects.Count; i++)
        {
            var index = i;
            pending[i] = new ProjectData(projects[i], () =>
            {
                lock (generation)
                {
                    for (; generated <= index; generated++)
                    {
                        var p = pending[generated];
                        var requests = none ? [] : generator.Generate(p.Project, perDay * scale[generated], from, now);
                        p.SetGenerated(Sort(requests));
                    }
                }
            });
            _projects[projects[i].ProjectId] = pending[i];
        }
        Faults = new FakeFaults();
    }

    /// <summary>The address <see cref="CreateClient"/> uses (a reserved <c>.invalid</c> host: nothing leaves the process).</summary>
    public static Uri BaseAddress { get; } = new("https://fake-usage-api.invalid");

    /// <summary>The generator's seed.</summary>
    public int Seed { get; }

    /// <summary>The clock.</summary>
    public TimeProvider TimeProvider => _time;

    /// <summary>The shape of error bodies; can be changed at any time.</summary>
    public FakeErrorShape ErrorShape { get; set; }

    /// <summary>When true, <c>GET …/requests/{id}</c> answers <c>{"request": …}</c> (the vendor spec's shape) instead of the flat object.</summary>
    public bool WrapSingleRequest { get; set; }

    /// <summary>Fault injection: error statuses, rate limits, latency, truncated bodies, connection resets.</summary>
    public FakeFaults Faults { get; }

    /// <summary>The projects (three are generated: a busy one, <see cref="DemoProjectId"/>; a quiet staging one; a contract one without cost).</summary>
    public IReadOnlyList<FakeProject> Projects
    {
        get { lock (_gate) { return _projects.Values.Select(p => p.Project).ToList(); } }
    }

    /// <summary>The models the generator uses (with their UUIDs, names, languages and versions).</summary>
    public IReadOnlyList<FakeModel> Models => FakeDataGenerator.Models;

    /// <summary>Every request log of every project, newest first (including those older than the 90 days <c>/requests</c> serves).</summary>
    public IReadOnlyList<UsageRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return _projects.Values.SelectMany(p => p.Requests).OrderByDescending(r => r.Created).ThenBy(r => r.RequestId, StringComparer.Ordinal).ToList();
            }
        }
    }

    /// <summary>The request logs of one project, newest first.</summary>
    /// <param name="projectId">The project id.</param>
    /// <exception cref="KeyNotFoundException">The project does not exist.</exception>
    public IReadOnlyList<UsageRequest> GetRequests(string projectId) => GetProject(projectId).Requests;

    /// <summary>The requests received so far, oldest first.</summary>
    public IReadOnlyList<FakeRecordedRequest> RecordedRequests
    {
        get { lock (_recorded) { return _recorded.ToList(); } }
    }

    /// <summary>Forgets the recorded requests.</summary>
    public void ClearRecordedRequests()
    {
        lock (_recorded)
        {
            _recorded.Clear();
        }
    }

    /// <summary>Adds a project without requests (or returns the existing one).</summary>
    /// <param name="projectId">The project id (a UUID, or the API answers 404).</param>
    /// <param name="name">A display name.</param>
    /// <param name="isContract">True for a contract project.</param>
    public FakeProject AddProject(string projectId, string? name = null, bool isContract = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(projectId);
        lock (_gate)
        {
            if (!_projects.TryGetValue(projectId, out var data))
            {
                data = new ProjectData(new FakeProject(projectId, name ?? projectId, isContract), []);
                _projects[projectId] = data;
            }
            return data.Project;
        }
    }

    /// <summary>
    /// Adds request logs (build them with <see cref="UsageModelFactory"/>). Each goes to the project named by its
    /// <see cref="UsageRequest.ProjectId"/> (created when missing); one with the id of an existing request replaces it.
    /// </summary>
    /// <param name="requests">The requests; each needs a request id and a project id.</param>
    public void AddRequests(params IEnumerable<UsageRequest> requests)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var list = requests.ToList();
        foreach (var r in list)
        {
            ArgumentNullException.ThrowIfNull(r, nameof(requests));
            if (string.IsNullOrEmpty(r.RequestId) || string.IsNullOrEmpty(r.ProjectId))
            {
                throw new ArgumentException("Every request needs a RequestId and a ProjectId.", nameof(requests));
            }
        }
        lock (_gate)
        {
            foreach (var group in list.GroupBy(r => r.ProjectId!, StringComparer.OrdinalIgnoreCase))
            {
                var project = AddProject(group.Key);
                var data = _projects[project.ProjectId];
                var ids = group.Select(r => r.RequestId!).ToHashSet(StringComparer.Ordinal);
                data.Requests = Sort(data.Requests.Where(r => !ids.Contains(r.RequestId!)).Concat(group.Reverse().DistinctBy(r => r.RequestId, StringComparer.Ordinal)));
            }
        }
    }

    /// <summary>Replaces every request log of a project (created when missing).</summary>
    /// <param name="projectId">The project id.</param>
    /// <param name="requests">The new requests; their own project id is ignored.</param>
    public void ReplaceRequests(string projectId, IEnumerable<UsageRequest> requests)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var list = requests.ToList();
        lock (_gate)
        {
            var project = AddProject(projectId);
            _projects[project.ProjectId].Requests = Sort(list);
        }
    }

    /// <summary>Removes the request logs of one project, or of every project when <paramref name="projectId"/> is null.</summary>
    /// <param name="projectId">The project id, or null.</param>
    public void ClearRequests(string? projectId = null)
    {
        lock (_gate)
        {
            foreach (var p in _projects.Values.Where(p => projectId is null || string.Equals(p.Project.ProjectId, projectId, StringComparison.OrdinalIgnoreCase)))
            {
                p.Requests = [];
            }
        }
    }

    /// <summary>
    /// Creates a <see cref="UsageClient"/> that talks to this API (no network): <see cref="DefaultApiKey"/>,
    /// <see cref="BaseAddress"/>, this handler as <see cref="UsageClientOptions.Transport"/> and this API's clock.
    /// Retries keep their defaults; waits run on the clock, so with a fake clock set <c>Retry.MaxRetries = 0</c> or
    /// advance the clock when injecting faults.
    /// </summary>
    /// <param name="configure">Changes the options before the client is built (for example <c>o => o.Retry.MaxRetries = 0</c>).</param>
    public UsageClient CreateClient(Action<UsageClientOptions>? configure = null)
    {
        var options = new UsageClientOptions
        {
            ApiKey = DefaultApiKey,
            BaseAddress = BaseAddress,
            Transport = this,
            TimeProvider = _time,
        };
        configure?.Invoke(options);
        return new UsageClient(options);
    }

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var uri = request.RequestUri ?? throw new InvalidOperationException("The request has no URI.");
        if (!uri.IsAbsoluteUri)
        {
            uri = new Uri(BaseAddress, uri);
        }
        var record = Record(request, uri);
        var requestId = NextRequestId();
        HttpResponseMessage response;
        var latency = Faults.Latency;
        if (latency > TimeSpan.Zero)
        {
            await Task.Delay(latency, _time, cancellationToken).ConfigureAwait(false);
        }
        var fault = Faults.Next(record);
        if (fault is { Kind: FakeFaultKind.Delay })
        {
            await Task.Delay(fault.Delay, _time, cancellationToken).ConfigureAwait(false);
            fault = null;
        }
        if (fault is { Kind: FakeFaultKind.Status })
        {
            response = FaultResponse(fault, requestId);
        }
        else
        {
            response = Handle(request.Method, uri, request.Headers.Authorization, requestId);
            if (fault is not null && response.IsSuccessStatusCode)
            {
                response.Content = await BrokenContentAsync(response.Content, fault, cancellationToken).ConfigureAwait(false);
            }
        }
        response.RequestMessage = request;
        response.Headers.TryAddWithoutValidation("dg-request-id", requestId);
        record.StatusCode = (int)response.StatusCode;
        return response;
    }

    private FakeRecordedRequest Record(HttpRequestMessage request, Uri uri)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var h in request.Headers)
        {
            headers[h.Key] = h.Key.Equals("Authorization", StringComparison.OrdinalIgnoreCase)
                ? (request.Headers.Authorization?.Scheme ?? "") + " [redacted]"
                : string.Join(", ", h.Value);
        }
        var record = new FakeRecordedRequest(request.Method.Method, uri.AbsolutePath, uri.Query.TrimStart('?'), headers, _time.GetUtcNow());
        lock (_recorded)
        {
            _recorded.Add(record);
        }
        return record;
    }

    private string NextRequestId()
    {
        var n = Interlocked.Increment(ref _requestCounter);
        return $"00000000-0000-4000-8000-{n:x12}";
    }

    private static async Task<HttpContent> BrokenContentAsync(HttpContent original, FakeFault fault, CancellationToken cancellationToken)
    {
        var bytes = await original.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var keep = Math.Min(fault.Bytes, bytes.Length);
        HttpContent content = fault.Kind == FakeFaultKind.Truncate
            ? new ByteArrayContent(bytes, 0, keep)
            : new StreamContent(new ResettingStream(bytes, keep));
        content.Headers.ContentType = original.ContentTypeOrJson();
        return content;
    }

    /// <summary>A project and its request logs; <paramref name="generate"/> fills them in (<see cref="SetGenerated"/>) when they are first read.</summary>
    private sealed class ProjectData(FakeProject project, Action generate)
    {
        private UsageRequest[]? _requests;

        public FakeProject Project { get; } = project;

        public UsageRequest[] Requests
        {
            get
            {
                if (Volatile.Read(ref _requests) is null)
                {
                    generate();
                }
                return _requests!;
            }
            set
            {
                _ = Requests; // generated first, so a later generation never overwrites what is set here
                Volatile.Write(ref _requests, value);
            }
        }

        /// <summary>A project added with its logs (nothing to generate).</summary>
        public ProjectData(FakeProject project, UsageRequest[] requests)
            : this(project, static () => { }) => _requests = requests;

        /// <summary>Called by the generation (under its lock), once.</summary>
        public void SetGenerated(UsageRequest[] requests) => Volatile.Write(ref _requests, requests);
    }

    private ProjectData GetProject(string projectId)
    {
        lock (_gate)
        {
            return _projects.TryGetValue(projectId, out var p) ? p : throw new KeyNotFoundException($"No project '{projectId}'.");
        }
    }

    private static UsageRequest[] Sort(IEnumerable<UsageRequest> requests)
        => requests.OrderByDescending(r => r.Created).ThenBy(r => r.RequestId, StringComparer.Ordinal).ToArray();
}

internal static class HttpContentExtensions
{
    public static MediaTypeHeaderValue ContentTypeOrJson(this HttpContent content)
        => content.Headers.ContentType ?? new MediaTypeHeaderValue("application/json");
}
