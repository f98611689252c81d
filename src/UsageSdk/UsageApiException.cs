using System.Globalization;
using System.Net;

namespace UsageSdk;

/// <summary>
/// The one exception of the SDK for a failed call: an error answer of the API (any of its three shapes: text,
/// <c>err_code</c>/<c>err_msg</c>, <c>category</c>/<c>message</c>/<c>details</c>), a network fault after retries, or a
/// body that could not be read. The original error is the <see cref="Exception.InnerException"/>. Never holds a credential.
/// </summary>
public class UsageApiException : Exception
{
    /// <summary>Creates an exception (for tests and for callers that wrap the client).</summary>
    /// <param name="message">The message.</param>
    public UsageApiException(string message) : base(message) { }

    /// <summary>Creates an exception (for tests and for callers that wrap the client).</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public UsageApiException(string message, Exception? innerException) : base(message, innerException) { }

    /// <summary>Creates an exception with its status (for tests and for callers that wrap the client).</summary>
    /// <param name="message">The message.</param>
    /// <param name="status">The HTTP status, 0 when no response was received.</param>
    /// <param name="errorCode">The API's error code.</param>
    /// <param name="requestId">The API's request id.</param>
    /// <param name="innerException">The cause.</param>
    public UsageApiException(string message, int status, string? errorCode = null, string? requestId = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Status = status;
        ErrorCode = errorCode;
        RequestId = requestId;
    }

    /// <summary>The HTTP status of the last response; 0 when none was received (network fault, timeout).</summary>
    public int Status { get; internal set; }

    /// <summary>The API's error code: <c>err_code</c> (for example <c>PROJECT_NOT_FOUND</c>) or <c>category</c> (for example <c>NOT_FOUND</c>).</summary>
    public string? ErrorCode { get; internal set; }

    /// <summary>The API's error message (<c>err_msg</c>, <c>message</c>, or a text body).</summary>
    public string? ErrorMessage { get; internal set; }

    /// <summary>The API's <c>details</c>, when sent.</summary>
    public string? Details { get; internal set; }

    /// <summary>The request id from the body or the <c>dg-request-id</c> header; quote it to support.</summary>
    public string? RequestId { get; internal set; }

    /// <summary>How long the API asked to wait (<c>Retry-After</c>), when it did.</summary>
    public TimeSpan? RetryAfter { get; internal set; }

    /// <summary>The response body, cut at 8 KB.</summary>
    public string? ResponseContent { get; internal set; }

    /// <summary>How many tries were made (1 when the first answer was final).</summary>
    public int Attempts { get; internal set; } = 1;

    /// <summary>
    /// When a paged listing failed: the continuation token of the page that failed. Pass it to
    /// <see cref="AsyncPageable{T}.AsPages(string?, int?)"/> with the same query to resume exactly there. When the
    /// listing stopped because the server made no progress (a full page without a request id not yielded before), the
    /// token of the page after that one. A resumed listing skips the ids it yields itself, not those of the earlier run.
    /// </summary>
    public string? ContinuationToken { get; internal set; }

    internal static string Describe(int status, string? code, string? message, string? requestId, int attempts)
    {
        var text = status == 0
            ? "The Deepgram Usage API could not be reached"
            : string.Create(CultureInfo.InvariantCulture, $"The Deepgram Usage API answered {status} ({ReasonOf(status)})");
        if (!string.IsNullOrEmpty(code))
        {
            text += " " + code;
        }
        if (!string.IsNullOrEmpty(message))
        {
            text += ": " + message;
        }
        if (!text.EndsWith('.'))
        {
            text += ".";
        }
        if (attempts > 1)
        {
            text += string.Create(CultureInfo.InvariantCulture, $" Tried {attempts} times.");
        }
        if (!string.IsNullOrEmpty(requestId))
        {
            text += " Request id: " + requestId + ".";
        }
        return text;
    }

    private static string ReasonOf(int status) => status switch
    {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        408 => "Request Timeout",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => Enum.IsDefined((HttpStatusCode)status) ? ((HttpStatusCode)status).ToString() : "HTTP " + status.ToString(CultureInfo.InvariantCulture),
    };
}
