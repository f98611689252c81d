namespace UsageSdk;

/// <summary>
/// Creates <see cref="UsageClient"/> instances for the registrations made with <c>services.AddUsageClient(...)</c>.
/// Inject it into singletons (hosted services, background workers) and create a client per unit of work, rather than
/// holding one client forever: each client takes a fresh <see cref="HttpClient"/> from <see cref="IHttpClientFactory"/>,
/// whose pooled handlers are rotated (DNS changes are seen). Creating a client is cheap.
/// </summary>
public interface IUsageClientFactory
{
    /// <summary>Creates a client for a registration.</summary>
    /// <param name="name">The name given to <c>AddUsageClient(name, …)</c>; <see cref="string.Empty"/> for the unnamed registration.</param>
    /// <returns>A new client; it needs no disposal.</returns>
    /// <exception cref="InvalidOperationException">No registration has that name.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The registration's options are invalid (the message names the setting).</exception>
    UsageClient CreateClient(string name);
}
