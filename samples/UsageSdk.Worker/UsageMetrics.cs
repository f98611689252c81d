using System.Diagnostics.Metrics;
using UsageSdk.Reports;

namespace UsageSdk.Worker;

/// <summary>
/// The synced usage as OpenTelemetry metrics (meter <c>UsageSdk.Archive</c>). Gauges carry the usage of the last
/// <see cref="ArchiveWorkerOptions.MetricsWindow"/> per project and per API key, model and tag, recomputed from the
/// archive after each sync, so re-read logs never count twice. Their attributes: <c>usage.project</c> (the id),
/// <c>usage.project_name</c> (its name, else the id), <c>usage.dimension</c> = total|api_key|model|tag,
/// <c>usage.key</c> (the api_key_id, model UUID or tag as the API sends it) and <c>usage.name</c> (the key's or model's
/// name from the API or the names file, else the key). Counters and a histogram describe the syncs.
/// </summary>
public sealed class UsageMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "UsageSdk.Archive";

    private readonly Dictionary<string, IReadOnlyList<Row>> _byProject = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private readonly Counter<long> _syncs;
    private readonly Counter<long> _items;
    private readonly Counter<long> _added;
    private readonly Histogram<double> _duration;

    /// <summary>Creates the instruments on a meter from the host's <see cref="IMeterFactory"/>.</summary>
    public UsageMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableGauge("usage.requests", () => Observe(r => r.Requests), "{request}", "Requests in the metrics window.");
        meter.CreateObservableGauge("usage.tokens.input", () => Observe(r => r.TokensIn), "{token}", "LLM input tokens in the metrics window.");
        meter.CreateObservableGauge("usage.tokens.output", () => Observe(r => r.TokensOut), "{token}", "LLM output tokens in the metrics window.");
        meter.CreateObservableGauge("usage.audio.hours", () => Observe(r => r.AudioHours), null, "Audio hours (all channels) in the metrics window.");
        meter.CreateObservableGauge("usage.cost.usd", () => Observe(r => r.CostUsd), null, "Billed cost in US dollars in the metrics window.");
        _syncs = meter.CreateCounter<long>("usage.archive.syncs", "{sync}", "Archive syncs, by outcome (ok, error).");
        _items = meter.CreateCounter<long>("usage.archive.request_logs", "{request}", "Request logs written by syncs (new or updated in place).");
        _added = meter.CreateCounter<long>("usage.archive.request_logs.added", "{request}", "Request logs new to the archive.");
        _duration = meter.CreateHistogram<double>("usage.archive.sync.duration", "s", "Duration of archive syncs.");
    }

    /// <summary>Records a finished sync.</summary>
    public void RecordSync(Archive.ArchiveSyncResult result)
    {
        var project = new KeyValuePair<string, object?>("usage.project", result.ProjectId);
        _syncs.Add(1, project, new("usage.outcome", "ok"));
        _items.Add(result.Items, project);
        _added.Add(result.Added, project);
        _duration.Record(result.Elapsed.TotalSeconds, project);
    }

    /// <summary>Records a failed sync.</summary>
    public void RecordFailure(string projectId) => _syncs.Add(1, new("usage.project", projectId), new("usage.outcome", "error"));

    /// <summary>Replaces the published usage of a project with the figures of a report (its groups carry the names).</summary>
    public void Publish(WorkerProject project, UsageReport report)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(report);
        var (id, name) = (project.ProjectId, project.DisplayName);
        var rows = new List<Row> { Row.Of(id, name, "total", null, "total", report.Totals) };
        rows.AddRange(report.ByApiKey.Select(g => Row.Of(id, name, "api_key", g.Key, g.Name, g.Figures)));
        rows.AddRange(report.ByModel.Select(g => Row.Of(id, name, "model", g.Key, g.Name, g.Figures)));
        rows.AddRange(report.ByTag.Select(g => Row.Of(id, name, "tag", g.Key, g.Name, g.Figures)));
        lock (_gate)
        {
            _byProject[id] = rows;
        }
    }

    /// <summary>The published rows (for logs and tests).</summary>
    public IReadOnlyList<Row> Snapshot()
    {
        lock (_gate)
        {
            return _byProject.Values.SelectMany(r => r).ToList();
        }
    }

    private IEnumerable<Measurement<double>> Observe(Func<Row, double> value)
        => Snapshot().Select(r => new Measurement<double>(value(r),
            new KeyValuePair<string, object?>("usage.project", r.Project),
            new KeyValuePair<string, object?>("usage.project_name", r.ProjectName),
            new KeyValuePair<string, object?>("usage.dimension", r.Dimension),
            new KeyValuePair<string, object?>("usage.key", r.Key ?? "(none)"),
            new KeyValuePair<string, object?>("usage.name", r.Name)));

    /// <summary>One published series.</summary>
    public sealed record Row(string Project, string ProjectName, string Dimension, string? Key, string Name, double Requests, double TokensIn, double TokensOut, double AudioHours, double CostUsd)
    {
        internal static Row Of(string project, string projectName, string dimension, string? key, string name, UsageFigures f)
            => new(project, projectName, dimension, key, name, f.Requests, f.TokensIn, f.TokensOut, f.AudioHours, (double)f.BilledUsd);
    }
}
