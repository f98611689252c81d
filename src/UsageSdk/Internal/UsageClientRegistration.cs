using Microsoft.Extensions.Options;

namespace UsageSdk.Internal;

/// <summary>One <c>AddUsageClient</c> registration: its options name, its <see cref="HttpClient"/> name and where its configuration came from.</summary>
internal sealed class UsageClientRegistration(string name, string? configurationPath)
{
    public const string HttpClientNamePrefix = "UsageSdk.UsageClient";

    public string Name { get; } = name;

    public string HttpClientName { get; } = name.Length == 0 ? HttpClientNamePrefix : HttpClientNamePrefix + ":" + name;

    public string? ConfigurationPath { get; } = configurationPath;

    /// <summary>How messages refer to this registration: <c>UsageClient 'name' (configuration section 'X')</c>.</summary>
    public string Describe()
    {
        var text = Name.Length == 0 ? "UsageClient" : $"UsageClient '{Name}'";
        return ConfigurationPath is { Length: > 0 } path ? $"{text} (configuration section '{path}')" : text;
    }
}

/// <summary>Validates one registration's options with <see cref="UsageClient.Validate"/>; each message names the setting and the registration.</summary>
internal sealed class UsageClientOptionsValidator(UsageClientRegistration registration) : IValidateOptions<UsageClientOptions>
{
    public ValidateOptionsResult Validate(string? name, UsageClientOptions options)
    {
        if (!string.Equals(name ?? Options.DefaultName, registration.Name, StringComparison.Ordinal))
        {
            return ValidateOptionsResult.Skip;
        }
        var errors = UsageClient.Validate(options);
        if (errors.Count == 0)
        {
            return ValidateOptionsResult.Success;
        }
        var where = registration.Describe();
        return ValidateOptionsResult.Fail(errors.Select(e => $"{where}: {e}"));
    }
}

/// <summary>The default <see cref="IUsageClientFactory"/>: a new <see cref="UsageClient"/> over a new factory-made <see cref="HttpClient"/>.</summary>
internal sealed class UsageClientFactory(
    IHttpClientFactory httpClientFactory,
    IOptionsMonitor<UsageClientOptions> options,
    IEnumerable<UsageClientRegistration> registrations) : IUsageClientFactory
{
    private readonly Dictionary<string, UsageClientRegistration> _registrations = registrations
        .GroupBy(r => r.Name, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

    public UsageClient CreateClient(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!_registrations.TryGetValue(name, out var registration))
        {
            var known = _registrations.Count == 0 ? "none" : string.Join(", ", _registrations.Keys.Select(k => k.Length == 0 ? "(unnamed)" : $"'{k}'"));
            throw new InvalidOperationException(
                name.Length == 0
                    ? $"No unnamed UsageClient is registered; call services.AddUsageClient(...) (registered: {known})."
                    : $"No UsageClient named '{name}' is registered; call services.AddUsageClient(\"{name}\", ...) (registered: {known}).");
        }
        return new UsageClient(httpClientFactory.CreateClient(registration.HttpClientName), options.Get(name), ownsTransportChain: false);
    }
}

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
