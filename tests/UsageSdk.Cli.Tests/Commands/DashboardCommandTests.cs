using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using UsageSdk.Archive.Tests.Infrastructure;
using UsageSdk.Cli.Commands;
using UsageSdk.Cli.Infrastructure;
using UsageSdk.Cli.Tests.Infrastructure;

namespace UsageSdk.Cli.Tests.Commands;

public sealed partial class DashboardCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Runs `usage dashboard …` in the background until <see cref="StopAsync"/> (the Ctrl+C of a test).</summary>
    private sealed class Running : IAsyncDisposable
    {
        private readonly CancellationTokenSource _ctrlC = new();
        public LockedWriter Stdout { get; } = new();
        public LockedWriter Stderr { get; } = new();
        public Task<int> Exit { get; }

        public Running(params string[] args)
            => Exit = Task.Run(() => UsageSdk.Cli.Cli.RunAsync(args, Stdout, Stderr, new CliEnvironment { DemoClock = new FakeTimeProvider(CliRunner.Now), GetVariable = _ => null }, _ctrlC.Token));

        /// <summary>The URL the command printed (it prints it once it listens).</summary>
        public async Task<string> UrlAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (!Stdout.Text.Contains('\n'))
            {
                if (Exit.IsCompleted)
                {
                    throw new Xunit.Sdk.XunitException($"exited {await Exit}: {Stderr.Text}");
                }
                await Task.Delay(20, timeout.Token);
            }
            return Stdout.Text.TrimEnd();
        }

        public async Task<int> StopAsync()
        {
            await _ctrlC.CancelAsync();
            return await Exit.WaitAsync(TimeSpan.FromSeconds(30));
        }

        public async ValueTask DisposeAsync()
        {
            if (!Exit.IsCompleted)
            {
                await StopAsync();
            }
            _ctrlC.Dispose();
        }
    }

    internal sealed class LockedWriter : TextWriter
    {
        private readonly StringBuilder _sb = new();
        public override Encoding Encoding => Encoding.UTF8;
        public string Text { get { lock (_sb) { return _sb.ToString(); } } }
        public override void Write(char value) { lock (_sb) { _sb.Append(value); } }
        public override void Write(string? value) { lock (_sb) { _sb.Append(value); } }
        public override void WriteLine(string? value) { lock (_sb) { _sb.Append(value).Append('\n'); } }
    }

    private static string Tile(string html, string kpi)
        => TileRegex().Match(html[html.IndexOf($"data-kpi=\"{kpi}\"", StringComparison.Ordinal)..]).Groups[1].Value;

    [GeneratedRegex("<span class=\"value[^\"]*\" data-value=\"([^\"]*)\"")]
    private static partial Regex TileRegex();

    [Fact]
    public async Task Demo_serves_the_page_on_loopback_prints_the_URL_on_one_line_and_stops_cleanly_on_Ctrl_C()
    {
        await using var run = new Running("dashboard", "--demo", "--port", "0");
        var url = await run.UrlAsync();

        Assert.Matches(@"^http://127\.0\.0\.1:\d+/usage$", url);
        Assert.Equal("", run.Stderr.Text);
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var page = await http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.StartsWith("default-src 'none'", page.Headers.GetValues("Content-Security-Policy").Single());
        var html = await page.Content.ReadAsStringAsync();
        // The demo data of the last 7 days (the demo clock's), with the keys' names.
        var today = new DateTimeOffset(CliRunner.Now.UtcDateTime.Date, TimeSpan.Zero);
        var week = CliRunner.DemoRequests.Where(r => r.Created >= today.AddDays(-6) && r.Created < CliRunner.Now).ToList();
        Assert.Equal(week.Count.ToString(CultureInfo.InvariantCulture), Tile(html, "requests"));
        Assert.Equal(week.Sum(r => r.Response?.Details?.Usd ?? 0).ToString(CultureInfo.InvariantCulture), Tile(html, "billed-cost"));
        Assert.Contains("web-backend", html, StringComparison.Ordinal);
        Assert.Contains("Usage (demo data)", html, StringComparison.Ordinal);
        var root = await http.GetAsync(url.Replace("/usage", "/", StringComparison.Ordinal));
        Assert.Equal((HttpStatusCode.Redirect, "/usage"), (root.StatusCode, root.Headers.Location!.ToString()));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await http.PostAsync(url, new StringContent(""))).StatusCode);

        Assert.Equal(0, await run.StopAsync());
        Assert.Equal(url + "\n", run.Stdout.Text); // one line, nothing else
        Assert.Equal("", run.Stderr.Text);
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => http.GetAsync(url)); // it no longer listens
    }

    [Fact]
    public async Task Db_serves_an_archive_synced_from_the_demo()
    {
        var db = _dir.File("demo.db");
        var sync = await CliRunner.RunAsync("archive", "sync", "--demo", "--db", db, "--no-usage");
        Assert.True(sync.ExitCode == 0, sync.Stderr);

        await using var run = new Running("dashboard", "--demo", "--db", db, "--port", "0");
        using var http = new HttpClient();
        var html = await http.GetStringAsync(await run.UrlAsync() + "?range=30d");

        var today = new DateTimeOffset(CliRunner.Now.UtcDateTime.Date, TimeSpan.Zero);
        var month = CliRunner.DemoRequests.Where(r => r.Created >= today.AddDays(-29) && r.Created < CliRunner.Now).ToList();
        Assert.Equal(month.Count.ToString(CultureInfo.InvariantCulture), Tile(html, "requests"));
        Assert.Contains("· archive ", html, StringComparison.Ordinal);
        Assert.Contains("Acme Voice (production)", html, StringComparison.Ordinal);
        Assert.Equal(0, await run.StopAsync());
    }

    [Fact]
    public async Task A_port_in_use_fails_with_one_line_that_says_what_to_do()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var result = await CliRunner.RunAsync("dashboard", "--demo", "--port", port.ToString(CultureInfo.InvariantCulture));

        Assert.Equal($"usage: port {port} on 127.0.0.1 is in use: pass another --port, or --port 0 for any free one.", result.Fails(1));
    }

    [Theory]
    [InlineData("--port 70000", "usage: --port 70000 must be from 0 to 65535 (0 for any free port).")]
    [InlineData("--listen nowhere", "usage: --listen 'nowhere' is not an IP address; use 127.0.0.1 (the default), ::1, 0.0.0.0 (every interface) or one of this machine's addresses.")]
    [InlineData("--output page.html", "usage: dashboard serves a page and writes no file: drop --output and --format (the page has Export CSV and JSON links).")]
    [InlineData("--db missing.db", "usage: --db 'missing.db': no such file. Sync one first: usage archive sync --demo --db missing.db")]
    public async Task Bad_flags_fail_with_exit_code_2_and_one_line(string flags, string message)
    {
        var result = await CliRunner.RunAsync(["dashboard", "--demo", .. flags.Split(' ')]);
        Assert.Equal(message, result.Fails(2));
    }

    [Fact]
    public async Task Live_needs_a_key_and_a_project()
    {
        var result = await CliRunner.RunAsync("dashboard", "--project", "p1", "--port", "0");
        Assert.StartsWith("usage: No API key: set DEEPGRAM_API_KEY", result.Fails(2));
        result = await CliRunner.RunAsync(new Dictionary<string, string?> { ["DEEPGRAM_API_KEY"] = "k" }, "dashboard", "--port", "0");
        Assert.StartsWith("usage: No project: pass --project", result.Fails(2));
    }

    [Fact]
    public void Listening_beyond_loopback_comes_with_a_warning()
    {
        Assert.Equal((IPAddress.Loopback, null), DashboardCommand.ParseListen(null, 5177));
        Assert.Equal((IPAddress.Loopback, null), DashboardCommand.ParseListen("localhost", 5177));
        Assert.Equal((IPAddress.IPv6Loopback, null), DashboardCommand.ParseListen("[::1]", 5177));
        var (any, warning) = DashboardCommand.ParseListen("0.0.0.0", 5177);
        Assert.Equal(IPAddress.Any, any);
        Assert.Equal("usage: warning: the dashboard listens on 0.0.0.0 (every network interface), port 5177, without a login: anyone who can reach this address sees the project's usage. Prefer the default 127.0.0.1, or mount it in your own app behind RequireAuthorization.", warning);
        Assert.NotNull(DashboardCommand.ParseListen("192.0.2.10", 0).Warning);
        Assert.Throws<CliUsageException>(() => DashboardCommand.ParseListen("example.org", 5177));
    }

    [Fact]
    public async Task Help_lists_the_dashboard_with_its_examples()
    {
        var help = await CliRunner.RunAsync("dashboard", "--help");
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("--port", help.Stdout, StringComparison.Ordinal);
        Assert.Contains("--listen", help.Stdout, StringComparison.Ordinal);
        Assert.Contains("usage dashboard --demo", help.Stdout, StringComparison.Ordinal);
        Assert.Contains($"(default {DashboardCommand.DefaultPort}; 0 for any free port)", help.Stdout, StringComparison.Ordinal);
    }
}
