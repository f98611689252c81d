using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Extensions.Http;

namespace UsageSdk.Internal;

/// <summary>Adds <c>Authorization</c> (<c>Token</c> for an API key, <c>Bearer</c> for an access token) and <c>User-Agent</c> to each request.</summary>
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
/// Retries GET requests on 408, 429, 5xx, network errors and per-try timeouts with a Polly.Extensions.Http policy.
/// Waits honour <c>Retry-After</c> (seconds or HTTP date, capped by <see cref="UsageRetryOptions.MaxRetryAfter"/>), else
/// exponential back-off with jitter capped by <see cref="UsageRetryOptions.MaxDelay"/>. Waits run on the client's
/// <see cref="TimeProvider"/>, so tests need no real sleeps.
/// </summary>
internal sealed partial class RetryHandler : DelegatingHandler
{
    private readonly UsageRetryOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IAsyncPolicy<HttpResponseMessage> _policy;

    public RetryHandler(UsageRetryOptions options, TimeProvider time, ILogger logger)
    {
        _options = options;
        _time = time;
        _logger = logger;
        // A new policy per handler: no state is shared between clients or registrations.
        _policy = HttpPolicyExtensions.HandleTransientHttpError()
            .Or<TryTimeoutException>()
            .OrResult(r => r.StatusCode == HttpStatusCode.TooManyRequests)
            .WaitAndRetryAsync(
                options.MaxRetries,
                sleepDurationProvider: (_, _, _) => TimeSpan.Zero, // the wait happens in onRetryAsync, on the TimeProvider
                onRetryAsync: OnRetryAsync);
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (_options.MaxRetries == 0 || (request.Method != HttpMethod.Get && request.Method != HttpMethod.Head))
        {
            return await SendOnceAsync(request, cancellationToken).ConfigureAwait(false);
        }
        var context = new Context { ["request"] = request, ["ct"] = cancellationToken };
        return await _policy.ExecuteAsync((_, ct) => SendOnceAsync(request, ct), context, cancellationToken).ConfigureAwait(false);
    }

    private async Task<HttpResponseMessage> SendOnceAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (CallState.Current is { } state)
        {
            Interlocked.Increment(ref state.Attempts);
        }
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
        var delay = ComputeDelay(outcome.Result, retry, out var fromHeader);
        outcome.Result?.Dispose();
        if (CallState.Current is { } state)
        {
            Interlocked.Increment(ref state.Retries);
        }
        var operation = CallState.Current?.Operation ?? "";
        UsageDiagnostics.Retries.Add(1, new("usage.operation", operation), new("http.response.status_code", status));
        if (status == 429)
        {
            UsageDiagnostics.RateLimitWaits.Add(1, new KeyValuePair<string, object?>("usage.operation", operation));
            LogRateLimited(_logger, request.Method.Method, request.RequestUri?.AbsolutePath, (long)delay.TotalMilliseconds, fromHeader);
        }
        else
        {
            LogRetry(_logger, request.Method.Method, request.RequestUri?.AbsolutePath, status, outcome.Exception?.GetType().Name, retry, _options.MaxRetries, (long)delay.TotalMilliseconds);
        }
        if (delay > TimeSpan.Zero)
        {
            // Polly 7 hands onRetryAsync no token: the caller's travels in the context, so a cancelled call stops waiting at once.
            await Task.Delay(delay, _time, (CancellationToken)context["ct"]).ConfigureAwait(false);
        }
    }

    internal TimeSpan ComputeDelay(HttpResponseMessage? response, int retry, out bool fromHeader)
    {
        fromHeader = false;
        if (response?.Headers.RetryAfter is { } ra)
        {
            TimeSpan? asked = ra.Delta ?? (ra.Date is { } date ? date - _time.GetUtcNow() : null);
            if (asked is { } a)
            {
                fromHeader = true;
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

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "UsageSdk retrying {Method} {Path} after status {Status} ({Error}); retry {Retry} of {MaxRetries} in {DelayMs} ms.")]
    private static partial void LogRetry(ILogger logger, string method, string? path, int status, string? error, int retry, int maxRetries, long delayMs);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "UsageSdk rate limited on {Method} {Path} (429); waiting {DelayMs} ms (from Retry-After: {FromHeader}).")]
    private static partial void LogRateLimited(ILogger logger, string method, string? path, long delayMs, bool fromHeader);
}
