using System.Globalization;
using System.Text.Json;
using Refit;

namespace UsageSdk.Internal;

/// <summary>
/// Turns what went wrong in a call into a <see cref="UsageApiException"/>: an error answer (status, the error body in
/// any of its shapes, request id, <c>Retry-After</c>, the redirect target), a transport failure or timeout (status 0),
/// or a body that could not be read. The credential is redacted from everything it keeps.
/// </summary>
internal sealed class ErrorReader(UsageClientOptions options, SecretRedactor redactor)
{
    public TimeoutException CallTimeout()
        => new(string.Create(CultureInfo.InvariantCulture, $"The call did not complete within the Timeout of {options.Timeout.TotalSeconds:0.###} s (tries, waits and bodies included)."));

    public UsageApiException TransportFailure(Exception e, CallState state)
    {
        var cause = e is ApiRequestException { InnerException: { } inner } ? inner : e;
        var timedOut = cause is TimeoutException or TaskCanceledException or OperationCanceledException;
        var what = timedOut ? $"timed out ({cause.Message})" : cause.Message;
        var message = redactor.Redact(UsageApiException.Describe(0, null, null, null, Math.Max(1, state.Attempts)).TrimEnd('.') + ": " + what);
        return new UsageApiException(message, 0, innerException: redactor.RedactCause(cause)) { Attempts = Math.Max(1, state.Attempts) };
    }

    public UsageApiException BodyFailure(Exception e, HttpResponseMessage response, int attempts)
    {
        var status = (int)response.StatusCode;
        var kind = e switch
        {
            ResponseTooLargeException => e.Message,
            JsonException j => "The response body could not be read as JSON: " + j.Message,
            IOException or HttpRequestException => "The response body broke off: " + e.Message,
            _ => "The response body could not be read: " + e.Message,
        };
        return new UsageApiException(redactor.Redact(kind), status, innerException: redactor.RedactCause(e))
        {
            Attempts = Math.Max(1, attempts),
            RequestId = redactor.RedactOrNull(RequestIdHeader(response)),
        };
    }

    /// <summary>The exception of an error answer; its body is read within <paramref name="readToken"/> (the try's limit), and left out when it cannot be.</summary>
    public async Task<UsageApiException> FromResponseAsync(HttpResponseMessage response, int attempts, CancellationToken readToken, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        string content;
        try
        {
            content = await ReadCappedAsync(response.Content, 64 * 1024, readToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            content = ""; // unreadable, or too slow: the status is the answer
        }
        content = redactor.Redact(content);
        var error = ErrorBody.Parse(content, response.Content.Headers.ContentType?.MediaType);
        // Redacted again once decoded: a server may echo the credential JSON-escaped (\u0061…) or in a header.
        error = new ErrorBody(redactor.RedactOrNull(error.Code), redactor.RedactOrNull(error.Message), redactor.RedactOrNull(error.Details), redactor.RedactOrNull(error.RequestId));
        var requestId = error.RequestId ?? redactor.RedactOrNull(RequestIdHeader(response));
        TimeSpan? retryAfter = response.Headers.RetryAfter switch
        {
            { Delta: { } d } => d,
            { Date: { } date } => date - options.TimeProvider.GetUtcNow() is var w && w > TimeSpan.Zero ? w : TimeSpan.Zero,
            _ => null,
        };
        var message = UsageApiException.Describe(status, error.Code, error.Message, requestId, Math.Max(1, attempts));
        if (status is >= 300 and < 400 && RedirectTarget(response) is { } target)
        {
            message += " It redirected to " + redactor.Redact(target) + "; the client does not follow redirects (check UsageClientOptions.BaseAddress).";
        }
        return new UsageApiException(message, status, error.Code, requestId)
        {
            ErrorMessage = error.Message,
            Details = error.Details,
            RetryAfter = retryAfter,
            ResponseContent = content.Length > 8192 ? content[..8192] : content,
            Attempts = Math.Max(1, attempts),
        };
    }

    private static async Task<string> ReadCappedAsync(HttpContent content, int max, CancellationToken cancellationToken)
    {
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var buffer = new byte[max];
        var total = 0;
        int n;
        while (total < max && (n = await stream.ReadAsync(buffer.AsMemory(total, max - total), cancellationToken).ConfigureAwait(false)) > 0)
        {
            total += n;
        }
        return System.Text.Encoding.UTF8.GetString(buffer, 0, total);
    }

    /// <summary>Where a redirect points: scheme, host, port and path only (no user info, query or fragment, which may hold secrets).</summary>
    private string? RedirectTarget(HttpResponseMessage response)
    {
        if (response.Headers.Location is not { } location)
        {
            return null;
        }
        var from = response.RequestMessage?.RequestUri is { IsAbsoluteUri: true } sent ? sent : options.BaseAddress;
        return Uri.TryCreate(from, location, out var target)
            ? target.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped)
            : null;
    }

    private static string? RequestIdHeader(HttpResponseMessage response)
    {
        foreach (var name in (ReadOnlySpan<string>)["dg-request-id", "x-dg-request-id", "x-request-id"])
        {
            if (response.Headers.TryGetValues(name, out var values))
            {
                return values.FirstOrDefault();
            }
        }
        return null;
    }
}
