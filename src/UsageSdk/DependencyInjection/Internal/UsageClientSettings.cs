using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace UsageSdk.Internal;

/// <summary>
/// The configuration shape of <see cref="UsageClientOptions"/>: only the settings that can come from configuration
/// (no <see cref="TimeProvider"/>, logger factory or transport), all optional. It is bound by the configuration binder
/// source generator (no reflection; trimming/AOT clean) and then applied over the options, so a key that is absent
/// keeps the option's default.
/// </summary>
internal sealed class UsageClientSettings
{
    public string? ApiKey { get; set; }
    public string? AccessToken { get; set; }
    public string? BaseAddress { get; set; }
    public TimeSpan? Timeout { get; set; }
    public RetrySettings? Retry { get; set; }
    public string? UserAgent { get; set; }
    public LogStateSettings? LogStates { get; set; }
    public bool? AllowInsecureTransport { get; set; }
    public long? MaxResponseBytes { get; set; }
    public int? MaxJsonDepth { get; set; }

    internal sealed class RetrySettings
    {
        public bool? Enabled { get; set; }
        public int? MaxRetries { get; set; }
        public TimeSpan? Delay { get; set; }
        public TimeSpan? MaxDelay { get; set; }
        public TimeSpan? MaxRetryAfter { get; set; }
        public TimeSpan? TryTimeout { get; set; }
    }

    internal sealed class LogStateSettings
    {
        public TimeSpan? PendingFor { get; set; }
        public TimeSpan? LostAfter { get; set; }
    }

    /// <summary>Binds <paramref name="configuration"/> and writes every value it has into <paramref name="options"/>.</summary>
    /// <exception cref="OptionsValidationException">BaseAddress is not an absolute URI.</exception>
    /// <exception cref="InvalidOperationException">A value has the wrong type (the binder's message names the key).</exception>
    public static void Apply(IConfiguration configuration, UsageClientOptions options, UsageClientRegistration registration)
    {
        var s = new UsageClientSettings();
        configuration.Bind(s);
        if (s.ApiKey is not null)
        {
            options.ApiKey = s.ApiKey;
        }

        if (s.AccessToken is not null)
        {
            options.AccessToken = s.AccessToken;
        }

        if (s.BaseAddress is { } address)
        {
            if (!Uri.TryCreate(address, UriKind.Absolute, out var uri))
            {
                throw new OptionsValidationException(registration.Name, typeof(UsageClientOptions),
                    [$"{registration.Describe()}: UsageClientOptions.BaseAddress '{address}' is not an absolute URI (for example https://api.deepgram.com)."]);
            }
            options.BaseAddress = uri;
        }
        if (s.Timeout is { } timeout)
        {
            options.Timeout = timeout;
        }

        if (s.Retry is { } r)
        {
            options.Retry ??= new UsageRetryOptions();
            if (r.Enabled is { } enabled)
            {
                options.Retry.Enabled = enabled;
            }

            if (r.MaxRetries is { } max)
            {
                options.Retry.MaxRetries = max;
            }

            if (r.Delay is { } delay)
            {
                options.Retry.Delay = delay;
            }

            if (r.MaxDelay is { } maxDelay)
            {
                options.Retry.MaxDelay = maxDelay;
            }

            if (r.MaxRetryAfter is { } maxRetryAfter)
            {
                options.Retry.MaxRetryAfter = maxRetryAfter;
            }

            if (r.TryTimeout is { } tryTimeout)
            {
                options.Retry.TryTimeout = tryTimeout;
            }
        }
        if (s.UserAgent is not null)
        {
            options.UserAgent = s.UserAgent;
        }

        if (s.LogStates is { } l)
        {
            options.LogStates ??= new RequestLogStateOptions();
            if (l.PendingFor is { } pending)
            {
                options.LogStates.PendingFor = pending;
            }

            if (l.LostAfter is { } lost)
            {
                options.LogStates.LostAfter = lost;
            }
        }
        if (s.AllowInsecureTransport is { } insecure)
        {
            options.AllowInsecureTransport = insecure;
        }

        if (s.MaxResponseBytes is { } bytes)
        {
            options.MaxResponseBytes = bytes;
        }

        if (s.MaxJsonDepth is { } depth)
        {
            options.MaxJsonDepth = depth;
        }
    }
}
