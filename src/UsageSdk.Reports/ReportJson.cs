using System.Globalization;
using System.Text.Json;

namespace UsageSdk.Reports;

/// <summary>Writes a <see cref="UsageReport"/> as JSON by hand (no reflection; trimming and AOT safe).</summary>
internal static class ReportJson
{
    public static void Write(Utf8JsonWriter w, UsageReport r)
    {
        w.WriteStartObject();
        w.WriteString("source", r.Source == UsageReportSource.Requests ? "requests" : "breakdown");
        Time(w, "start", r.Start);
        Time(w, "end", r.End);
        Time(w, "first_request", r.FirstRequest);
        Time(w, "last_request", r.LastRequest);
        if (r.PriceSource is not null)
        {
            w.WriteString("price_source", r.PriceSource);
        }
        w.WritePropertyName("totals");
        Figures(w, r.Totals);
        w.WriteNumber("unsplit_model_usd", r.UnsplitModelUsd);
        w.WriteNumber("unsplit_model_requests", r.UnsplitModelRequests);
        if (r.PeakHour is { } peak)
        {
            w.WriteStartObject("peak_hour");
            Time(w, "start", peak.Start);
            w.WriteNumber("requests", peak.Figures.Requests);
            w.WriteEndObject();
        }
        if (r.PeakHourOfDay is { } phod)
        {
            w.WriteNumber("peak_hour_of_day", phod);
        }
        w.WriteStartObject("groups");
        foreach (var d in Enum.GetValues<UsageReportDimension>())
        {
            w.WriteStartArray(DimensionName(d));
            foreach (var g in r.GetGroups(d))
            {
                Figures(w, g.Figures, g);
            }
            w.WriteEndArray();
        }
        w.WriteEndObject();
        // Which columns of each dimension's rows add up to more than the totals, and why.
        w.WriteStartObject("group_overlaps");
        foreach (var d in Enum.GetValues<UsageReportDimension>())
        {
            var metrics = r.GetOverlappingMetrics(d);
            if (metrics.Count == 0)
            {
                continue;
            }
            w.WriteStartObject(DimensionName(d));
            w.WriteStartArray("metrics");
            foreach (var m in metrics)
            {
                w.WriteStringValue(MetricName(m));
            }
            w.WriteEndArray();
            w.WriteString("note", r.GetOverlapNote(d));
            w.WriteEndObject();
        }
        w.WriteEndObject();
        Buckets(w, "hourly", r.Hourly);
        Buckets(w, "daily", r.Daily);
        w.WriteStartArray("hour_of_day");
        for (var h = 0; h < r.HourOfDay.Count; h++)
        {
            Figures(w, r.HourOfDay[h], hour: h);
        }
        w.WriteEndArray();
        w.WriteNumber("spike_threshold", r.SpikeThreshold);
        w.WriteStartArray("spike_baselines");
        foreach (var b in r.SpikeBaselines)
        {
            w.WriteStartObject();
            w.WriteString("metric", MetricName(b.Metric));
            w.WriteNumber("median", b.Median);
            w.WriteNumber("mad", b.Mad);
            w.WriteNumber("scale", b.Scale);
            w.WriteNumber("threshold", b.Threshold);
            w.WriteNumber("hours", b.Hours);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("spikes");
        foreach (var s in r.Spikes)
        {
            w.WriteStartObject();
            Time(w, "hour", s.Hour);
            w.WriteString("metric", MetricName(s.Metric));
            w.WriteNumber("value", s.Value);
            w.WriteNumber("median", s.Median);
            w.WriteNumber("threshold", s.Threshold);
            w.WriteNumber("score", Math.Round(s.Score, 2));
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("budget_breaches");
        foreach (var b in r.BudgetBreaches)
        {
            w.WriteStartObject();
            w.WriteString("budget", b.Budget.ToString());
            w.WriteString("metric", b.Metric == UsageReportMetric.Tokens ? "tokens" : "usd");
            if (b.Day is { } day)
            {
                w.WriteString("day", day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            }
            if (b.ApiKey is not null)
            {
                w.WriteString("api_key", b.ApiKey);
                if (r.Names.KeyName(b.ApiKey) is { } keyName)
                {
                    w.WriteString("api_key_name", keyName);
                }
            }
            w.WriteNumber("limit", b.Limit);
            w.WriteNumber("actual", b.Actual);
            w.WriteBoolean("includes_estimate", b.IncludesEstimate);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    internal static string DimensionName(UsageReportDimension d) => d switch
    {
        UsageReportDimension.ApiKey => "api_key",
        UsageReportDimension.Model => "model",
        UsageReportDimension.Tag => "tag",
        UsageReportDimension.Method => "method",
        UsageReportDimension.Endpoint => "endpoint",
        UsageReportDimension.Deployment => "deployment",
        _ => d.ToString().ToLowerInvariant(),
    };

    internal static string MetricName(UsageReportMetric m) => m switch
    {
        UsageReportMetric.Requests => "requests",
        UsageReportMetric.Tokens => "tokens",
        UsageReportMetric.TokensIn => "tokens_in",
        UsageReportMetric.TokensOut => "tokens_out",
        UsageReportMetric.BilledUsd => "billed_usd",
        UsageReportMetric.EstimatedUsd => "estimated_usd",
        UsageReportMetric.AudioHours => "audio_hours",
        UsageReportMetric.TtsCharacters => "tts_characters",
        UsageReportMetric.Errors => "errors",
        _ => m.ToString().ToLowerInvariant(),
    };

    private static void Buckets(Utf8JsonWriter w, string name, IReadOnlyList<UsageTimeBucket> buckets)
    {
        w.WriteStartArray(name);
        foreach (var b in buckets)
        {
            Figures(w, b.Figures, start: b.Start);
        }
        w.WriteEndArray();
    }

    private static void Figures(Utf8JsonWriter w, UsageFigures f, UsageReportGroup? group = null, DateTimeOffset? start = null, int? hour = null)
    {
        w.WriteStartObject();
        if (group is not null)
        {
            if (group.Key is null)
            {
                w.WriteNull("key");
            }
            else
            {
                w.WriteString("key", group.Key);
            }
            w.WriteString("name", group.Name);
            if (group.Dimension == UsageReportDimension.Model)
            {
                w.WriteNumber("unsplit_usd", group.UnsplitUsd);
                if (group.SuppliedUsd is { } supplied)
                {
                    w.WriteNumber("supplied_usd", supplied);
                }
            }
        }
        if (start is not null)
        {
            Time(w, "start", start);
        }
        if (hour is not null)
        {
            w.WriteNumber("hour", hour.Value);
        }
        w.WriteNumber("requests", f.Requests);
        w.WriteNumber("tokens_in", f.TokensIn);
        w.WriteNumber("tokens_out", f.TokensOut);
        w.WriteNumber("tokens_total", f.TokensTotal);
        w.WriteNumber("requests_with_tokens", f.RequestsWithTokens);
        w.WriteNumber("audio_hours", Math.Round(f.AudioHours, 6));
        w.WriteNumber("tts_characters", f.TtsCharacters);
        w.WriteNumber("billed_usd", f.BilledUsd);
        w.WriteNumber("billed_requests", f.BilledRequests);
        w.WriteNumber("requests_without_usd", f.RequestsWithoutUsd);
        w.WriteNumber("estimated_usd", f.EstimatedUsd);
        w.WriteNumber("estimated_requests", f.EstimatedRequests);
        w.WriteNumber("unpriced_requests", f.UnpricedRequests);
        w.WriteStartObject("states");
        w.WriteNumber("success", f.States.Success);
        w.WriteNumber("error", f.States.Error);
        w.WriteNumber("pending", f.States.Pending);
        w.WriteNumber("unknown", f.States.Unknown);
        w.WriteNumber("lost", f.States.Lost);
        w.WriteEndObject();
        w.WriteNumber("error_rate", Math.Round(f.ErrorRate, 6));
        w.WriteNumber("tokens_per_request", Math.Round(f.TokensPerRequest, 6));
        if (f.OutputInputRatio is { } ratio)
        {
            w.WriteNumber("output_input_ratio", Math.Round(ratio, 6));
        }
        else
        {
            w.WriteNull("output_input_ratio");
        }
        Money(w, "billed_usd_per_1000_requests", f.BilledUsdPer1000Requests);
        Money(w, "estimated_usd_per_1000_requests", f.EstimatedUsdPer1000Requests);
        w.WriteEndObject();
    }

    private static void Money(Utf8JsonWriter w, string name, decimal? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, Math.Round(v, 10));
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static void Time(Utf8JsonWriter w, string name, DateTimeOffset? value)
    {
        if (value is { } v)
        {
            w.WriteString(name, v.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture));
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
