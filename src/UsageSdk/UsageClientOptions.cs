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
