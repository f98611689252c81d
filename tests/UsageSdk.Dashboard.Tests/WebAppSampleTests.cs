using System.Net;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using UsageSdk.Dashboard.Tests.Infrastructure;
using UsageSdk.WebApp;

namespace UsageSdk.Dashboard.Tests;

/// <summary>samples/UsageSdk.WebApp: the dashboard mounted behind a cookie login and the UsageViewers policy.</summary>
public sealed class WebAppSampleTests
{
    [Fact]
    public async Task The_sample_app_shows_the_dashboard_only_after_the_viewer_signs_in()
    {
        await using var app = WebAppHost.Build(["--demo"], b =>
        {
            b.WebHost.UseTestServer();
            b.Logging.ClearProviders();
            b.Configuration["Auth:ViewerPassword"] = "correct horse";
            b.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(TestDashboard.Now));
        });
        await app.StartAsync();
        var cookies = new CookieContainer();
        using var client = new HttpClient(new CookieHandler(cookies, app.GetTestServer().CreateHandler())) { BaseAddress = new Uri("http://localhost") };

        // Anonymous: the page, an export and an asset all send to the login.
        foreach (var path in new[] { "/usage", "/usage/export.csv", "/usage/assets/dashboard.js" })
        {
            var anonymous = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
            Assert.StartsWith("http://localhost/login?ReturnUrl=", anonymous.Headers.Location!.ToString());
        }

        var login = new HtmlParser().ParseDocument(await client.GetStringAsync("/login?ReturnUrl=%2Fusage%3Frange%3D30d"));
        var token = login.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        Assert.Equal("/usage?range=30d", login.QuerySelector("input[name=returnUrl]")!.GetAttribute("value"));

        // A wrong password, then a form without the antiforgery token, are refused.
        var wrong = await client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["password"] = "guess", ["returnUrl"] = "/usage" }));
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        var forged = await client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["password"] = "correct horse" }));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/usage")).StatusCode);

        var signIn = await client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["password"] = "correct horse", ["returnUrl"] = "/usage?range=30d" }));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/usage?range=30d", signIn.Headers.Location!.ToString());

        var page = await client.GetAsync("/usage?range=30d");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var doc = new HtmlParser().ParseDocument(await page.Content.ReadAsStringAsync());
        Assert.NotNull(doc.QuerySelector("li.tile[data-kpi=requests]"));
        Assert.Contains("demo API", doc.QuerySelector("header .sub")!.TextContent);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/usage/export.csv")).StatusCode);
        Assert.DoesNotContain(Testing.FakeUsageApi.DefaultApiKey, await page.Content.ReadAsStringAsync());
    }

    /// <summary>Keeps cookies between requests to the test server (its handler has no cookie container).</summary>
    private sealed class CookieHandler(CookieContainer cookies, HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var header = cookies.GetCookieHeader(request.RequestUri!);
            if (header.Length > 0)
            {
                request.Headers.Add("Cookie", header);
            }
            var response = await base.SendAsync(request, cancellationToken);
            if (response.Headers.TryGetValues("Set-Cookie", out var set))
            {
                foreach (var c in set)
                {
                    cookies.SetCookies(request.RequestUri!, c);
                }
            }
            return response;
        }
    }
}
