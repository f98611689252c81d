using System.Text.Json;

namespace UsageSdk.Internal;

/// <summary>
/// Takes the client's credential out of text that leaves the SDK (exception messages, error bodies, headers echoed by
/// a server). A credential shorter than 6 characters is not searched for (it would match ordinary text).
/// </summary>
internal sealed class SecretRedactor(string? secret)
{
    public string Redact(string text)
        => secret is not { Length: >= 6 } || string.IsNullOrEmpty(text) ? text : text.Replace(secret, "[REDACTED]", StringComparison.Ordinal);

    public string? RedactOrNull(string? text) => text is null ? null : Redact(text);

    /// <summary>
    /// The cause to keep inside a <see cref="UsageApiException"/>: itself, or, when its message or an inner one's shows the
    /// credential (a converter quoting a body value the server echoed), a copy of the same kind with the credential redacted
    /// (and without the inner chain).
    /// </summary>
    public Exception RedactCause(Exception e)
    {
        if (secret is not { Length: >= 6 } s)
        {
            return e;
        }
        for (var x = e; x is not null; x = x.InnerException)
        {
            if (x.Message.Contains(s, StringComparison.Ordinal))
            {
                return e switch
                {
                    JsonException j => new JsonException(Redact(j.Message), j.Path, j.LineNumber, j.BytePositionInLine),
                    HttpRequestException h => new HttpRequestException(Redact(h.Message), null, h.StatusCode),
                    IOException => new IOException(Redact(e.Message)),
                    _ => new InvalidOperationException(Redact(e.Message)),
                };
            }
        }
        return e;
    }
}
