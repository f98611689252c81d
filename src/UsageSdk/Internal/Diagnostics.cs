using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Reflection;

namespace UsageSdk.Internal;

/// <summary>The SDK's <see cref="ActivitySource"/> and <see cref="Meter"/>, both named <c>UsageSdk</c>. No tag ever carries a credential.</summary>
internal static class UsageDiagnostics
{
    public const string Name = "UsageSdk";

    public static readonly string Version = typeof(UsageDiagnostics).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static readonly ActivitySource ActivitySource = new(Name, Version);

    public static readonly Meter Meter = new(Name, Version);

    /// <summary>Public calls made, tagged with <c>usage.operation</c> and <c>usage.outcome</c> (ok, error, cancelled).</summary>
    public static readonly Counter<long> Calls = Meter.CreateCounter<long>("usage.client.calls", "{call}", "Public calls of UsageClient.");

    /// <summary>Pages of request logs read.</summary>
    public static readonly Counter<long> Pages = Meter.CreateCounter<long>("usage.client.pages", "{page}", "Pages of request logs read.");

    /// <summary>Request logs yielded (after de-duplication).</summary>
    public static readonly Counter<long> Items = Meter.CreateCounter<long>("usage.client.items", "{item}", "Request logs yielded.");

    /// <summary>Retries made, tagged with the HTTP status that caused them (0 = network error or timeout).</summary>
    public static readonly Counter<long> Retries = Meter.CreateCounter<long>("usage.client.retries", "{retry}", "Retries of HTTP calls.");

    /// <summary>Waits asked for by the API with 429 and Retry-After.</summary>
    public static readonly Counter<long> RateLimitWaits = Meter.CreateCounter<long>("usage.client.rate_limit_waits", "{wait}", "Waits asked for by 429 responses.");

    /// <summary>Duration of public calls (for a listing: of each page).</summary>
    public static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("usage.client.duration", "s", "Duration of public calls and pages.");

    public static Activity? Start(string operation, string projectId)
    {
        var activity = ActivitySource.StartActivity("UsageClient." + operation, ActivityKind.Client);
        if (activity is not null)
        {
            activity.SetTag("usage.operation", operation);
            activity.SetTag("usage.project_id", projectId);
        }
        return activity;
    }

    public static void Fail(Activity? activity, Exception e)
    {
        if (activity is null)
        {
            return;
        }
        activity.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
        activity.SetTag("error.type", e is UsageApiException u ? (u.Status == 0 ? "network" : u.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)) : e.GetType().FullName);
        if (e is UsageApiException api)
        {
            activity.SetTag("http.response.status_code", api.Status);
            activity.SetTag("usage.attempts", api.Attempts);
        }
    }
}

/// <summary>Per-call state that flows (AsyncLocal) from <see cref="UsageClient"/> into its handlers.</summary>
internal sealed class CallState
{
    private static readonly AsyncLocal<CallState?> CurrentState = new();

    public static CallState? Current => CurrentState.Value;

    public int Attempts;
    public int Retries;
    public string Operation = "";

    public static CallState Begin(string operation)
    {
        var s = new CallState { Operation = operation };
        CurrentState.Value = s;
        return s;
    }
}
