using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace UsageSdk.Internal;

/// <summary>
/// The SDK's <see cref="ActivitySource"/> and <see cref="Meter"/>, both named <c>UsageSdk</c>
/// (<see cref="UsageClientDiagnostics"/>). Tags carry the operation, project id, page, item count, status and attempts;
/// never a credential, a header or a query string.
/// </summary>
internal static partial class UsageDiagnostics
{
    public const string Name = UsageClientDiagnostics.ActivitySourceName;

    public const string OperationTag = "usage.operation";
    public const string ProjectIdTag = "usage.project_id";
    public const string OutcomeTag = "usage.outcome";
    public const string PageTag = "usage.page";
    public const string ItemCountTag = "usage.item_count";
    public const string AttemptsTag = "usage.attempts";
    public const string StatusTag = "http.response.status_code";
    public const string ErrorTypeTag = "error.type";

    public static readonly string Version = typeof(UsageDiagnostics).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static readonly ActivitySource ActivitySource = new(Name, Version);

    public static readonly Meter Meter = new(UsageClientDiagnostics.MeterName, Version);

    /// <summary>Public calls made (a listing counts once per page), tagged with operation, project id and outcome (ok, error, cancelled).</summary>
    public static readonly Counter<long> Calls = Meter.CreateCounter<long>("usage.client.calls", "{call}", "Calls of UsageClient (a listing counts once per page).");

    /// <summary>Pages of request logs read.</summary>
    public static readonly Counter<long> Pages = Meter.CreateCounter<long>("usage.client.pages", "{page}", "Pages of request logs read.");

    /// <summary>Request logs yielded (after de-duplication).</summary>
    public static readonly Counter<long> Items = Meter.CreateCounter<long>("usage.client.items", "{item}", "Request logs yielded.");

    /// <summary>Members of answers that could not be read as their type (kept raw in <see cref="UsageRequest.UnreadableMembers"/>), tagged with operation and project id.</summary>
    public static readonly Counter<long> UnreadableMembers = Meter.CreateCounter<long>("usage.client.unreadable_members", "{member}", "Members of API answers that could not be read as their type (kept raw, typed property null).");

    /// <summary>Retries made, tagged with the HTTP status that caused them (0 = network error or timeout).</summary>
    public static readonly Counter<long> Retries = Meter.CreateCounter<long>("usage.client.retries", "{retry}", "Retries of HTTP calls.");

    /// <summary>Waits asked for by the API with 429 (with or without Retry-After).</summary>
    public static readonly Counter<long> RateLimitWaits = Meter.CreateCounter<long>("usage.client.rate_limit_waits", "{wait}", "Waits after 429 responses.");

    /// <summary>Duration of public calls (for a listing: of each page), on the client's TimeProvider.</summary>
    public static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("usage.client.duration", "s", "Duration of UsageClient calls (a listing: of each page), retries and waits included.");

    /// <summary>Starts the activity of one public call (or one page of a listing); null when nobody listens.</summary>
    public static Activity? Start(string operation, string projectId, int? page = null, Uri? baseAddress = null)
    {
        var activity = ActivitySource.StartActivity("UsageClient." + operation, ActivityKind.Internal);
        if (activity is not null)
        {
            activity.SetTag(OperationTag, operation);
            activity.SetTag(ProjectIdTag, projectId);
            if (page is { } p)
            {
                activity.SetTag(PageTag, p);
            }
            if (baseAddress is not null)
            {
                activity.SetTag("server.address", baseAddress.Host);
            }
        }
        return activity;
    }

    /// <summary>Tags a successful call with its item count and attempts.</summary>
    public static void Succeed(Activity? activity, object? result, int attempts)
    {
        if (activity is null)
        {
            return;
        }
        if (ItemCount(result) is { } count)
        {
            activity.SetTag(ItemCountTag, count);
        }
        activity.SetTag(AttemptsTag, Math.Max(1, attempts));
    }

    /// <summary>Marks the activity failed: status Error, <c>error.type</c>, the HTTP status and attempts. Messages are already redacted.</summary>
    public static void Fail(Activity? activity, Exception e)
    {
        if (activity is null)
        {
            return;
        }
        activity.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
        activity.SetTag(ErrorTypeTag, ErrorType(e));
        // The exception event (OpenTelemetry's exception.type / exception.message); UsageApiException messages are redacted.
        activity.AddEvent(new ActivityEvent("exception", tags: new ActivityTagsCollection
        {
            { "exception.type", e.GetType().FullName },
            { "exception.message", e.Message },
        }));
        if (e is UsageApiException api)
        {
            activity.SetTag(StatusTag, api.Status);
            activity.SetTag(AttemptsTag, api.Attempts);
            if (api.ErrorCode is { } code)
            {
                activity.SetTag("usage.error_code", code);
            }
        }
    }

    /// <summary>The <c>error.type</c> value: the HTTP status, <c>network</c> (no response) or the exception type.</summary>
    public static string ErrorType(Exception e) => e switch
    {
        UsageApiException { Status: 0 } => "network",
        UsageApiException u => u.Status.ToString(CultureInfo.InvariantCulture),
        _ => e.GetType().FullName ?? e.GetType().Name,
    };

    /// <summary>The SDK's logger (category <see cref="UsageClientDiagnostics.LoggerCategory"/>), or none.</summary>
    public static ILogger CreateLogger(ILoggerFactory? loggerFactory)
        => loggerFactory?.CreateLogger(UsageClientDiagnostics.LoggerCategory) ?? NullLogger.Instance;

    /// <summary>Counts one page of request logs and the items it yielded.</summary>
    public static void PageRead(string projectId, int items)
    {
        var tag = new KeyValuePair<string, object?>(ProjectIdTag, projectId);
        Pages.Add(1, tag);
        Items.Add(items, tag);
    }

    /// <summary>Counts and logs (one warning per page or call) the members of an answer that could not be read as their type.</summary>
    public static void UnreadableRead(ILogger logger, string operation, string projectId, int? page, int count, string? first)
    {
        UnreadableMembers.Add(count, new KeyValuePair<string, object?>(OperationTag, operation), new KeyValuePair<string, object?>(ProjectIdTag, projectId));
        LogUnreadable(logger, operation, page, count, first is null ? null : OpenEnum.Printable(first));
    }

    [LoggerMessage(EventId = 4003, EventName = "UsageUnreadableMembers", Level = LogLevel.Warning, Message = "UsageSdk could not read {Count} members of the {Operation} answer (page {Page}) as their types, first {FirstMember}: kept raw in UsageRequest.UnreadableMembers, typed properties null, items kept.")]
    private static partial void LogUnreadable(ILogger logger, string operation, int? page, int count, string? firstMember);

    /// <summary>Counts one retry (and one rate-limit wait when the status is 429).</summary>
    public static void RetryMade(CallState? state, int status)
    {
        var operation = new KeyValuePair<string, object?>(OperationTag, state?.Operation ?? "");
        var project = new KeyValuePair<string, object?>(ProjectIdTag, state?.ProjectId ?? "");
        Retries.Add(1, operation, project, new KeyValuePair<string, object?>(StatusTag, status));
        if (status == 429)
        {
            RateLimitWaits.Add(1, operation, project);
        }
    }

    private static int? ItemCount(object? result) => result switch
    {
        RequestsPageBody body => body.Requests?.Count ?? 0,
        UsageSummary summary => summary.Results.Count,
        UsageBreakdown breakdown => breakdown.Results.Count,
        UsageRequest => 1,
        BillingBreakdown billing => billing.Results.Count,
        System.Collections.ICollection list => list.Count,
        _ => null,
    };
}
