using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Refit;
using UsageSdk.Internal;

namespace UsageSdk;

/// <summary>
/// The client of the Deepgram Usage API: request logs (<see cref="GetRequestsAsync"/>, paged and resumable), one
/// request (<see cref="GetRequestAsync"/>), usage summary, breakdown and fields. Thread-safe; make one and share it,
/// or register it with <c>services.AddUsageClient(...)</c>. Every member is virtual so it can be mocked.
/// </summary>
public class UsageClient
{
    private static readonly Lazy<HttpMessageHandler> SharedTransport = new(() => new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        AutomaticDecompression = DecompressionMethods.All,
        // A redirect is not followed: it becomes a UsageApiException naming the target, and the key stays with the API.
        AllowAutoRedirect = false,
    });

    private readonly IUsageApi _api = null!;
    private readonly UsageClientOptions _options = null!;
    private readonly WireJsonContext _json = null!;
    private readonly string? _secret;
    private readonly ILogger _logger = NullLogger.Instance;

    /// <summary>For mocking.</summary>
    protected UsageClient() { }

    /// <summary>Creates a client for an API key, with default options.</summary>
    /// <param name="apiKey">The API key (sent as <c>Authorization: Token …</c>).</param>
    /// <exception cref="ArgumentException">The key is empty.</exception>
    public UsageClient(string apiKey) : this(new UsageClientOptions { ApiKey = CheckKey(apiKey) }) { }

    /// <summary>Creates a client. The options are copied; later changes do not affect this client.</summary>
    /// <param name="options">The options.</param>
    /// <exception cref="ArgumentException">The options are invalid (the message names the setting).</exception>
    public UsageClient(UsageClientOptions options)
        : this(CreateHttpClient(options), options, ownsTransportChain: true)
    {
    }

    /// <summary>Creates a client over an <see cref="HttpClient"/> whose handlers already include the SDK's (the DI path).</summary>
    internal UsageClient(HttpClient httpClient, UsageClientOptions options, bool ownsTransportChain)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Clone();
        ThrowIfInvalid(_options);
        _secret = _options.AccessToken ?? _options.ApiKey;
        _logger = CreateLogger(_options.LoggerFactory);
        httpClient.BaseAddress ??= _options.BaseAddress;
        if (!ownsTransportChain)
        {
            httpClient.Timeout = _options.Timeout;
        }
        _json = _options.MaxJsonDepth == 64
            ? WireJsonContext.Default
            : new WireJsonContext(new JsonSerializerOptions(WireJsonContext.Default.Options) { MaxDepth = _options.MaxJsonDepth });
        var settings = new RefitSettings(new SystemTextJsonContentSerializer(_json.Options)) { CollectionFormat = CollectionFormat.Multi };
        _api = RestService.ForGenerated<IUsageApi>(httpClient, settings);
    }

    /// <summary>The API address this client calls.</summary>
    public virtual Uri BaseAddress => _options.BaseAddress;

    internal UsageClientOptions Options => _options;

    internal ILogger Logger => _logger;

    /// <summary>
    /// Lists request logs, newest first, lazily and page by page (1000 per call unless the query says otherwise).
    /// When the query leaves <c>end</c> open, the pager pins it at the time of its first call, so requests arriving
    /// meanwhile cannot shift the pages; items whose request id this enumeration already yielded are skipped, so each
    /// id is yielded at most once. A full page that brings no new id (a server that repeats pages) ends the listing with
    /// a <see cref="UsageApiException"/> whose <see cref="UsageApiException.ContinuationToken"/> resumes after it. The
    /// ids are remembered as 64-bit hashes: about 17 bytes per id yielded (10.7 to 21.3; 16 MiB for a million ids), for
    /// as long as the enumeration runs. A listing resumed from a token starts with none remembered.
    /// Members that cannot be read as their type are kept raw in <see cref="UsageRequest.UnreadableMembers"/>.
    /// Use <see cref="AsyncPageable{T}.AsPages"/> to resume from a continuation token. The server keeps 90 days of logs.
    /// </summary>
    /// <param name="projectId">The project id.</param>
    /// <param name="query">Filters, or null for all.</param>
    /// <param name="cancellationToken">Stops the listing.</param>
    /// <exception cref="ArgumentException">The project id is empty or not a plain id.</exception>
    public virtual AsyncPageable<UsageRequest> GetRequestsAsync(string projectId, RequestsQuery? query = null, CancellationToken cancellationToken = default)
    {
        CheckId(projectId, nameof(projectId));
        return new RequestsPageable(this, projectId, query ?? new RequestsQuery(), cancellationToken);
    }

    /// <summary>Gets one request log. The API's answer may be the request itself or wrapped in <c>{"request": …}</c>; both are read.</summary>
    /// <param name="projectId">The project id.</param>
    /// <param name="requestId">The request id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ArgumentException">An id is empty or not a plain id.</exception>
    /// <exception cref="UsageApiException">The API answered with an error, or could not be reached.</exception>
    public virtual Task<UsageRequest> GetRequestAsync(string projectId, string requestId, CancellationToken cancellationToken = default)
    {
        CheckId(projectId, nameof(projectId));
        CheckId(requestId, nameof(requestId));
        return RunAsync("GetRequest", projectId, async ct =>
        {
            var request = await SendAndReadAsync(
                c => _api.GetRequestAsync(projectId, requestId, c),
                ReadSingleRequestAsync,
                ct).ConfigureAwait(false);
            request.State = _options.LogStates.Derive(request, _options.TimeProvider.GetUtcNow());
            if (request.Unreadable is { Count: > 0 } unreadable)
            {
                UsageDiagnostics.UnreadableRead(_logger, "GetRequest", projectId, null, unreadable.Count, unreadable.Keys.First());
            }
            return request;
        }, cancellationToken);
    }

    /// <summary>Gets the usage summary (per day by default). The API marks it deprecated in favour of <see cref="GetBreakdownAsync"/>; it carries no cost.</summary>
    /// <param name="projectId">The project id.</param>
    /// <param name="query">Filters, or null for all; <see cref="UsageQuery.Grouping"/> is not used here.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ArgumentException">The project id is empty or not a plain id.</exception>
    /// <exception cref="UsageApiException">The API answered with an error, or could not be reached.</exception>
    public virtual Task<UsageSummary> GetSummaryAsync(string projectId, UsageQuery? query = null, CancellationToken cancellationToken = default)
    {
        CheckId(projectId, nameof(projectId));
        var q = query ?? new UsageQuery();
        return RunAsync("GetSummary", projectId, ct => SendAndReadAsync(
            c => _api.GetSummaryAsync(projectId, UsageQuery.FormatDate(q.Start), UsageQuery.FormatDate(q.End),
                QueryValues.Strings(q.Accessors), QueryValues.Strings(q.Tags), QueryValues.Strings(q.Models),
                QueryValues.Strings(q.Methods), QueryValues.Strings(q.Deployments), QueryValues.Strings(q.Endpoints), q.BuildExtra(), c),
            (s, c) => DeserializeAsync(s, _json.UsageSummary, c),
            ct), cancellationToken);
    }

    /// <summary>Gets the usage breakdown, grouped by <see cref="UsageQuery.GroupBy"/> when set (otherwise per time bucket only).</summary>
    /// <param name="projectId">The project id.</param>
    /// <param name="query">Filters and grouping, or null for all.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ArgumentException">The project id is empty or not a plain id.</exception>
    /// <exception cref="UsageApiException">The API answered with an error, or could not be reached.</exception>
    public virtual Task<UsageBreakdown> GetBreakdownAsync(string projectId, UsageQuery? query = null, CancellationToken cancellationToken = default)
    {
        CheckId(projectId, nameof(projectId));
        var q = query ?? new UsageQuery();
        return RunAsync("GetBreakdown", projectId, ct => SendAndReadAsync(
            c => _api.GetBreakdownAsync(projectId, UsageQuery.FormatDate(q.Start), UsageQuery.FormatDate(q.End), q.Grouping?.ToString(),
                QueryValues.Strings(q.Accessors), QueryValues.Strings(q.Tags), QueryValues.Strings(q.Models),
                QueryValues.Strings(q.Methods), QueryValues.Strings(q.Deployments), QueryValues.Strings(q.Endpoints), q.BuildExtra(), c),
            (s, c) => DeserializeAsync(s, _json.UsageBreakdown, c),
            ct), cancellationToken);
    }

    /// <summary>Lists what the usage can be filtered on: tags, models, processing methods, languages and features.</summary>
    /// <param name="projectId">The project id.</param>
    /// <param name="start">First day (UTC), or null for the API's default.</param>
    /// <param name="end">Last day (UTC), or null for today.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ArgumentException">The project id is invalid, or <paramref name="end"/> is before <paramref name="start"/>.</exception>
    /// <exception cref="UsageApiException">The API answered with an error, or could not be reached.</exception>
    public virtual Task<UsageFields> GetFieldsAsync(string projectId, DateOnly? start = null, DateOnly? end = null, CancellationToken cancellationToken = default)
    {
        CheckId(projectId, nameof(projectId));
        if (start is { } s && end is { } e && e < s)
        {
            throw new ArgumentException($"The end ({e:yyyy-MM-dd}) is before the start ({s:yyyy-MM-dd}); pass the earlier day first.", nameof(end));
        }
        return RunAsync("GetFields", projectId, ct => SendAndReadAsync(
            c => _api.GetFieldsAsync(projectId, UsageQuery.FormatDate(start), UsageQuery.FormatDate(end), c),
            (st, c) => DeserializeAsync(st, _json.UsageFields, c),
            ct), cancellationToken);
    }

    /// <summary>Describes the client (its address; never a credential).</summary>
    public override string ToString() => $"UsageClient {{ BaseAddress = {_options?.BaseAddress} }}";

    // ---------------------------------------------------------------- internals used by the pager

    internal DateTimeOffset PinEnd()
    {
        // Rounded up to the next whole second, so nothing created before the first call is left out.
        var now = _options.TimeProvider.GetUtcNow();
        var ticks = now.UtcTicks;
        var rem = ticks % TimeSpan.TicksPerSecond;
        return new DateTimeOffset(rem == 0 ? ticks : ticks - rem + TimeSpan.TicksPerSecond, TimeSpan.Zero);
    }

    internal async Task<RequestsPageBody> FetchRequestsPageAsync(string projectId, RequestsQuery q, string? end, int page, int limit, CancellationToken cancellationToken)
    {
        var start = q.Start is { } s ? RequestsQuery.FormatTime(s) : null;
        var body = await SendAndReadAsync(
            c => _api.ListRequestsAsync(projectId, start, end, limit, page, q.Accessor, q.RequestId,
                q.Deployment?.ToString(), q.Endpoint?.ToString(), q.Method?.ToString(), q.Status?.ToString(), q.BuildExtra(), c),
            (st, c) => BufferedJson.ReadAsync(st, utf8 => TolerantJson.ReadRequestsPage(utf8, _json.RequestsPageBody, _json.UsageRequest), c),
            cancellationToken).ConfigureAwait(false);
        var now = _options.TimeProvider.GetUtcNow();
        if (body.Requests is { } items)
        {
            body.RawCount = items.Count;
            items.RemoveAll(static r => r is null);
            foreach (var r in items)
            {
                r.State = _options.LogStates.Derive(r, now);
            }
        }
        return body;
    }

    /// <summary>
    /// Runs one public call (or one page of a listing): one activity tagged with operation, project id, page, item count,
    /// attempts and error status; the calls counter and the duration histogram (on the client's TimeProvider).
    /// </summary>
    internal async Task<T> RunAsync<T>(string operation, string projectId, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken, int? page = null)
    {
        using var activity = UsageDiagnostics.Start(operation, projectId, page, _options.BaseAddress);
        var state = CallState.BeginCall(operation, projectId);
        var time = _options.TimeProvider;
        var started = time.GetTimestamp();
        var outcome = "ok";
        string? errorType = null;
        try
        {
            var result = await call(cancellationToken).ConfigureAwait(false);
            UsageDiagnostics.Succeed(activity, result, state.Attempts);
            return result;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            outcome = "cancelled";
            throw;
        }
        catch (Exception e)
        {
            outcome = "error";
            errorType = UsageDiagnostics.ErrorType(e);
            UsageDiagnostics.Fail(activity, e);
            throw;
        }
        finally
        {
            var tags = new TagList
            {
                { UsageDiagnostics.OperationTag, operation },
                { UsageDiagnostics.ProjectIdTag, projectId },
                { UsageDiagnostics.OutcomeTag, outcome },
            };
            if (errorType is not null)
            {
                tags.Add(UsageDiagnostics.ErrorTypeTag, errorType);
            }
            UsageDiagnostics.Calls.Add(1, tags);
            UsageDiagnostics.Duration.Record(time.GetElapsedTime(started).TotalSeconds, tags);
        }
    }

    /// <summary>
    /// Sends a call (the handlers retry statuses and network errors) and reads its body. A body that breaks off mid-way
    /// (connection reset, truncated JSON) or does not arrive within what is left of its try's
    /// <see cref="UsageRetryOptions.TryTimeout"/> is fetched again within the same retry budget. The overall
    /// <see cref="UsageClientOptions.Timeout"/> spans all of it: tries, waits and bodies. Every failure but the caller's
    /// cancellation becomes a <see cref="UsageApiException"/>.
    /// </summary>
    internal async Task<T> SendAndReadAsync<T>(Func<CancellationToken, Task<HttpResponseMessage>> send, Func<Stream, CancellationToken, ValueTask<T>> read, CancellationToken cancellationToken)
    {
        var state = CallState.Begin(CallState.Current?.Operation ?? "");
        var time = _options.TimeProvider;
        using var call = new Deadline(_options.Timeout, time, cancellationToken);
        var bodyRetries = 0;
        while (true)
        {
            HttpResponseMessage response;
            try
            {
                response = await send(call.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                throw TransportFailure(call.Expired ? CallTimeout() : e, state);
            }
            using (response)
            using (var body = new Deadline(state.TryTimeLeft(time), time, call.Token))
            {
                if (!response.IsSuccessStatusCode)
                {
                    throw await ErrorFromResponseAsync(response, state.Attempts, body.Token, cancellationToken).ConfigureAwait(false);
                }
                try
                {
                    if (response.Content.Headers.ContentLength is { } len && len > _options.MaxResponseBytes)
                    {
                        throw new ResponseTooLargeException(_options.MaxResponseBytes);
                    }
                    var stream = await response.Content.ReadAsStreamAsync(body.Token).ConfigureAwait(false);
                    await using var limited = new LimitedReadStream(stream, _options.MaxResponseBytes);
                    var value = await read(limited, body.Token).ConfigureAwait(false);
                    return value ?? throw new JsonException("The response body was the JSON null.");
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    if (call.Expired)
                    {
                        throw TransportFailure(CallTimeout(), state);
                    }
                    // A body cut off by its try's limit is a timeout like one of the headers: transient, and status 0.
                    var timedOut = body.Expired && e is OperationCanceledException or IOException;
                    var retryable = timedOut || e is IOException or HttpRequestException || (e is JsonException && bodyRetries == 0 && IsTruncation(e));
                    if (retryable && bodyRetries < (_options.Retry.Enabled ? _options.Retry.MaxRetries : 0))
                    {
                        bodyRetries++;
                        UsageDiagnostics.Retries.Add(1, new("usage.operation", state.Operation), new("http.response.status_code", 0));
                        continue;
                    }
                    throw timedOut ? TransportFailure(new TryTimeoutException(state.TryLimit, body: true), state) : BodyFailure(e, response, state.Attempts);
                }
            }
        }
    }

    private TimeoutException CallTimeout()
        => new(string.Create(CultureInfo.InvariantCulture, $"The call did not complete within the Timeout of {_options.Timeout.TotalSeconds:0.###} s (tries, waits and bodies included)."));

    private static bool IsTruncation(Exception e) => e is JsonException j && (j.Message.Contains("end of", StringComparison.OrdinalIgnoreCase) || j.Message.Contains("incomplete", StringComparison.OrdinalIgnoreCase) || j.InnerException is IOException);

    private static async ValueTask<T> DeserializeAsync<T>(Stream stream, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
        => (await JsonSerializer.DeserializeAsync(stream, typeInfo, cancellationToken).ConfigureAwait(false))!;

    private async ValueTask<UsageRequest> ReadSingleRequestAsync(Stream stream, CancellationToken cancellationToken)
    {
        using var doc = await JsonDocument.ParseAsync(stream, new JsonDocumentOptions { MaxDepth = _options.MaxJsonDepth }, cancellationToken).ConfigureAwait(false);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException($"Expected a request object, got {root.ValueKind}.");
        }
        // The vendor spec wraps the request in {"request": …}; the API has been seen to send it flat. Accept both.
        var element = root.TryGetProperty("request", out var inner) && inner.ValueKind == JsonValueKind.Object ? inner : root;
        return TolerantJson.ReadRequest(element, _json.UsageRequest);
    }

    private UsageApiException TransportFailure(Exception e, CallState state)
    {
        var cause = e is ApiRequestException { InnerException: { } inner } ? inner : e;
        var timedOut = cause is TimeoutException or TaskCanceledException or OperationCanceledException;
        var what = timedOut ? $"timed out ({cause.Message})" : cause.Message;
        var message = Redact(UsageApiException.Describe(0, null, null, null, Math.Max(1, state.Attempts)).TrimEnd('.') + ": " + what);
        return new UsageApiException(message, 0, innerException: RedactCause(cause)) { Attempts = Math.Max(1, state.Attempts) };
    }

    private UsageApiException BodyFailure(Exception e, HttpResponseMessage response, int attempts)
    {
        var status = (int)response.StatusCode;
        var kind = e switch
        {
            ResponseTooLargeException => e.Message,
            JsonException j => "The response body could not be read as JSON: " + j.Message,
            IOException or HttpRequestException => "The response body broke off: " + e.Message,
            _ => "The response body could not be read: " + e.Message,
        };
        return new UsageApiException(Redact(kind), status, innerException: RedactCause(e))
        {
            Attempts = Math.Max(1, attempts),
            RequestId = RedactOrNull(RequestIdHeader(response)),
        };
    }

    /// <summary>The exception of an error answer; its body is read within <paramref name="readToken"/> (the try's limit), and left out when it cannot be.</summary>
    private async Task<UsageApiException> ErrorFromResponseAsync(HttpResponseMessage response, int attempts, CancellationToken readToken, CancellationToken cancellationToken)
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
        content = Redact(content);
        var error = ErrorBody.Parse(content, response.Content.Headers.ContentType?.MediaType);
        // Redacted again once decoded: a server may echo the credential JSON-escaped (\u0061…) or in a header.
        error = new ErrorBody(RedactOrNull(error.Code), RedactOrNull(error.Message), RedactOrNull(error.Details), RedactOrNull(error.RequestId));
        var requestId = error.RequestId ?? RedactOrNull(RequestIdHeader(response));
        TimeSpan? retryAfter = response.Headers.RetryAfter switch
        {
            { Delta: { } d } => d,
            { Date: { } date } => date - _options.TimeProvider.GetUtcNow() is var w && w > TimeSpan.Zero ? w : TimeSpan.Zero,
            _ => null,
        };
        var message = UsageApiException.Describe(status, error.Code, error.Message, requestId, Math.Max(1, attempts));
        if (status is >= 300 and < 400 && RedirectTarget(response) is { } target)
        {
            message += " It redirected to " + Redact(target) + "; the client does not follow redirects (check UsageClientOptions.BaseAddress).";
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
        var from = response.RequestMessage?.RequestUri is { IsAbsoluteUri: true } sent ? sent : _options.BaseAddress;
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

    internal string Redact(string text)
        => _secret is not { Length: >= 6 } || string.IsNullOrEmpty(text) ? text : text.Replace(_secret, "[REDACTED]", StringComparison.Ordinal);

    private string? RedactOrNull(string? text) => text is null ? null : Redact(text);

    /// <summary>
    /// The cause to keep inside a <see cref="UsageApiException"/>: itself, or, when its message or an inner one's shows the
    /// credential (a converter quoting a body value the server echoed), a copy of the same kind with the credential redacted
    /// (and without the inner chain).
    /// </summary>
    private Exception RedactCause(Exception e)
    {
        if (_secret is not { Length: >= 6 } secret)
        {
            return e;
        }
        for (var x = e; x is not null; x = x.InnerException)
        {
            if (x.Message.Contains(secret, StringComparison.Ordinal))
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

    // ---------------------------------------------------------------- construction and validation

    private static string CheckKey(string apiKey)
    {
        if (string.IsNullOrWhiteSpace(apiKey))
        {
            throw new ArgumentException("The API key is missing. Pass a Deepgram API key (for example from the DEEPGRAM_API_KEY variable).", nameof(apiKey));
        }
        if (apiKey.Any(c => char.IsControl(c) || c == ' '))
        {
            throw new ArgumentException("The API key contains spaces or control characters; pass the key exactly as Deepgram shows it.", nameof(apiKey));
        }
        return apiKey;
    }

    private static HttpClient CreateHttpClient(UsageClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ThrowIfInvalid(options);
        var snapshot = options.Clone();
        var logger = CreateLogger(snapshot.LoggerFactory);
        var chain = CreateHandlerChain(snapshot, logger);
        ((DelegatingHandler)chain[^1]).InnerHandler = snapshot.Transport ?? SharedTransport.Value;
        return new HttpClient(chain[0], disposeHandler: false) { BaseAddress = snapshot.BaseAddress, Timeout = snapshot.Timeout };
    }

    internal static ILogger CreateLogger(ILoggerFactory? loggerFactory)
        => loggerFactory?.CreateLogger(UsageClientDiagnostics.LoggerCategory) ?? NullLogger.Instance;

    /// <summary>
    /// The SDK's handlers, outermost first and already linked: retry (Polly; left out when
    /// <see cref="UsageRetryOptions.Enabled"/> is false), then auth. The primary handler goes inside the last one.
    /// Every call makes new instances (and a new policy), so nothing is shared between clients.
    /// </summary>
    internal static DelegatingHandler[] CreateHandlerChain(UsageClientOptions options, ILogger logger)
    {
        var auth = new AuthHandler(options);
        return options.Retry.Enabled
            ? [new RetryHandler(options.Retry, options.TimeProvider, logger) { InnerHandler = auth }, auth]
            : [auth];
    }

    internal static void ThrowIfInvalid(UsageClientOptions options)
    {
        var errors = Validate(options);
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors), nameof(options));
        }
    }

    /// <summary>Checks the options; each message names the setting to fix. Used by the constructor and by DI's ValidateOnStart.</summary>
    internal static List<string> Validate(UsageClientOptions o)
    {
        var errors = new List<string>();
        var hasKey = !string.IsNullOrWhiteSpace(o.ApiKey);
        var hasToken = !string.IsNullOrWhiteSpace(o.AccessToken);
        if (!hasKey && !hasToken)
        {
            errors.Add("UsageClientOptions.ApiKey is not set: set an API key (or UsageClientOptions.AccessToken for a JWT).");
        }
        if (hasKey && hasToken)
        {
            errors.Add("Set UsageClientOptions.ApiKey or UsageClientOptions.AccessToken, not both.");
        }
        foreach (var (name, value) in new[] { ("ApiKey", o.ApiKey), ("AccessToken", o.AccessToken) })
        {
            if (value is not null && value.Any(c => char.IsControl(c) || c == ' '))
            {
                errors.Add($"UsageClientOptions.{name} contains spaces or control characters.");
            }
        }
        if (!string.IsNullOrWhiteSpace(o.UserAgent) && !System.Net.Http.Headers.ProductInfoHeaderValue.TryParse(o.UserAgent, out _))
        {
            errors.Add($"UsageClientOptions.UserAgent '{OpenEnum.Printable(o.UserAgent)}' is not one product token such as 'my-app/1.2'.");
        }
        if (o.BaseAddress is null)
        {
            errors.Add("UsageClientOptions.BaseAddress is not set.");
        }
        else if (!o.BaseAddress.IsAbsoluteUri || (o.BaseAddress.Scheme != Uri.UriSchemeHttps && o.BaseAddress.Scheme != Uri.UriSchemeHttp))
        {
            errors.Add($"UsageClientOptions.BaseAddress must be an absolute http(s) address; got '{o.BaseAddress}'.");
        }
        else if (o.BaseAddress.Scheme == Uri.UriSchemeHttp && !o.BaseAddress.IsLoopback && !o.AllowInsecureTransport)
        {
            errors.Add($"UsageClientOptions.BaseAddress '{o.BaseAddress}' is plain http to a host that is not loopback: the key would cross the network in clear text. Use https, or set AllowInsecureTransport.");
        }
        else if (!string.IsNullOrEmpty(o.BaseAddress.Query) || !string.IsNullOrEmpty(o.BaseAddress.Fragment))
        {
            errors.Add("UsageClientOptions.BaseAddress must not have a query or fragment.");
        }
        if (o.Timeout <= TimeSpan.Zero && o.Timeout != System.Threading.Timeout.InfiniteTimeSpan)
        {
            errors.Add("UsageClientOptions.Timeout must be positive.");
        }
        else if (o.Timeout.TotalMilliseconds > int.MaxValue)
        {
            errors.Add("UsageClientOptions.Timeout must be at most 24 days (or Timeout.InfiniteTimeSpan).");
        }
        if (o.Retry is null)
        {
            errors.Add("UsageClientOptions.Retry is not set.");
        }
        else
        {
            if (o.Retry.MaxRetries is < 0 or > 20)
            {
                errors.Add("UsageClientOptions.Retry.MaxRetries must be from 0 to 20.");
            }
            foreach (var (name, value) in new[] { ("Delay", o.Retry.Delay), ("MaxDelay", o.Retry.MaxDelay), ("MaxRetryAfter", o.Retry.MaxRetryAfter) })
            {
                if (value < TimeSpan.Zero)
                {
                    errors.Add($"UsageClientOptions.Retry.{name} must not be negative.");
                }
            }
            if (o.Retry.TryTimeout <= TimeSpan.Zero && o.Retry.TryTimeout != System.Threading.Timeout.InfiniteTimeSpan)
            {
                errors.Add("UsageClientOptions.Retry.TryTimeout must be positive.");
            }
            else if (o.Retry.TryTimeout.TotalMilliseconds > int.MaxValue)
            {
                errors.Add("UsageClientOptions.Retry.TryTimeout must be at most 24 days (or Timeout.InfiniteTimeSpan).");
            }
        }
        if (o.LogStates is null)
        {
            errors.Add("UsageClientOptions.LogStates is not set.");
        }
        else if (o.LogStates.PendingFor < TimeSpan.Zero || o.LogStates.LostAfter < o.LogStates.PendingFor)
        {
            errors.Add("UsageClientOptions.LogStates.LostAfter must be at least PendingFor, and both non-negative.");
        }
        if (o.MaxResponseBytes < 1024)
        {
            errors.Add("UsageClientOptions.MaxResponseBytes must be at least 1024.");
        }
        if (o.MaxJsonDepth is < 8 or > 1024)
        {
            errors.Add("UsageClientOptions.MaxJsonDepth must be from 8 to 1024.");
        }
        if (o.TimeProvider is null)
        {
            errors.Add("UsageClientOptions.TimeProvider is not set.");
        }
        return errors;
    }

    internal static void CheckId(string id, string paramName)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            throw new ArgumentException($"The {paramName} must not be null, empty or white space.", paramName);
        }
        if (id.Length > 200)
        {
            throw new ArgumentException($"The {paramName} is longer than 200 characters.", paramName);
        }
        foreach (var c in id)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                throw new ArgumentException($"The {paramName} '{OpenEnum.Printable(id)}' has a character that is not allowed in an id ('{OpenEnum.Printable(c.ToString())}'); ids are letters, digits, '-', '_' and '.'.", paramName);
            }
        }
        if (id.Contains("..", StringComparison.Ordinal) || id == ".")
        {
            throw new ArgumentException($"The {paramName} '{OpenEnum.Printable(id)}' is not an id ('.' and '..' would change the path).", paramName);
        }
    }
}
