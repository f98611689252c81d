using System.Net;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Extensions.Http;

namespace UsageSdk.Internal;

/// <summary>
/// Retries GET and HEAD requests on 408, 429, 5xx, network errors and per-try timeouts with a Polly.Extensions.Http
/// policy; any other method is sent once. Waits honour <c>Retry-After</c> (seconds or HTTP date, capped by
/// <see cref="UsageRetryOptions.MaxRetryAfter"/>), else exponential back-off with jitter capped by
/// <see cref="UsageRetryOptions.MaxDelay"/>. Each try has its own <see cref="UsageRetryOptions.TryTimeout"/>, which also
/// bounds the body: the start of each try goes into <see cref="CallState"/>, and the client reads the body within what
/// is left. Every try goes to the URI the message had when it came in, even when a handler below followed a redirect
/// and rewrote it. The overall budget (<see cref="UsageClientOptions.Timeout"/>) is the client's, outside this handler.
/// Waits and try timeouts run on the client's <see cref="TimeProvider"/>, so tests need no real sleeps. One instance
/// (and one set of policies) per handler chain: nothing is shared between clients or registrations.
/// <para>
/// The retry budget, <see cref="UsageRetryOptions.MaxRetries"/> + 1 tries, belongs to the logical call, not to one send:
/// the client sends a call again when its body breaks off or stalls (<see cref="CallPipeline"/>), and every such send
/// comes through here with the tries already made counted in <see cref="CallState.Attempts"/>. Each send is retried only
/// within what is left, so header and body failures together never make more than MaxRetries + 1 tries, and a retry's
/// number (in logs and in its back-off) is its number within the call.
/// </para>
/// </summary>
internal sealed partial class RetryHandler : DelegatingHandler
{
    private readonly UsageRetryOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    /// <summary>The policy of a send that may still retry <c>n</c> times is <c>_policies[n]</c> (index 0 unused: sent once).</summary>
    private readonly IAsyncPolicy<HttpResponseMessage>[] _policies;

    /// <param name="options">Retry settings (copied).</param>
    /// <param name="time">The clock of waits and timeouts.</param>
    /// <param name="logger">Where retries and rate-limit waits are logged.</param>
    public RetryHandler(UsageRetryOptions options, TimeProvider time, ILogger logger)
    {
        _options = options.Clone();
        _time = time;
        _logger = logger;
        // Polly's predicates only OR, so the budget left to a send cannot be one more condition of a single policy: it is
        // the retry count instead, one policy per count (at most 21, MaxRetries being at most 20), all of them
        // Polly.Extensions.Http's transient errors (5xx, 408, HttpRequestException) plus try timeouts and 429.
        var handled = HttpPolicyExtensions.HandleTransientHttpError()
            .Or<TryTimeoutException>()
            .OrResult(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        _policies = new IAsyncPolicy<HttpResponseMessage>[_options.MaxRetries + 1];
        for (var n = 1; n <= _options.MaxRetries; n++)
        {
            _policies[n] = handled.WaitAndRetryAsync(
                n,
                sleepDurationProvider: (_, _, _) => TimeSpan.Zero, // the wait happens in onRetryAsync, on the TimeProvider
                onRetryAsync: OnRetryAsync);
        }
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri;
        // Tries the call already made (sends the client repeated after a body failure); none outside a UsageClient call.
        var made = CallState.Current is { } state ? Volatile.Read(ref state.Attempts) : 0;
        var left = _options.MaxRetries - made;
        if (left <= 0 || !IsIdempotent(request.Method))
        {
            return SendOnceAsync(request, uri, cancellationToken);
        }
        var context = new Context { ["request"] = request, ["ct"] = cancellationToken, ["made"] = made };
        return _policies[left].ExecuteAsync((_, ct) => SendOnceAsync(request, uri, ct), context, cancellationToken);
    }

    /// <summary>Only methods without side effects are retried: a POST that timed out may still have been applied.</summary>
    internal static bool IsIdempotent(HttpMethod method) => method == HttpMethod.Get || method == HttpMethod.Head;

    private async Task<HttpResponseMessage> SendOnceAsync(HttpRequestMessage request, Uri? uri, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        // A redirect followed below rewrites the message's URI: the retry goes to the original, not to the redirect's target.
        request.RequestUri = uri;
        CallState.Current?.BeginTry(_time.GetTimestamp(), _options.TryTimeout);
        using var timeout = new Deadline(_options.TryTimeout, _time, cancellationToken);
        try
        {
            return await base.SendAsync(request, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.Expired && !cancellationToken.IsCancellationRequested)
        {
            throw new TryTimeoutException(_options.TryTimeout);
        }
    }

    private async Task OnRetryAsync(DelegateResult<HttpResponseMessage> outcome, TimeSpan _, int retryOfSend, Context context)
    {
        var request = (HttpRequestMessage)context["request"];
        var retry = (int)context["made"] + retryOfSend; // the retry's number within the call
        var status = outcome.Result is { } r ? (int)r.StatusCode : 0;
        var delay = ComputeDelay(outcome.Result, retry, out var asked);
        outcome.Result?.Dispose();
        // The same message is sent again: the credential comes off until the auth handler (innermost) sets it anew, so
        // the handlers in between never see it.
        request.Headers.Authorization = null;
        var state = CallState.Current;
        state?.AddRetry();
        UsageDiagnostics.RetryMade(state, status);
        if (status == 429)
        {
            LogRateLimited(_logger, request.Method.Method, request.RequestUri?.AbsolutePath, (long)delay.TotalMilliseconds, asked is { } a ? (long)a.TotalMilliseconds : null, retry, _options.MaxRetries);
        }
        else
        {
            var error = outcome.Exception is { } e ? (e is TryTimeoutException ? "try timeout" : e.GetType().Name) : null;
            LogRetry(_logger, request.Method.Method, request.RequestUri?.AbsolutePath, status, error, retry, _options.MaxRetries, (long)delay.TotalMilliseconds);
        }
        if (delay > TimeSpan.Zero)
        {
            // Polly 7 hands onRetryAsync no token: the caller's travels in the context, so a cancelled call stops waiting at once.
            await Task.Delay(delay, _time, (CancellationToken)context["ct"]).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The wait before retry number <paramref name="retry"/> (1-based): <c>Retry-After</c> when the response has one
    /// (<paramref name="asked"/> is then what it asked for, before the cap), else
    /// <c>Delay × 2^(retry-1)</c> with ±20 % jitter, capped by <see cref="UsageRetryOptions.MaxDelay"/>.
    /// </summary>
    internal TimeSpan ComputeDelay(HttpResponseMessage? response, int retry, out TimeSpan? asked)
    {
        asked = null;
        if (response?.Headers.RetryAfter is { } ra)
        {
            asked = ra.Delta ?? (ra.Date is { } date ? date - _time.GetUtcNow() : null);
            if (asked is { } a)
            {
                if (a < TimeSpan.Zero)
                {
                    a = TimeSpan.Zero;
                }
                return a > _options.MaxRetryAfter ? _options.MaxRetryAfter : a;
            }
        }
        var exp = _options.Delay.TotalMilliseconds * Math.Pow(2, Math.Max(0, retry - 1));
        var jittered = exp * (0.8 + (Random.Shared.NextDouble() * 0.4));
        var ms = Math.Min(jittered, _options.MaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(Math.Max(0, ms));
    }

    /// <summary>Logs a retry (event 4001); also used by <see cref="CallPipeline"/> for a body fetched again (status 0).</summary>
    [LoggerMessage(EventId = 4001, EventName = "UsageRetry", Level = LogLevel.Warning, Message = "UsageSdk retrying {Method} {Path} after status {Status} ({Error}); retry {Retry} of {MaxRetries} in {DelayMs} ms.")]
    internal static partial void LogRetry(ILogger logger, string method, string? path, int status, string? error, int retry, int maxRetries, long delayMs);

    [LoggerMessage(EventId = 4002, EventName = "UsageRateLimited", Level = LogLevel.Warning, Message = "UsageSdk rate limited on {Method} {Path} (429); waiting {DelayMs} ms (Retry-After asked {RetryAfterMs} ms) before retry {Retry} of {MaxRetries}.")]
    private static partial void LogRateLimited(ILogger logger, string method, string? path, long delayMs, long? retryAfterMs, int retry, int maxRetries);
}
