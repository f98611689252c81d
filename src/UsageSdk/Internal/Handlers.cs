using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Extensions.Http;

namespace UsageSdk.Internal;

/// <summary>
/// Adds <c>Authorization</c> (<c>Token</c> for an API key, <c>Bearer</c> for an access token) and <c>User-Agent</c> to each
/// request, and counts each try in <see cref="CallState"/>. It is the innermost SDK handler (also under dependency
/// injection, after the user's own handlers), so the user's handlers never see the credential and a replaced retry
/// pipeline's tries are still counted in <see cref="UsageApiException.Attempts"/>.
/// </summary>
internal sealed class AuthHandler : DelegatingHandler
{
    private readonly AuthenticationHeaderValue _auth;
    private readonly ProductInfoHeaderValue[] _agent;

    public AuthHandler(UsageClientOptions options)
    {
        _auth = options.AccessToken is { Length: > 0 } token
            ? new AuthenticationHeaderValue("Bearer", token)
            : new AuthenticationHeaderValue("Token", options.ApiKey);
        var agent = new List<ProductInfoHeaderValue> { new("UsageSdk", UsageDiagnostics.Version) };
        if (!string.IsNullOrWhiteSpace(options.UserAgent) && ProductInfoHeaderValue.TryParse(options.UserAgent, out var extra))
        {
            agent.Add(extra);
        }
        _agent = [.. agent];
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        CallState.Current?.AddAttempt();
        request.Headers.Authorization = _auth;
        request.Headers.UserAgent.Clear();
        foreach (var a in _agent)
        {
            request.Headers.UserAgent.Add(a);
        }
        return base.SendAsync(request, cancellationToken);
    }
}

/// <summary>Thrown inside the retry handler when one try exceeds <see cref="UsageRetryOptions.TryTimeout"/>.</summary>
internal sealed class TryTimeoutException(TimeSpan timeout) : TimeoutException($"The try did not answer within {timeout.TotalSeconds:0.###} s.");

/// <summary>
/// Retries GET and HEAD requests on 408, 429, 5xx, network errors and per-try timeouts with a Polly.Extensions.Http
/// policy; any other method is sent once. Waits honour <c>Retry-After</c> (seconds or HTTP date, capped by
/// <see cref="UsageRetryOptions.MaxRetryAfter"/>), else exponential back-off with jitter capped by
/// <see cref="UsageRetryOptions.MaxDelay"/>. Each try has its own <see cref="UsageRetryOptions.TryTimeout"/>; the
/// overall budget is <c>HttpClient.Timeout</c> (<see cref="UsageClientOptions.Timeout"/>), outside this handler. Waits and
/// try timeouts run on the client's <see cref="TimeProvider"/>, so tests need no real sleeps. One instance (and one
/// policy) per handler chain: nothing is shared between clients or registrations.
/// </summary>
internal sealed partial class RetryHandler : DelegatingHandler
{
    private readonly UsageRetryOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IAsyncPolicy<HttpResponseMessage> _policy;
    private readonly TimeSpan _overall;

    /// <param name="options">Retry settings (copied).</param>
    /// <param name="time">The clock of waits and timeouts.</param>
    /// <param name="logger">Where retries and rate-limit waits are logged.</param>
    /// <param name="overallTimeout">
    /// <see cref="UsageClientOptions.Timeout"/>: the budget of all tries and waits, kept on <paramref name="time"/>
    /// (<c>HttpClient.Timeout</c> holds the same budget on the real clock). Null or infinite for none.
    /// </param>
    public RetryHandler(UsageRetryOptions options, TimeProvider time, ILogger logger, TimeSpan? overallTimeout = null)
    {
        _options = options.Clone();
        _time = time;
        _logger = logger;
        _overall = overallTimeout ?? System.Threading.Timeout.InfiniteTimeSpan;
        _policy = HttpPolicyExtensions.HandleTransientHttpError()
            .Or<TryTimeoutException>()
            .OrResult(r => r.StatusCode == HttpStatusCode.TooManyRequests)
            .WaitAndRetryAsync(
                _options.MaxRetries,
                sleepDurationProvider: (_, _, _) => TimeSpan.Zero, // the wait happens in onRetryAsync, on the TimeProvider
                onRetryAsync: OnRetryAsync);
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var budget = _overall == System.Threading.Timeout.InfiniteTimeSpan ? null : new CancellationTokenSource(_overall, _time);
        using var linked = budget is null ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);
        var token = linked?.Token ?? cancellationToken;
        try
        {
            if (_options.MaxRetries == 0 || !IsIdempotent(request.Method))
            {
                return await SendOnceAsync(request, token).ConfigureAwait(false);
            }
            var context = new Context { ["request"] = request, ["ct"] = token };
            return await _policy.ExecuteAsync((_, ct) => SendOnceAsync(request, ct), context, token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (budget is { IsCancellationRequested: true } && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The call did not complete within the Timeout of {_overall.TotalSeconds:0.###} s (tries and waits included).");
        }
    }

    /// <summary>Only methods without side effects are retried: a POST that timed out may still have been applied.</summary>
    internal static bool IsIdempotent(HttpMethod method) => method == HttpMethod.Get || method == HttpMethod.Head;

    private async Task<HttpResponseMessage> SendOnceAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var timeout = new CancellationTokenSource(_options.TryTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await base.SendAsync(request, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TryTimeoutException(_options.TryTimeout);
        }
    }

    private async Task OnRetryAsync(DelegateResult<HttpResponseMessage> outcome, TimeSpan _, int retry, Context context)
    {
        var request = (HttpRequestMessage)context["request"];
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

    [LoggerMessage(EventId = 4001, EventName = "UsageRetry", Level = LogLevel.Warning, Message = "UsageSdk retrying {Method} {Path} after status {Status} ({Error}); retry {Retry} of {MaxRetries} in {DelayMs} ms.")]
    private static partial void LogRetry(ILogger logger, string method, string? path, int status, string? error, int retry, int maxRetries, long delayMs);

    [LoggerMessage(EventId = 4002, EventName = "UsageRateLimited", Level = LogLevel.Warning, Message = "UsageSdk rate limited on {Method} {Path} (429); waiting {DelayMs} ms (Retry-After asked {RetryAfterMs} ms) before retry {Retry} of {MaxRetries}.")]
    private static partial void LogRateLimited(ILogger logger, string method, string? path, long delayMs, long? retryAfterMs, int retry, int maxRetries);
}
