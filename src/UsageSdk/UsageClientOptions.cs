using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Logging;

namespace UsageSdk;

/// <summary>
/// Settings of a <see cref="UsageClient"/>. They are copied when the client is built: later changes to this object do
/// not affect an existing client. <see cref="ToString"/> never shows the credentials.
/// </summary>
public sealed class UsageClientOptions
{
    /// <summary>The default API address, <c>https://api.deepgram.com</c> (never the spec's agent host).</summary>
    public static Uri DefaultBaseAddress { get; } = new("https://api.deepgram.com");

    /// <summary>An API key, sent as <c>Authorization: Token …</c>. Set this or <see cref="AccessToken"/>.</summary>
    public string? ApiKey { get; set; }

    /// <summary>A JWT access token (from <c>/v1/auth/grant</c>), sent as <c>Authorization: Bearer …</c>. Set this or <see cref="ApiKey"/>.</summary>
    public string? AccessToken { get; set; }

    /// <summary>The API address; <c>https://api.deepgram.com</c> by default.</summary>
    public Uri BaseAddress { get; set; } = DefaultBaseAddress;

    /// <summary>
    /// The overall budget of one call (of a listing: one page), every try, wait and body read included (default 100 s),
    /// kept on <see cref="TimeProvider"/>. A call that exceeds it fails with <see cref="UsageApiException"/> (status 0).
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>Retry settings for transient failures (GET only: 408, 429, 5xx, network errors).</summary>
    public UsageRetryOptions Retry { get; set; } = new();

    /// <summary>An extra product token for the <c>User-Agent</c> header, for example <c>my-app/1.2</c>.</summary>
    public string? UserAgent { get; set; }

    /// <summary>How request log states are derived (<see cref="RequestLogState"/>).</summary>
    public RequestLogStateOptions LogStates { get; set; } = new();

    /// <summary>
    /// Allows sending credentials over plain <c>http://</c> to a host that is not loopback. Off by default: such a
    /// client is refused, so a key never crosses a network in clear text by mistake. Whatever this says, the credential
    /// is only ever sent to the origin (scheme, host, port) of <see cref="BaseAddress"/>.
    /// </summary>
    public bool AllowInsecureTransport { get; set; }

    /// <summary>The largest response body read, in bytes (default 64 MiB); a larger one fails with <see cref="UsageApiException"/>.</summary>
    [Range(1024, long.MaxValue)]
    public long MaxResponseBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>The deepest JSON nesting accepted in a response (default 64).</summary>
    [Range(8, 1024)]
    public int MaxJsonDepth { get; set; } = 64;

    /// <summary>
    /// The clock used for log states, back-off waits, per-try and overall timeouts, call durations and pinned page ends (default
    /// <see cref="TimeProvider.System"/>; under <c>AddUsageClient</c>, a <see cref="System.TimeProvider"/> registered in the container).
    /// </summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// Where the client logs retries and rate-limit waits (category <c>UsageSdk.UsageClient</c>). Under
    /// <c>AddUsageClient</c>, the container's <see cref="ILoggerFactory"/> is used when this is null.
    /// </summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>
    /// The innermost HTTP handler (for example <c>FakeUsageApi</c>, or a handler with a proxy). When null, a client built
    /// with <c>new</c> uses a shared <see cref="SocketsHttpHandler"/>, and one built by <c>AddUsageClient</c> uses the
    /// primary handler of <see cref="IHttpClientFactory"/>; neither follows redirects (a 3xx fails with a
    /// <see cref="UsageApiException"/> that names its target). Neither the client nor the factory disposes it. A handler
    /// of yours that follows redirects never gets the credential past the API's origin, and retries go to the API again.
    /// </summary>
    public HttpMessageHandler? Transport { get; set; }

    /// <summary>Returns a copy (the client keeps its own).</summary>
    public UsageClientOptions Clone() => new()
    {
        ApiKey = ApiKey,
        AccessToken = AccessToken,
        BaseAddress = BaseAddress,
        Timeout = Timeout,
        Retry = Retry.Clone(),
        UserAgent = UserAgent,
        LogStates = LogStates.Clone(),
        AllowInsecureTransport = AllowInsecureTransport,
        MaxResponseBytes = MaxResponseBytes,
        MaxJsonDepth = MaxJsonDepth,
        TimeProvider = TimeProvider,
        LoggerFactory = LoggerFactory,
        Transport = Transport,
    };

    /// <summary>Describes the options without any credential.</summary>
    public override string ToString() =>
        $"UsageClientOptions {{ BaseAddress = {BaseAddress}, Credential = {(AccessToken is not null ? "access token (redacted)" : ApiKey is not null ? "API key (redacted)" : "none")}, Timeout = {Timeout}, Retry = {Retry} }}";
}

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

/// <summary>The ages that turn a request without a recorded response into <see cref="RequestLogState.Unknown"/> and <see cref="RequestLogState.Lost"/>.</summary>
public sealed class RequestLogStateOptions
{
    /// <summary>How long a request without a response is <see cref="RequestLogState.Pending"/> (default 15 minutes).</summary>
    public TimeSpan PendingFor { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The age from which a request without a response is <see cref="RequestLogState.Lost"/> (default 24 hours).</summary>
    public TimeSpan LostAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Returns a copy.</summary>
    public RequestLogStateOptions Clone() => (RequestLogStateOptions)MemberwiseClone();

    /// <summary>Derives the state of a request log at a given time (the rule of <see cref="RequestLogState"/>).</summary>
    /// <param name="request">The request log.</param>
    /// <param name="now">The current time.</param>
    public RequestLogState Derive(UsageRequest request, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        var code = request.EffectiveCode;
        var response = request.Response;
        if (code >= 400 || !string.IsNullOrEmpty(response?.Message))
        {
            return RequestLogState.Error;
        }
        if (response is not null && (response.Details is not null || response.Completed is not null))
        {
            return RequestLogState.Success;
        }
        var age = now - request.Created;
        return age < PendingFor ? RequestLogState.Pending : age < LostAfter ? RequestLogState.Unknown : RequestLogState.Lost;
    }
}
