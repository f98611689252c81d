using System.Net;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using UsageSdk.Dashboard.Tests.Infrastructure;

namespace UsageSdk.Dashboard.Tests;

public sealed class SecurityTests
{
    private const string Csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private static readonly string[] Paths =
    [
        "/usage", "/usage/", "/usage?range=30d&ksort=name", "/usage?range=bogus", "/usage/export.csv", "/usage/export.csv?table=models",
        "/usage/export.json", "/usage/assets/dashboard.css", "/usage/assets/dashboard.js", "/usage/assets/icon.svg",
    ];

    [Fact]
    public async Task Every_answer_carries_the_strict_Content_Security_Policy_and_the_other_headers()
    {
        await using var d = await TestDashboard.StartAsync();
        foreach (var path in Paths)
        {
            var response = await d.Client.GetAsync(path);
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"{path}: {response.StatusCode}");
            Assert.Equal(Csp, Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
            Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
            Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
            Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
            Assert.Equal(path.Contains("/assets/", StringComparison.Ordinal) ? "public, max-age=3600" : "no-store", response.Headers.CacheControl!.ToString());
        }
        var css = await d.Client.GetAsync("/usage/assets/dashboard.css");
        Assert.Equal("text/css; charset=utf-8", css.Content.Headers.ContentType!.ToString());
        Assert.Contains("@media (max-width: 700px)", await css.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    [InlineData("PATCH")]
    public async Task Other_methods_than_GET_and_HEAD_answer_405(string method)
    {
        await using var d = await TestDashboard.StartAsync();
        foreach (var path in new[] { "/usage", "/usage/export.csv", "/usage/export.json", "/usage/assets/dashboard.js" })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent("x=1") };
            var response = await d.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
            Assert.Equal("GET, HEAD", string.Join(", ", response.Content.Headers.Allow));
        }
        using var head = new HttpRequestMessage(HttpMethod.Head, "/usage");
        var ok = await d.Client.SendAsync(head);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Empty(await ok.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task The_API_key_is_in_no_answer_not_even_when_the_API_fails()
    {
        await using var d = await TestDashboard.StartAsync();
        foreach (var path in Paths)
        {
            var body = await d.Client.GetStringAsyncAnyStatus(path);
            Assert.DoesNotContain(TestDashboard.SecretKey, body, StringComparison.Ordinal);
            Assert.DoesNotContain(TestDashboard.SecretKey[..12], body, StringComparison.Ordinal);
        }
        // The API answers 401 (as to a revoked key): the page says so, with status 502, and still no key.
        d.Api.Faults.FailNext(10, 401);
        var response = await d.Client.GetAsync("/usage?range=today");
        var page = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("The usage API failed", page, StringComparison.Ordinal);
        Assert.DoesNotContain(TestDashboard.SecretKey, page, StringComparison.Ordinal);
        Assert.DoesNotContain("Token ", page, StringComparison.Ordinal);
        d.Api.Faults.Clear();
        var csv = await d.Client.GetAsync("/usage/export.csv");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
    }

    [Fact]
    public async Task Values_from_the_API_are_escaped_and_cannot_inject_markup_or_spreadsheet_formulas()
    {
        await using var d = await TestDashboard.StartAsync();
        var evil = "<script>alert(1)</script>";
        d.Api.AddRequests(UsageModelFactory.UsageRequest("evil-1", TestDashboard.Project, TestDashboard.Now.AddHours(-1), "/v1/listen", apiKeyId: "=HYPERLINK(\"x\")", code: 200,
            response: UsageModelFactory.RequestResponse(details: UsageModelFactory.RequestDetails(usd: 0.5m, tags: [evil], models: ["\"><img src=x onerror=alert(1)>"]))));
        var (response, doc) = await d.GetPageAsync("?range=today");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(doc.QuerySelectorAll("script"));
        Assert.Empty(doc.QuerySelectorAll("img"));
        Assert.Contains(doc.QuerySelectorAll("select[name=tag] option"), o => o.TextContent == evil);
        var keys = await d.Client.GetStringAsync("/usage/export.csv?range=today&table=keys");
        Assert.Contains("\"'=HYPERLINK(\"\"x\"\")\"", keys, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequireAuthorization_on_the_returned_builder_protects_the_page_the_exports_and_the_assets()
    {
        await using var d = await TestDashboard.StartAsync(
            services: b =>
            {
                b.Services.AddAuthentication("test").AddScheme<AuthenticationSchemeOptions, HeaderAuthentication>("test", null);
                b.Services.AddAuthorization(o => o.AddPolicy("usage-viewers", p => p.RequireAuthenticatedUser().RequireRole("usage")));
            },
            convention: endpoints => endpoints.RequireAuthorization("usage-viewers"),
            middleware: app =>
            {
                app.UseAuthentication();
                app.UseAuthorization();
            });
        foreach (var path in Paths.Where(p => !p.Contains("bogus", StringComparison.Ordinal)))
        {
            var anonymous = await d.Client.GetAsync(path);
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.DoesNotContain("tile", await anonymous.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            using var wrongRole = new HttpRequestMessage(HttpMethod.Get, path);
            wrongRole.Headers.Add("X-Test-User", "mallory:guest");
            Assert.Equal(HttpStatusCode.Forbidden, (await d.Client.SendAsync(wrongRole)).StatusCode);

            using var viewer = new HttpRequestMessage(HttpMethod.Get, path);
            viewer.Headers.Add("X-Test-User", "alice:usage");
            Assert.Equal(HttpStatusCode.OK, (await d.Client.SendAsync(viewer)).StatusCode);
        }
    }

    /// <summary>Authenticates "name:role" from the X-Test-User header.</summary>
    private sealed class HeaderAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            if (!Request.Headers.TryGetValue("X-Test-User", out var value))
            {
                return Task.FromResult(AuthenticateResult.NoResult());
            }
            var parts = value.ToString().Split(':');
            var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, parts[0]), new Claim(ClaimTypes.Role, parts[1])], "test");
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), "test")));
        }
    }
}

internal static class HttpClientExtensions
{
    public static async Task<string> GetStringAsyncAnyStatus(this HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        return string.Join("\n", response.Headers.Concat(response.Content.Headers).Select(h => $"{h.Key}: {string.Join(",", h.Value)}")) + "\n" + await response.Content.ReadAsStringAsync();
    }
}
