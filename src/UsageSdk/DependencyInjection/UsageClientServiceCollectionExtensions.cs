using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using UsageSdk;
using UsageSdk.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers <see cref="UsageClient"/> with dependency injection, on <see cref="IHttpClientFactory"/>:
/// <c>services.AddUsageClient(configuration.GetSection("UsageSdk"))</c>.
/// </summary>
/// <remarks>
/// <para>
/// Each registration gets its own named <see cref="HttpClient"/>, options (<see cref="IOptionsMonitor{TOptions}"/>
/// name = the registration name), validator and handler instances: the SDK's retry handler (one Polly policy per
/// handler chain, never shared), then the handlers you add on the returned builder, then the SDK's auth handler
/// (wrapped around the primary handler, so neither your handlers nor the factory's request logging see the key). Options are validated when the host starts
/// (<c>ValidateOnStart</c>); messages name the setting. <see cref="TimeProvider"/> and <see cref="ILoggerFactory"/> are
/// taken from the container when the options do not set them. The <c>Authorization</c> header is redacted from
/// <see cref="IHttpClientFactory"/>'s logs. The factory's primary handler is set not to follow redirects; one you
/// configure on the returned builder is yours, and the auth handler still sends the key to the origin of
/// <see cref="UsageClientOptions.BaseAddress"/> only.
/// </para>
/// <para>
/// <see cref="UsageClient"/> is registered transient (unnamed: <c>UsageClient</c>; named: a keyed service,
/// <c>[FromKeyedServices("name")] UsageClient</c>), and <see cref="IUsageClientFactory"/> as a singleton. Inject
/// <see cref="UsageClient"/> into transient or scoped services; singletons should take <see cref="IUsageClientFactory"/>
/// and create a client when they need one.
/// </para>
/// </remarks>
public static class UsageClientServiceCollectionExtensions
{
    /// <summary>Registers the unnamed <see cref="UsageClient"/>, configured in code.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options, for example <c>o => o.ApiKey = key</c>.</param>
    /// <returns>The builder of the client's <see cref="HttpClient"/>, to add handlers or configure it further.</returns>
    public static IHttpClientBuilder AddUsageClient(this IServiceCollection services, Action<UsageClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return Register(services, Options.Options.DefaultName, null, configure);
    }

    /// <summary>Registers the unnamed <see cref="UsageClient"/>, bound to a configuration section (for example <c>"UsageSdk"</c> of <c>appsettings.json</c>).</summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The section: <c>ApiKey</c>, <c>BaseAddress</c>, <c>Timeout</c>, <c>Retry:MaxRetries</c>, …</param>
    /// <returns>The builder of the client's <see cref="HttpClient"/>, to add handlers or configure it further.</returns>
    public static IHttpClientBuilder AddUsageClient(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return Register(services, Options.Options.DefaultName, configuration, null);
    }

    /// <summary>Registers a named <see cref="UsageClient"/> (one per project or key, side by side), configured in code.</summary>
    /// <param name="services">The services.</param>
    /// <param name="name">The registration name: the key of the keyed service and the options name.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder of the client's <see cref="HttpClient"/>, to add handlers or configure it further.</returns>
    public static IHttpClientBuilder AddUsageClient(this IServiceCollection services, string name, Action<UsageClientOptions> configure)
    {
        CheckName(name);
        ArgumentNullException.ThrowIfNull(configure);
        return Register(services, name, null, configure);
    }

    /// <summary>Registers a named <see cref="UsageClient"/> (one per project or key, side by side), bound to a configuration section.</summary>
    /// <param name="services">The services.</param>
    /// <param name="name">The registration name: the key of the keyed service and the options name.</param>
    /// <param name="configuration">The section: <c>ApiKey</c>, <c>BaseAddress</c>, <c>Timeout</c>, <c>Retry:MaxRetries</c>, …</param>
    /// <returns>The builder of the client's <see cref="HttpClient"/>, to add handlers or configure it further.</returns>
    public static IHttpClientBuilder AddUsageClient(this IServiceCollection services, string name, IConfiguration configuration)
    {
        CheckName(name);
        ArgumentNullException.ThrowIfNull(configuration);
        return Register(services, name, configuration, null);
    }

    private static void CheckName(string name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException("The registration name must not be null, empty or white space; use the overload without a name for the unnamed client.", nameof(name));
        }
    }

    private static IHttpClientBuilder Register(IServiceCollection services, string name, IConfiguration? configuration, Action<UsageClientOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        var existing = Find(services, name);
        var registration = existing ?? new UsageClientRegistration(name, (configuration as IConfigurationSection)?.Path);
        var options = services.AddOptions<UsageClientOptions>(name);
        if (configuration is not null)
        {
            // Source-generated binding of the configurable settings (no reflection), reloaded when the configuration changes.
            options.Configure(o => UsageClientSettings.Apply(configuration, o, registration));
            services.AddSingleton<IOptionsChangeTokenSource<UsageClientOptions>>(new ConfigurationChangeTokenSource<UsageClientOptions>(name, configuration));
        }
        if (configure is not null)
        {
            options.Configure(configure);
        }
        var builder = services.AddHttpClient(registration.HttpClientName);
        if (existing is not null)
        {
            // A second call with the same name adds configuration only: no second set of handlers.
            return builder;
        }

        services.AddSingleton(registration);
        services.AddSingleton<IValidateOptions<UsageClientOptions>>(new UsageClientOptionsValidator(registration));
        options.ValidateOnStart();
        options.PostConfigure<IServiceProvider>(static (o, sp) =>
        {
            // Services of the host are used when the options leave them at their defaults.
            if (ReferenceEquals(o.TimeProvider, TimeProvider.System) && sp.GetService<TimeProvider>() is { } time)
            {
                o.TimeProvider = time;
            }
            o.LoggerFactory ??= sp.GetService<ILoggerFactory>();
        });

        services.TryAddSingleton<IUsageClientFactory, UsageClientFactory>();
        if (name.Length == 0)
        {
            services.TryAddTransient(static sp => sp.GetRequiredService<IUsageClientFactory>().CreateClient(Options.Options.DefaultName));
        }
        else
        {
            services.TryAddKeyedTransient<UsageClient>(name, static (sp, key) => sp.GetRequiredService<IUsageClientFactory>().CreateClient((string)key!));
        }

        builder.ConfigureHttpClient((sp, http) =>
        {
            var o = OptionsOf(sp, name);
            http.BaseAddress = o.BaseAddress;
            http.Timeout = o.Timeout;
        });
        // Outermost: the retry handler, new per handler chain (so is its Polly policy), unless retries are replaced.
        builder.ConfigureAdditionalHttpMessageHandlers((handlers, sp) =>
        {
            var o = OptionsOf(sp, name);
            if (o.Retry.Enabled)
            {
                handlers.Insert(0, new RetryHandler(o.Retry, o.TimeProvider, UsageDiagnostics.CreateLogger(o.LoggerFactory)));
            }
        });
        services.Configure<HttpClientFactoryOptions>(registration.HttpClientName, f => f.HttpMessageHandlerBuilderActions.Add(b =>
        {
            if (OptionsOf(b.Services, name).Transport is { } transport)
            {
                b.PrimaryHandler = new NonDisposingTransportHandler(transport);
            }
            else
            {
                // The factory's primary handler follows no redirect either: a 3xx becomes a UsageApiException naming the
                // target. A primary handler set later on the returned builder is the app's; the auth handler still sends
                // the key to BaseAddress's origin only.
                DoNotFollowRedirects(b.PrimaryHandler);
            }
        }));
        // Innermost: auth (and the count of tries) wraps the primary handler, below every handler the user adds and below
        // IHttpClientFactory's own request logging, whose structured state would otherwise carry the raw header value.
        // Post-configured so it wraps whatever primary handler the user configured, and so the redaction of the
        // Authorization header (defence in depth) survives a later RedactLoggedHeaders call.
        services.PostConfigure<HttpClientFactoryOptions>(registration.HttpClientName, f =>
        {
            f.HttpMessageHandlerBuilderActions.Add(b => b.PrimaryHandler = new AuthHandler(OptionsOf(b.Services, name)) { InnerHandler = b.PrimaryHandler });
            var redact = f.ShouldRedactHeaderValue;
            f.ShouldRedactHeaderValue = header => IsCredentialHeader(header) || redact(header);
        });
        return builder;
    }

    private static void DoNotFollowRedirects(HttpMessageHandler primary)
    {
        try
        {
            switch (primary)
            {
                case SocketsHttpHandler sockets:
                    sockets.AllowAutoRedirect = false;
                    break;
                case HttpClientHandler client:
                    client.AllowAutoRedirect = false;
                    break;
            }
        }
        catch (InvalidOperationException)
        {
            // A handler the app shares and has already used can no longer be changed; the auth handler's origin check holds.
        }
    }

    private static UsageClientOptions OptionsOf(IServiceProvider services, string name)
        => services.GetRequiredService<IOptionsMonitor<UsageClientOptions>>().Get(name);

    private static bool IsCredentialHeader(string header)
        => header.Equals("Authorization", StringComparison.OrdinalIgnoreCase) || header.Equals("Proxy-Authorization", StringComparison.OrdinalIgnoreCase);

    private static UsageClientRegistration? Find(IServiceCollection services, string name)
    {
        foreach (var d in services)
        {
            if (d.ServiceType == typeof(UsageClientRegistration) && !d.IsKeyedService && d.ImplementationInstance is UsageClientRegistration r && r.Name == name)
            {
                return r;
            }
        }
        return null;
    }
}
