namespace UsageSdk.Internal;

/// <summary>
/// Makes a transport given in <see cref="UsageClientOptions.Transport"/> the primary handler of factory-made chains
/// without letting the factory dispose it when it rotates handlers (the options say the client never disposes it).
/// </summary>
internal sealed class NonDisposingTransportHandler(HttpMessageHandler transport) : HttpMessageHandler
{
    private readonly HttpMessageInvoker _invoker = new(transport, disposeHandler: false);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        => _invoker.SendAsync(request, cancellationToken);
}
