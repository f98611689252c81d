using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace UsageSdk.Tests.Infrastructure;

/// <summary>
/// Listens to the SDK's ActivitySource and Meter for one test. Tests run in parallel, so everything is filtered by the
/// test's own project id (a tag on every activity and measurement).
/// </summary>
public sealed class TelemetryCapture : IDisposable
{
    private readonly string _projectId;
    private readonly ActivityListener _activities;
    private readonly MeterListener _meters;
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ConcurrentQueue<Measurement> _measurements = new();

    public sealed record Measurement(string Instrument, double Value, IReadOnlyDictionary<string, object?> Tags);

    public TelemetryCapture(string projectId)
    {
        _projectId = projectId;
        _activities = new ActivityListener
        {
            ShouldListenTo = s => s.Name == UsageClientDiagnostics.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                if (Equals(a.GetTagItem("usage.project_id"), _projectId))
                {
                    _stopped.Enqueue(a);
                }
            },
        };
        ActivitySource.AddActivityListener(_activities);

        _meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == UsageClientDiagnostics.MeterName)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _meters.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _meters.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _meters.Start();
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var dict = new Dictionary<string, object?>();
        foreach (var t in tags)
        {
            dict[t.Key] = t.Value;
        }
        if (dict.TryGetValue("usage.project_id", out var p) && Equals(p, _projectId))
        {
            _measurements.Enqueue(new Measurement(instrument.Name, value, dict));
        }
    }

    public IReadOnlyList<Activity> Activities => [.. _stopped];

    public IReadOnlyList<Measurement> Measurements(string instrument) => [.. _measurements.Where(m => m.Instrument == instrument)];

    public double Sum(string instrument) => Measurements(instrument).Sum(m => m.Value);

    /// <summary>Every string the telemetry of this test carried: tag values, event tags, status descriptions, names.</summary>
    public IEnumerable<string> AllText()
    {
        foreach (var a in _stopped)
        {
            yield return a.DisplayName;
            yield return a.StatusDescription ?? "";
            foreach (var t in a.TagObjects)
            {
                yield return t.Key + "=" + t.Value;
            }
            foreach (var e in a.Events)
            {
                foreach (var t in e.Tags)
                {
                    yield return t.Key + "=" + t.Value;
                }
            }
        }
        foreach (var m in _measurements)
        {
            foreach (var t in m.Tags)
            {
                yield return t.Key + "=" + t.Value;
            }
        }
    }

    public void Dispose()
    {
        _activities.Dispose();
        _meters.Dispose();
    }
}
