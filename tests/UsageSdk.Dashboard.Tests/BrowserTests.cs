using System.Globalization;
using System.Reflection;
using Microsoft.Playwright;
using UsageSdk.Dashboard.Tests.Infrastructure;
using static UsageSdk.Dashboard.Tests.Infrastructure.Dom;

namespace UsageSdk.Dashboard.Tests;

/// <summary>
/// The page in a real browser: Debian's chromium (<c>/usr/bin/chromium</c>) driven by Playwright through
/// <c>ExecutablePath</c>, so nothing is downloaded. The dashboard runs on Kestrel at 127.0.0.1 on a free port. With
/// <c>USAGESDK_SCREENSHOTS=1</c> the test also writes the screenshots of docs/images/.
/// </summary>
public sealed class BrowserTests : IDisposable
{
    private const string Chromium = "/usr/bin/chromium";

    private readonly string _dir = Directory.CreateTempSubdirectory("usagesdk-browser-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly DateTimeOffset End = TestDashboard.Today.AddDays(1);

    [SkippableFact]
    public async Task In_chromium_the_page_shows_the_report_figures_is_keyboard_reachable_fits_a_phone_and_downloads_the_view_as_CSV()
    {
        Skip.IfNot(File.Exists(Chromium), $"Debian's chromium is not installed ({Chromium}); install it with 'apt-get install -y chromium' (.ci/run does).");
        Archive.UsageArchive? archive = null;
        await using var d = await TestDashboard.StartAsync(kestrel: true, mapMore: async (app, api, clock) =>
        {
            archive = await TestDashboard.SyncedArchiveAsync(api, clock, Path.Combine(_dir, "demo.db"));
            Microsoft.AspNetCore.Builder.UsageDashboardEndpointRouteBuilderExtensions.MapUsageDashboard(app, "/archive", o =>
            {
                o.Source = new UsageArchiveDashboardSource(archive, [new UsageDashboardProject(TestDashboard.Project, "Acme Voice (production)")]);
                o.TimeProvider = clock;
            });
        });
        await using var archiveLifetime = archive!;
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox", "--disable-gpu"] });
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 }, AcceptDownloads = true, Locale = "en-US" });
        var page = await context.NewPageAsync();
        var problems = new List<string>();
        page.Console += (_, m) =>
        {
            if (m.Type is "error" or "warning")
            {
                problems.Add($"console {m.Type}: {m.Text}");
            }
        };
        page.PageError += (_, e) => problems.Add("page error: " + e);
        page.RequestFailed += (_, r) => problems.Add("request failed: " + r.Url);

        // The tiles show what the report computes for the default range (the last 7 days).
        await page.GotoAsync(d.BaseUrl);
        var week = d.Expected(TestDashboard.Today.AddDays(-6), End).Totals;
        Assert.Equal(N(week.Requests), await page.Locator("li[data-kpi=requests] .value").InnerTextAsync());
        Assert.Equal(N(week.TokensTotal), await page.Locator("li[data-kpi=total-tokens] .value").InnerTextAsync());
        Assert.Equal(Usd(week.BilledUsd), await page.Locator("li[data-kpi=billed-cost] .value").InnerTextAsync());
        // The script ran (it shows the copy button), under the page's CSP.
        Assert.True(await page.Locator("button.copy-link").IsVisibleAsync());

        // Keyboard: the first Tab reaches the skip link; Tab goes on through the presets, the custom range, the filters,
        // the exports, the copy button and the sort links.
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("Skip to the figures", await page.EvaluateAsync<string>("document.activeElement.textContent"));
        var stops = new List<string>();
        for (var i = 0; i < 60; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            stops.Add(await page.EvaluateAsync<string>("(() => { const e = document.activeElement; return e.tagName.toLowerCase() + ':' + (e.id || e.getAttribute('name') || e.textContent.trim().slice(0, 24)); })()"));
        }
        foreach (var expected in new[] { "select:project", "a:Today", "a:30 days", "a:Last month", "input:from", "input:to", "select:f-key", "select:f-model", "select:f-tag", "select:f-method", "select:f-endpoint", "select:f-deployment", "a:Export CSV", "a:Export JSON", "button:Copy link to this view" })
        {
            Assert.Contains(expected, stops);
        }
        Assert.Contains(stops, s => s.StartsWith("summary:", StringComparison.Ordinal)); // the over-time table opens from the keyboard

        // A date preset chosen with the keyboard.
        await page.GotoAsync(d.BaseUrl);
        await page.Locator("nav.range a", new PageLocatorOptions { HasText = "30 days" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(u => u.Contains("range=30d", StringComparison.Ordinal));
        var month = d.Expected(TestDashboard.Today.AddDays(-29), End);
        Assert.Equal(N(month.Totals.Requests), await page.Locator("li[data-kpi=requests] .value").InnerTextAsync());

        // A filter chosen with the keyboard changes the figures.
        var key = month.ByApiKey.OrderBy(g => g.Name, StringComparer.OrdinalIgnoreCase).First(g => g.Key is not null);
        await page.Locator("select#f-key").FocusAsync();
        await page.Keyboard.PressAsync("ArrowDown"); // "Any" → the first key by name
        await page.Locator("form.filters button[type=submit]").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(u => u.Contains("key=" + key.Key, StringComparison.Ordinal));
        Assert.Equal(N(key.Figures.Requests), await page.Locator("li[data-kpi=requests] .value").InnerTextAsync());
        Assert.True(key.Figures.Requests < month.Totals.Requests);

        // "Export CSV" downloads the rows of this view (30 days, that key).
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator(".export a", new PageLocatorOptions { HasText = "Export CSV" }).ClickAsync());
        var path = await download.PathAsync();
        var csv = (await File.ReadAllLinesAsync(path!)).Skip(1).Select(l => l.Split(',')).ToList();
        var table = await page.Locator("table.over-time tbody tr").AllAsync();
        Assert.Equal(30, csv.Count);
        Assert.Equal(table.Count, csv.Count);
        for (var i = 0; i < csv.Count; i++)
        {
            var cells = await table[i].Locator("th, td").AllTextContentsAsync();
            Assert.Equal(cells[0], csv[i][0][..10]);
            Assert.Equal(cells[1], N(long.Parse(csv[i][2], CultureInfo.InvariantCulture)));
        }
        Assert.Equal(key.Figures.Requests, csv.Sum(r => long.Parse(r[2], CultureInfo.InvariantCulture)));

        // A page over the demo archive renders the same figures.
        await page.GotoAsync(d.BaseUrl.Replace("/usage", "/archive", StringComparison.Ordinal) + "?range=30d");
        Assert.Equal(N(month.Totals.Requests), await page.Locator("li[data-kpi=requests] .value").InnerTextAsync());
        Assert.StartsWith("Acme Voice (production) (" + TestDashboard.Project + ") · archive ", await page.Locator("header .sub").InnerTextAsync());
        Assert.Equal(4, await page.Locator("figure.chart-box svg").CountAsync());

        // The empty state.
        await page.GotoAsync(d.BaseUrl + "?range=custom&from=2025-06-01&to=2025-06-30");
        Assert.Equal("No usage data for this range", await page.Locator("section.empty h2").InnerTextAsync());

        await Screenshot(page, d, "dashboard-desktop.png", fullPage: true, scrollTo: null);

        // At phone width: nothing wider than the screen, tiles in two columns, the charts stacked.
        await using var phone = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 390, Height = 844 }, DeviceScaleFactor = 2, IsMobile = true, HasTouch = true });
        var small = await phone.NewPageAsync();
        small.PageError += (_, e) => problems.Add("page error (phone): " + e);
        await small.GotoAsync(d.BaseUrl);
        var wide = await small.EvaluateAsync<string>("[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 391 && !e.closest('.scroll')).map(e => e.tagName + '.' + e.className).slice(0, 12).join(', ')");
        Assert.True(wide.Length == 0, "wider than 390 px: " + wide);
        Assert.Equal(390, await small.EvaluateAsync<int>("window.innerWidth")); // a phone zooms out when something is wider
        Assert.True(await small.EvaluateAsync<bool>("document.documentElement.scrollWidth <= 390"), "the page scrolls sideways at 390 px");
        Assert.Equal(2, await small.EvaluateAsync<int>("getComputedStyle(document.querySelector('ul.tiles')).gridTemplateColumns.split(' ').length"));
        Assert.Equal(1, await small.EvaluateAsync<int>("getComputedStyle(document.querySelector('section.charts')).gridTemplateColumns.split(' ').length"));
        await Screenshot(small, d, "dashboard-phone.png", fullPage: false, scrollTo: "#period");
        // At 1280 px the tiles are in four columns and the charts in two.
        await page.GotoAsync(d.BaseUrl);
        Assert.Equal(4, await page.EvaluateAsync<int>("getComputedStyle(document.querySelector('ul.tiles')).gridTemplateColumns.split(' ').length"));
        Assert.Equal(2, await page.EvaluateAsync<int>("getComputedStyle(document.querySelector('section.charts')).gridTemplateColumns.split(' ').length"));

        // With JavaScript off the page is the same, only the copy button (the script's one addition) stays hidden.
        await using var noScript = await browser.NewContextAsync(new BrowserNewContextOptions { JavaScriptEnabled = false, ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var plain = await noScript.NewPageAsync();
        await plain.GotoAsync(d.BaseUrl);
        Assert.Equal(N(week.Requests), await plain.Locator("li[data-kpi=requests] .value").InnerTextAsync());
        Assert.Equal(4, await plain.Locator("figure.chart-box svg").CountAsync());
        Assert.False(await plain.Locator("button.copy-link").IsVisibleAsync());
        await plain.Locator("#keys thead a", new PageLocatorOptions { HasText = "Name" }).ClickAsync(); // sorting is a plain link
        await plain.WaitForURLAsync(u => u.Contains("ksort=name", StringComparison.Ordinal));
        Assert.Equal("ascending", await plain.Locator("#keys-table th[aria-sort]").GetAttributeAsync("aria-sort"));

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    private static async Task Screenshot(IPage page, TestDashboard d, string name, bool fullPage, string? scrollTo)
    {
        if (Environment.GetEnvironmentVariable("USAGESDK_SCREENSHOTS") != "1")
        {
            return;
        }
        var root = typeof(BrowserTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepoRoot").Value!;
        var dir = Path.Combine(root, "docs", "images");
        Directory.CreateDirectory(dir);
        await page.GotoAsync(d.BaseUrl + "?range=30d");
        if (scrollTo is not null)
        {
            await page.Locator(scrollTo).EvaluateAsync("e => e.scrollIntoView()");
        }
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(dir, name), FullPage = fullPage });
    }
}
