namespace UsageSdk.Worker;

/// <summary>The <c>Archive</c> section of appsettings.json.</summary>
public sealed class ArchiveWorkerOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Archive";

    /// <summary>The archive: a SQLite file path, or a PostgreSQL URL / connection string (default <c>usage.db</c>).</summary>
    public string Database { get; set; } = "usage.db";

    /// <summary>The projects to archive (with <see cref="Demo"/>, none given and no <see cref="AllProjects"/>: the demo project).</summary>
    public List<string> Projects { get; set; } = [];

    /// <summary>
    /// Also archive every project the API key can read (<c>GET /v1/projects</c>, listed again each cycle, so a new
    /// project joins at the next cycle), next to those in <see cref="Projects"/>. Also set by <c>--all-projects</c>.
    /// </summary>
    public bool AllProjects { get; set; }

    /// <summary>
    /// A names file (<c>{"keys": {"api_key_id or accessor": "name"}, "models": {"model uuid": "name"}}</c>) whose names the
    /// metrics carry; they win over the names the API gives (a key's <c>comment</c> from <c>GET /keys</c>, a model's name
    /// from <c>GET /models</c>). Ids without a name are published as the ids. Null for none.
    /// </summary>
    public string? Names { get; set; }

    /// <summary>Time between two syncs (default 15 minutes). The server keeps 90 days, so anything under that loses nothing.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How far back each sync re-reads (default 48 hours), so pending requests and late cost are updated in place.</summary>
    public TimeSpan TrailingWindow { get; set; } = TimeSpan.FromHours(48);

    /// <summary>Also store the daily usage summary and breakdowns (default true).</summary>
    public bool SyncUsage { get; set; } = true;

    /// <summary>The stretch the published usage metrics cover, ending now (default 24 hours).</summary>
    public TimeSpan MetricsWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Run one cycle and stop (for cron and tests).</summary>
    public bool RunOnce { get; set; }

    /// <summary>Sync from the built-in demo API (FakeUsageApi): no key, no network. Also set by <c>--demo</c>.</summary>
    public bool Demo { get; set; }
}

/// <summary>The <c>Telemetry</c> section: where the metrics and traces go.</summary>
public sealed class TelemetryOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Telemetry";

    /// <summary><c>prometheus</c> (a scrape endpoint, the default), <c>otlp</c> (metrics and traces to a collector) or <c>none</c>.</summary>
    public string Exporter { get; set; } = "prometheus";

    /// <summary>The host the Prometheus scrape endpoint listens on (default <c>localhost</c>).</summary>
    public string PrometheusHost { get; set; } = "localhost";

    /// <summary>The port of the Prometheus scrape endpoint (default 9464; metrics at <c>/metrics</c>).</summary>
    public int PrometheusPort { get; set; } = 9464;

    /// <summary>The OTLP endpoint (default: the exporter's, <c>http://localhost:4317</c>, or <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>).</summary>
    public string? OtlpEndpoint { get; set; }
}
