namespace UsageSdk;

/// <summary>
/// Names of the SDK's telemetry, for OpenTelemetry and listeners: <c>.AddSource(UsageClientDiagnostics.ActivitySourceName)</c>
/// and <c>.AddMeter(UsageClientDiagnostics.MeterName)</c>. No activity tag, metric tag or log carries a credential.
/// </summary>
public static class UsageClientDiagnostics
{
    /// <summary>The <see cref="System.Diagnostics.ActivitySource"/> name, <c>UsageSdk</c>: one activity per call (a listing: per page), named <c>UsageClient.&lt;Operation&gt;</c>.</summary>
    public const string ActivitySourceName = "UsageSdk";

    /// <summary>
    /// The <see cref="System.Diagnostics.Metrics.Meter"/> name, <c>UsageSdk</c>. Instruments: <c>usage.client.calls</c>,
    /// <c>usage.client.pages</c>, <c>usage.client.items</c>, <c>usage.client.retries</c>,
    /// <c>usage.client.rate_limit_waits</c> (counters) and <c>usage.client.duration</c> (histogram, seconds).
    /// </summary>
    public const string MeterName = "UsageSdk";

    /// <summary>The logger category of retries and rate-limit waits, <c>UsageSdk.UsageClient</c>.</summary>
    public const string LoggerCategory = "UsageSdk.UsageClient";
}
