using System.Globalization;
using UsageSdk.Testing;

namespace UsageSdk.Cli.Infrastructure;

/// <summary>What a source holds, to explain an empty result.</summary>
/// <param name="Covers">What it holds, in words (<c>the demo's data covers 2025-02-12 15:00 to 2025-03-14 14:59 UTC</c>).</param>
/// <param name="First">The oldest request log it holds (null: nothing).</param>
/// <param name="Last">The newest.</param>
/// <param name="Hint">What to try when the window misses it (for the demo: <c>try --since 7d</c>).</param>
internal sealed record DataSpan(string Covers, DateTimeOffset? First, DateTimeOffset? Last, string? Hint = null);

/// <summary>
/// The one line on stderr that says why a listing or report is empty: the window, the filters and what the source
/// holds (the demo's last 30 days, the archive's span, the API's 90 days of request logs). Stdout and the exit code (0)
/// stay as they are.
/// </summary>
internal static class EmptyNote
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Writes the note. <paramref name="days"/>: the window is whole UTC days (the /usage endpoints).</summary>
    public static void Write(CliRun run, string what, DateTimeOffset? from, DateTimeOffset? to, bool days, string filters, DataSpan? span = null)
    {
        span ??= Default(run, days);
        var text = $"no {what} {Window(from, to, days)}{(filters.Length > 0 ? " with " + filters : "")}";
        var reason = Reason(span, from, to, filters);
        run.Note(text + "; " + reason + ".");
    }

    /// <summary>The window as words: <c>from 2025-01-01 to 2025-01-07 (UTC days)</c>.</summary>
    public static string Window(DateTimeOffset? from, DateTimeOffset? to, bool days)
    {
        var unit = days ? " (UTC days)" : " UTC";
        return (from, to) switch
        {
            ({ } f, { } t) => $"from {Show(f, days)} to {Show(t, days)}{unit}",
            ({ } f, null) => $"since {Show(f, days)}{unit}",
            (null, { } t) => $"up to {Show(t, days)}{unit}",
            _ => days ? "in the API's default range" : "in the 90 days the API keeps",
        };
    }

    /// <summary>A window of days as times: the first second of the first day to the last of the last.</summary>
    public static (DateTimeOffset? From, DateTimeOffset? To) Times(DateOnly? from, DateOnly? to)
        => (from is { } f ? new DateTimeOffset(f.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null,
            to is { } t ? new DateTimeOffset(t.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddDays(1).AddTicks(-1) : null);

    /// <summary>A time as the notes show it: <c>2025-03-14 15:00</c> (UTC).</summary>
    public static string Show(DateTimeOffset t, bool day = false)
        => t.UtcDateTime.ToString(day ? "yyyy-MM-dd" : "yyyy-MM-dd HH:mm", Inv);

    private static string Reason(DataSpan? span, DateTimeOffset? from, DateTimeOffset? to, string filters)
    {
        if (span is null)
        {
            return filters.Length > 0 ? "drop a filter or widen the window" : "widen the window";
        }
        if (span.First is not { } first || span.Last is not { } last)
        {
            return span.Covers + (span.Hint is null ? "" : ": " + span.Hint);
        }
        var misses = (from is { } f && f > last) || (to is { } t && t < first);
        if (misses)
        {
            return span.Covers + (span.Hint is null ? "" : ": " + span.Hint);
        }
        return span.Covers + (filters.Length > 0 ? ", and none in this window matches the filters" : ", and none falls in this window");
    }

    /// <summary>The demo's span with --demo; for a real API, the 90 days it keeps request logs (nothing for usage days, which it keeps longer).</summary>
    private static DataSpan? Default(CliRun run, bool days)
    {
        if (run.DemoApi is { } demo)
        {
            IReadOnlyList<UsageRequest> requests;
            try
            {
                requests = demo.GetRequests(run.ProjectId);
            }
            catch (KeyNotFoundException)
            {
                return new DataSpan($"the demo has data only for project {FakeUsageApi.DemoProjectId}", null, null, "leave out --project");
            }
            if (requests.Count == 0)
            {
                return new DataSpan("the demo holds no request logs", null, null);
            }
            var first = requests.Min(r => r.Created);
            var last = requests.Max(r => r.Created);
            return new DataSpan($"the demo's data covers {Show(first)} to {Show(last)} UTC (its last {new FakeUsageApiOptions().Days} days)", first, last, "try --since 7d");
        }
        if (days)
        {
            return null;
        }
        var kept = run.Now.AddDays(-FakeUsageApi.RetentionDays);
        return new DataSpan($"the API keeps request logs for {FakeUsageApi.RetentionDays} days (since {Show(kept)} UTC)", kept, run.Now);
    }
}
