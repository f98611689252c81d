using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using UsageSdk;
using UsageSdk.Dashboard;
using UsageSdk.Dashboard.Internal;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Mounts the usage dashboard in an ASP.NET Core app: <c>app.MapUsageDashboard("/usage", o =&gt; …).RequireAuthorization("usage")</c>.</summary>
public static class UsageDashboardEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the usage dashboard under <paramref name="pattern"/>: the page (<c>/usage</c>), its exports
    /// (<c>/usage/export.csv</c>, <c>/usage/export.json</c>, with the page's query) and its own stylesheet and script
    /// (<c>/usage/assets/…</c>). Every endpoint answers GET and HEAD only (routing answers 405 to other methods), sets a
    /// strict Content-Security-Policy and never sends the API key. The endpoints carry no authorization of their own:
    /// add it on the returned builder (<c>.RequireAuthorization("policy")</c>), as with any endpoint.
    /// </summary>
    /// <param name="endpoints">The app (or any endpoint route builder).</param>
    /// <param name="pattern">The path prefix (default <c>/usage</c>); a literal path.</param>
    /// <param name="configure">Sets the source, projects, report options, clock and limits.</param>
    /// <returns>The convention builder of every dashboard endpoint (for <c>RequireAuthorization</c>, <c>RequireHost</c>, rate limiting, …).</returns>
    /// <exception cref="ArgumentException">The pattern is empty or not a literal path, or an option is out of range.</exception>
    /// <exception cref="InvalidOperationException">No source: set <see cref="UsageDashboardOptions.Source"/>, register an <see cref="IUsageDashboardSource"/>, or register a client with <c>AddUsageClient</c> and list <see cref="UsageDashboardOptions.Projects"/>.</exception>
    public static IEndpointConventionBuilder MapUsageDashboard(this IEndpointRouteBuilder endpoints, [StringSyntax("Route")] string pattern = "/usage", Action<UsageDashboardOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrWhiteSpace(pattern);
        var prefix = "/" + pattern.Trim().Trim('/');
        if (prefix.AsSpan().IndexOfAny("{}*?#") >= 0)
        {
            throw new ArgumentException($"The dashboard's pattern '{pattern}' must be a literal path such as /usage (no route parameters).", nameof(pattern));
        }
        var options = new UsageDashboardOptions();
        configure?.Invoke(options);
        options.Validate();
        var services = endpoints.ServiceProvider;
        var source = options.Source ?? services.GetService<IUsageDashboardSource>() ?? LiveSource(services, options);
        var logger = services.GetService<ILoggerFactory>()?.CreateLogger("UsageSdk.Dashboard") ?? NullLogger.Instance;
        var dashboard = new DashboardEndpoints(options, source, prefix, logger);

        var group = endpoints.MapGroup(prefix);
        var methods = DashboardEndpoints.Methods;
        group.MapMethods("/", methods, dashboard.PageAsync).WithDisplayName("Usage dashboard"); // routing takes /usage and /usage/ alike
        group.MapMethods("/export.csv", methods, dashboard.CsvAsync).WithDisplayName("Usage dashboard CSV export");
        group.MapMethods("/export.json", methods, dashboard.JsonAsync).WithDisplayName("Usage dashboard JSON export");
        group.MapMethods("/assets/dashboard.css", methods, c => DashboardEndpoints.AssetAsync(c, "dashboard.css", "text/css; charset=utf-8"));
        group.MapMethods("/assets/dashboard.js", methods, c => DashboardEndpoints.AssetAsync(c, "dashboard.js", "text/javascript; charset=utf-8"));
        group.MapMethods("/assets/icon.svg", methods, c => DashboardEndpoints.AssetAsync(c, "icon.svg", "image/svg+xml"));
        return group;
    }

    private static UsageApiDashboardSource LiveSource(IServiceProvider services, UsageDashboardOptions options)
    {
        var factory = services.GetService<IUsageClientFactory>();
        if (factory is null || options.Projects.Count == 0)
        {
            throw new InvalidOperationException(
                "MapUsageDashboard has no source of usage: set o.Source (new UsageApiDashboardSource(client, projects) or new UsageArchiveDashboardSource(archive, projects)), "
                + "register an IUsageDashboardSource, or register a client with services.AddUsageClient(...) and add the project ids to o.Projects.");
        }
        var name = options.ClientName;
        return new UsageApiDashboardSource(() => factory.CreateClient(name), options.Projects.Select(p => new UsageDashboardProject(p)));
    }
}
