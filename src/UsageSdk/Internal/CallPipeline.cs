using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Refit;

namespace UsageSdk.Internal;

/// <summary>
/// The path of every call, shared by <see cref="UsageClient"/> and the pager: one activity and the call metrics around
/// it, the send through Refit's <see cref="IUsageApi"/> (whose <see cref="HttpClient"/> handlers authenticate and
/// retry), the deadline of the call and of each body, reading the body with the SDK's JSON context, and
/// <see cref="ErrorReader"/> for whatever goes wrong. A call is one <see cref="GetAsync{T}(string, string, Func{IUsageApi, CancellationToken, Task{HttpResponseMessage}}, JsonTypeInfo{T}, CancellationToken)"/>.
/// </summary>
internal sealed class CallPipeline
{
    private readonly IUsageApi _api;
    private readonly ErrorReader _errors;

    /// <summary>Makes the pipeline of one client over <paramref name="httpClient"/>; the options are copied and checked.</summary>
    /// <param name="httpClient">The client whose handlers already include the SDK's.</param>
    /// <param name="options">The options.</param>
    /// <param name="ownsTransportChain">False when DI made <paramref name="httpClient"/> (its timeout is set here).</param>
    public CallPipeline(HttpClient httpClient, UsageClientOptions options, bool ownsTransportChain)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options.Clone();
        OptionsValidation.ThrowIfInvalid(Options);
        Logger = UsageDiagnostics.CreateLogger(Options.LoggerFactory);
        Redactor = new SecretRedactor(Options.AccessToken ?? Options.ApiKey);
        _errors = new ErrorReader(Options, Redactor);
        httpClient.BaseAddress ??= Options.BaseAddress;
        if (!ownsTransportChain)
        {
            httpClient.Timeout = Options.Timeout;
        }
        Json = Options.MaxJsonDepth == 64
            ? WireJsonContext.Default
            : new WireJsonContext(new JsonSerializerOptions(WireJsonContext.Default.Options) { MaxDepth = Options.MaxJsonDepth });
        RequestLogs = new RequestLogReader(Options, Json, Logger);
        // Refit builds the route and the query; every call returns the raw response, read here (so no content serializer).
        _api = RestService.ForGenerated<IUsageApi>(httpClient);
    }

    /// <summary>The client's copy of its options.</summary>
    public UsageClientOptions Options { get; }

    /// <summary>The SDK's logger for this client.</summary>
    public ILogger Logger { get; }

    /// <summary>The JSON context bodies are read with (the wire models, at <see cref="UsageClientOptions.MaxJsonDepth"/>).</summary>
    public WireJsonContext Json { get; }

    /// <summary>Reads request logs (one, or a page) off a body.</summary>
    public RequestLogReader RequestLogs { get; }

    /// <summary>Redacts this client's credential.</summary>
    public SecretRedactor Redactor { get; }

    /// <summary>One call whose body is one model of <see cref="Json"/>.</summary>
    public Task<T> GetAsync<T>(string operation, string projectId, Func<IUsageApi, CancellationToken, Task<HttpResponseMessage>> send, JsonTypeInfo<T> body, CancellationToken cancellationToken)
        => GetAsync(operation, projectId, send, (stream, ct) => DeserializeAsync(stream, body, ct), cancellationToken);

    /// <summary>One call (or one page of a listing) whose body is read by <paramref name="read"/>.</summary>
    public Task<T> GetAsync<T>(string operation, string projectId, Func<IUsageApi, CancellationToken, Task<HttpResponseMessage>> send, Func<Stream, CancellationToken, ValueTask<T>> read, CancellationToken cancellationToken, int? page = null)
        => RunAsync(operation, projectId, ct => SendAndReadAsync(c => send(_api, c), read, ct), cancellationToken, page);

    /// <summary>
    /// Runs one public call (or one page of a listing): one activity tagged with operation, project id, page, item count,
    /// attempts and error status; the calls counter and the duration histogram (on the client's TimeProvider).
    /// </summary>
    private async Task<T> RunAsync<T>(string operation, string projectId, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken, int? page)
    {
        using var activity = UsageDiagnostics.Start(operation, projectId, page, Options.BaseAddress);
        var state = CallState.BeginCall(operation, projectId);
        var time = Options.TimeProvider;
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
    /// <see cref="UsageRetryOptions.TryTimeout"/> is fetched again at once, within the same retry budget: the tries of
    /// the call (<see cref="CallState.Attempts"/>, counted on the wire by <see cref="AuthHandler"/>) never pass
    /// <see cref="UsageRetryOptions.MaxRetries"/> + 1, however header failures (retried by <see cref="RetryHandler"/>,
    /// which reads the same count) and body failures mix. The overall <see cref="UsageClientOptions.Timeout"/> spans all
    /// of it: tries, waits and bodies. Every failure but the caller's cancellation becomes a <see cref="UsageApiException"/>.
    /// </summary>
    private async Task<T> SendAndReadAsync<T>(Func<CancellationToken, Task<HttpResponseMessage>> send, Func<Stream, CancellationToken, ValueTask<T>> read, CancellationToken cancellationToken)
    {
        var state = CallState.Begin(CallState.Current?.Operation ?? "");
        var time = Options.TimeProvider;
        using var call = new Deadline(Options.Timeout, time, cancellationToken);
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
                throw _errors.TransportFailure(call.Expired ? _errors.CallTimeout() : e, state);
            }
            using (response)
            using (var body = new Deadline(state.TryTimeLeft(time), time, call.Token))
            {
                if (!response.IsSuccessStatusCode)
                {
                    throw await _errors.FromResponseAsync(response, state.Attempts, body.Token, cancellationToken).ConfigureAwait(false);
                }
                try
                {
                    if (response.Content.Headers.ContentLength is { } len && len > Options.MaxResponseBytes)
                    {
                        throw new ResponseTooLargeException(Options.MaxResponseBytes);
                    }
                    var stream = await response.Content.ReadAsStreamAsync(body.Token).ConfigureAwait(false);
                    await using var limited = new LimitedReadStream(stream, Options.MaxResponseBytes);
                    var value = await read(limited, body.Token).ConfigureAwait(false);
                    return value ?? throw new JsonException("The response body was the JSON null.");
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    if (call.Expired)
                    {
                        throw _errors.TransportFailure(_errors.CallTimeout(), state);
                    }
                    // A body cut off by its try's limit is a timeout like one of the headers: transient, and status 0.
                    var timedOut = body.Expired && e is OperationCanceledException or IOException;
                    var retryable = timedOut || e is IOException or HttpRequestException || (e is JsonException && bodyRetries == 0 && IsTruncation(e));
                    var made = Volatile.Read(ref state.Attempts);
                    if (retryable && Options.Retry.Enabled && made <= Options.Retry.MaxRetries)
                    {
                        bodyRetries++;
                        state.AddRetry();
                        UsageDiagnostics.RetryMade(state, 0);
                        var error = timedOut ? "body timeout" : "body " + e.GetType().Name;
                        RetryHandler.LogRetry(Logger, response.RequestMessage?.Method.Method ?? "GET", response.RequestMessage?.RequestUri?.AbsolutePath, 0, error, made, Options.Retry.MaxRetries, 0);
                        continue;
                    }
                    throw timedOut ? _errors.TransportFailure(new TryTimeoutException(state.TryLimit, body: true), state) : _errors.BodyFailure(e, response, state.Attempts);
                }
            }
        }
    }

    private static bool IsTruncation(Exception e) => e is JsonException j && (j.Message.Contains("end of", StringComparison.OrdinalIgnoreCase) || j.Message.Contains("incomplete", StringComparison.OrdinalIgnoreCase) || j.InnerException is IOException);

    private static async ValueTask<T> DeserializeAsync<T>(Stream stream, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
        => (await JsonSerializer.DeserializeAsync(stream, typeInfo, cancellationToken).ConfigureAwait(false))!;
}
