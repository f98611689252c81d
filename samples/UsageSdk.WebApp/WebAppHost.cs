using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using UsageSdk.Archive;
using UsageSdk.Archive.PostgreSql;
using UsageSdk.Dashboard;
using UsageSdk.Testing;

namespace UsageSdk.WebApp;

/// <summary>
/// Builds the app: a cookie login for "usage viewers", the <c>UsageViewers</c> policy, and the dashboard mounted with
/// <c>app.MapUsageDashboard("/usage", …).RequireAuthorization("UsageViewers")</c>.
/// </summary>
public static class WebAppHost
{
    /// <summary>The authorization policy that guards the dashboard.</summary>
    public const string Policy = "UsageViewers";

    /// <summary>The role a signed-in viewer has.</summary>
    public const string ViewerRole = "usage-viewer";

    /// <summary>Builds the app. <c>--demo</c> in <paramref name="args"/> serves the built-in demo API.</summary>
    /// <param name="args">The command line (configuration overrides, and <c>--demo</c>).</param>
    /// <param name="configure">Last changes to the builder (tests use a test server and their own clock here).</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var demo = args.Contains("--demo", StringComparer.OrdinalIgnoreCase);
        var builder = WebApplication.CreateBuilder(args.Where(a => !a.Equals("--demo", StringComparison.OrdinalIgnoreCase)).ToArray());
        if (demo)
        {
            builder.Configuration["Dashboard:Demo"] = "true";
        }
        configure?.Invoke(builder);

        builder.Services.AddSingleton(TimeProvider.System);
        var live = !builder.Configuration.GetValue<bool>("Dashboard:Demo") && string.IsNullOrEmpty(builder.Configuration["Dashboard:Database"]);
        if (live)
        {
            builder.Services.AddUsageClient(builder.Configuration.GetSection("UsageSdk")); // validated at start: the key must be set
        }
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                o.LoginPath = "/login";
                o.LogoutPath = "/logout";
                o.Cookie.Name = "usage-viewer";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest; // Always behind TLS in production
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
            });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policy, p => p.RequireAuthenticatedUser().RequireRole(ViewerRole));
        builder.Services.AddAntiforgery();

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        var settings = app.Configuration.GetSection("Dashboard");
        var time = app.Services.GetRequiredService<TimeProvider>();
        var password = app.Configuration["Auth:ViewerPassword"];
        if (string.IsNullOrEmpty(password))
        {
            password = settings.GetValue<bool>("Demo")
                ? "demo"
                : throw new InvalidOperationException("Set Auth:ViewerPassword (the Auth__ViewerPassword environment variable or user secrets): the dashboard is shown only after a login.");
        }

        app.Use((context, next) =>
        {
            // The app's own pages (the login) get a strict policy too; the dashboard sets its own.
            context.Response.Headers.ContentSecurityPolicy = "default-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
            return next(context);
        });
        app.MapGet("/", () => Results.Redirect("/usage"));
        MapLogin(app, password);

        // The dashboard, behind the policy. The endpoints of MapUsageDashboard carry no authorization of their own.
        app.MapUsageDashboard("/usage", o =>
        {
            o.Title = settings["Title"] ?? "Usage";
            o.TimeProvider = time;
            var projects = settings.GetSection("Projects").Get<string[]>() ?? [];
            if (settings.GetValue<bool>("Demo"))
            {
                var fake = new FakeUsageApi(new FakeUsageApiOptions { Seed = FakeUsageApi.DemoSeed, TimeProvider = time });
                o.Source = new UsageApiDashboardSource(fake.CreateClient(), fake.Projects.Select(p => new UsageDashboardProject(p.ProjectId, p.Name))) { Description = "demo API (built-in)" };
                foreach (var key in fake.Projects.SelectMany(p => p.ApiKeys))
                {
                    o.Report.Names.Keys[key.ApiKeyId] = key.Name;
                }
            }
            else if (settings["Database"] is { Length: > 0 } database)
            {
                var archive = PostgresArchive.Open(database, client: null, new UsageArchiveOptions { TimeProvider = time });
                app.Lifetime.ApplicationStopped.Register(() => archive.DisposeAsync().AsTask().GetAwaiter().GetResult());
                o.Source = new UsageArchiveDashboardSource(archive, projects.Select(p => new UsageDashboardProject(p)));
            }
            else
            {
                // The live API through the AddUsageClient registration above (IUsageClientFactory, a client per view).
                foreach (var p in projects)
                {
                    o.Projects.Add(p);
                }
            }
        }).RequireAuthorization(Policy);
        return app;
    }

    private static void MapLogin(WebApplication app, string password)
    {
        var expected = SHA256.HashData(Encoding.UTF8.GetBytes(password));
        app.MapGet("/login", (HttpContext context, IAntiforgery antiforgery) =>
        {
            var tokens = antiforgery.GetAndStoreTokens(context);
            return Results.Content(LoginPage(tokens, context.Request.Query["ReturnUrl"], error: false), "text/html; charset=utf-8");
        });
        app.MapPost("/login", async (HttpContext context, IAntiforgery antiforgery) =>
        {
            if (!await antiforgery.IsRequestValidAsync(context))
            {
                return Results.BadRequest("The form expired: reload the sign-in page.");
            }
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var given = SHA256.HashData(Encoding.UTF8.GetBytes(form["password"].ToString()));
            if (!CryptographicOperations.FixedTimeEquals(given, expected))
            {
                var tokens = antiforgery.GetAndStoreTokens(context);
                return Results.Content(LoginPage(tokens, form["returnUrl"], error: true), "text/html; charset=utf-8", statusCode: StatusCodes.Status401Unauthorized);
            }
            var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "viewer"), new Claim(ClaimTypes.Role, ViewerRole)], CookieAuthenticationDefaults.AuthenticationScheme);
            await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
            var returnUrl = form["returnUrl"].ToString();
            return Results.LocalRedirect(returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal) ? returnUrl : "/usage");
        });
        app.MapPost("/logout", async (HttpContext context) =>
        {
            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.LocalRedirect("/login");
        });
    }

    private static string LoginPage(AntiforgeryTokenSet tokens, string? returnUrl, bool error)
    {
        static string E(string? s) => System.Net.WebUtility.HtmlEncode(s ?? "");
        return $"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Sign in · Usage</title></head>
            <body><main>
            <h1>Sign in to see the usage</h1>
            {(error ? "<p role=\"alert\">That password is not right.</p>" : "")}
            <form method="post" action="/login">
            <input type="hidden" name="{E(tokens.FormFieldName)}" value="{E(tokens.RequestToken)}">
            <input type="hidden" name="returnUrl" value="{E(returnUrl)}">
            <label for="password">Password</label> <input type="password" id="password" name="password" autocomplete="current-password" required>
            <button type="submit">Sign in</button>
            </form>
            </main></body></html>
            """;
    }
}
