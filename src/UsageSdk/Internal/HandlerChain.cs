using System.Net;
using Microsoft.Extensions.Logging;

namespace UsageSdk.Internal;

/// <summary>
/// The <see cref="HttpClient"/> of a client made without DI: the SDK's handlers (retry, auth) over the options'
/// <see cref="UsageClientOptions.Transport"/> or one shared <see cref="SocketsHttpHandler"/>. DI builds the same chain
/// with <c>IHttpClientFactory</c> (<c>AddUsageClient</c>).
/// </summary>
internal static class HandlerChain
{
    private static readonly Lazy<HttpMessageHandler> SharedTransport = new(() => new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        AutomaticDecompression = DecompressionMethods.All,
        // A redirect is not followed: it becomes a UsageApiException naming the target, and the key stays with the API.
        AllowAutoRedirect = false,
    });

    /// <summary>An <see cref="HttpClient"/> over a new chain for a snapshot of <paramref name="options"/> (checked first).</summary>
    public static HttpClient CreateHttpClient(UsageClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        OptionsValidation.ThrowIfInvalid(options);
        var snapshot = options.Clone();
        var chain = Create(snapshot, UsageDiagnostics.CreateLogger(snapshot.LoggerFactory));
        ((DelegatingHandler)chain[^1]).InnerHandler = snapshot.Transport ?? SharedTransport.Value;
        return new HttpClient(chain[0], disposeHandler: false) { BaseAddress = snapshot.BaseAddress, Timeout = snapshot.Timeout };
    }

    /// <summary>
    /// The SDK's handlers, outermost first and already linked: retry (Polly; left out when
    /// <see cref="UsageRetryOptions.Enabled"/> is false), then auth. The primary handler goes inside the last one.
    /// Every call makes new instances (and a new policy), so nothing is shared between clients.
    /// </summary>
    public static DelegatingHandler[] Create(UsageClientOptions options, ILogger logger)
    {
        var auth = new AuthHandler(options);
        return options.Retry.Enabled
            ? [new RetryHandler(options.Retry, options.TimeProvider, logger) { InnerHandler = auth }, auth]
            : [auth];
    }
}
