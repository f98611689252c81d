using Microsoft.Extensions.Options;

namespace UsageSdk.Internal;

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
