using System.ComponentModel.DataAnnotations;

namespace UsageSdk;

/// <summary>
/// Retry settings. Only GET (and HEAD) is ever retried; the API's usage calls are all GETs. Retried: 408, 429, 5xx,
/// network errors, bodies that break off and tries (headers and body) that exceed <see cref="TryTimeout"/>. Redirects are
/// never followed, so never retried.
/// </summary>
public sealed class UsageRetryOptions
{
    /// <summary>
    /// Whether the SDK adds its retry handler (default true). Set false to replace it with your own resilience (for
    /// example <c>AddStandardResilienceHandler()</c> on the builder that <c>AddUsageClient</c> returns): the SDK then
    /// neither retries nor applies <see cref="TryTimeout"/>. To keep the handler but never retry, set
    /// <see cref="MaxRetries"/> to 0 instead.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Retries after the first try (default 3, at most 20; 0 turns retries off but keeps <see cref="TryTimeout"/>).</summary>
    [Range(0, 20)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>The first back-off delay (default 0.8 s), doubled each retry, with jitter.</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.FromSeconds(0.8);

    /// <summary>The longest back-off delay (default 30 s).</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest wait a <c>Retry-After</c> header may ask for (default 60 s); a longer one is capped.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The budget of one try, its response body included (default 30 s), inside the overall
    /// <see cref="UsageClientOptions.Timeout"/> that spans all tries and waits. A try that takes longer is cancelled and
    /// retried. <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> turns it off.
    /// </summary>
    public TimeSpan TryTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Returns a copy.</summary>
    public UsageRetryOptions Clone() => (UsageRetryOptions)MemberwiseClone();

    /// <summary>Describes the settings.</summary>
    public override string ToString() => $"Enabled = {Enabled}, MaxRetries = {MaxRetries}, Delay = {Delay}, MaxDelay = {MaxDelay}, MaxRetryAfter = {MaxRetryAfter}, TryTimeout = {TryTimeout}";
}
