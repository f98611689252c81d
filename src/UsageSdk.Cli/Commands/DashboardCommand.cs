using System.CommandLine;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using UsageSdk.Archive;
using UsageSdk.Archive.PostgreSql;
using UsageSdk.Cli.Infrastructure;
using UsageSdk.Dashboard;
using UsageSdk.Reports;
using UsageSdk.Testing;

namespace UsageSdk.Cli.Commands;

/// <summary>
/// <c>usage dashboard</c>: serves the live usage page (UsageSdk.Dashboard) on this machine, from the demo API
/// (<c>--demo</c>), an archive (<c>--db</c>) or the live API (<c>--project</c>, key from <c>DEEPGRAM_API_KEY</c>).
/// Kestrel on 127.0.0.1 unless <c>--listen</c> says otherwise; the URL goes to stdout on one line; Ctrl+C stops it.
/// Built on <see cref="WebApplication.CreateEmptyBuilder"/> (Kestrel and routing only: no configuration files, no
/// reflection), so it stays trimming and Native AOT safe.
/// </summary>
internal static class DashboardCommand
{
    /// <summary>The port when --port is not given.</summary>
    public const int DefaultPort = 5177;

    /// <summary>Where the page is mounted.</summary>
    public const string Path = "/usage";

    public static Command Create(CliHost host)
    {
        var db = new Option<string?>("--db") { Description = "Serve an archive instead of the API: a SQLite file (see 'usage archive sync') or PostgreSQL (postgres://user:pass@host:5432/db or an Npgsql connection string). Any range it holds, past the API's 90 days.", HelpName = "path|url" };
        var port = new Option<int?>("--port") { Description = $"The port (default {DefaultPort}; 0 for any free port).", HelpName = "n" };
        var listen = new Option<string?>("--listen") { Description = "The address to listen on (default 127.0.0.1, this machine only). Another address (0.0.0.0 for every interface) shows the usage to anyone who can reach it, without a login: a warning is printed.", HelpName = "address" };
        var prices = new Option<string?>("--prices") { Description = "A price table (JSON) to estimate the cost of requests without usd; estimates are shown apart from billed cost.", HelpName = "prices.json" };
        var budgetUsd = new Option<string?>("--budget-usd") { Description = "A daily budget in USD (billed cost); days over it are listed.", HelpName = "amount" };
        var budgetTokens = new Option<long?>("--budget-tokens") { Description = "A daily budget in tokens (in + out); days over it are listed.", HelpName = "n" };
        var budgetPerKey = new Option<bool>("--budget-per-key") { Description = "Apply the budgets to each API key separately." };

        var command = new Command("dashboard", $"Serves the usage dashboard on this machine (http://127.0.0.1:{DefaultPort}{Path}): KPI tiles, charts, per-key and per-model tables, log states, spikes, budgets, CSV/JSON export; date presets and filters in the URL. From the demo API (--demo), an archive (--db) or the live API (--project with DEEPGRAM_API_KEY). The API key never reaches the page. Stop it with Ctrl+C.");
        command.Add(db);
        command.Add(port);
        command.Add(listen);
        command.Add(prices);
        command.Add(budgetUsd);
        command.Add(budgetTokens);
        command.Add(budgetPerKey);
        host.Examples(command,
            "usage dashboard --demo",
            "usage dashboard --demo --db demo.db            # after: usage archive sync --demo --db demo.db",
            "DEEPGRAM_API_KEY=... usage dashboard --project <project-id>",
            "usage dashboard --project <project-id> --db postgres://usage:secret@localhost:5432/usage --port 8080",
            "usage dashboard --demo --port 0 --prices prices.json --budget-usd 25");

        command.SetAction((parse, ct) => host.RunAsync(parse, ct, async run =>
        {
            if (run.Parse.GetResult(host.Global.Output) is not null || run.Format != OutputFormat.Table)
            {
                throw new CliUsageException("dashboard serves a page and writes no file: drop --output and --format (the page has Export CSV and JSON links).");
            }
            var portValue = run.Get(port) ?? DefaultPort;
            if (portValue is < 0 or > 65535)
            {
                throw new CliUsageException($"--port {portValue} must be from 0 to 65535 (0 for any free port).");
            }
            var (address, warning) = ParseListen(run.Get(listen), portValue);

            var clock = run.IsDemo ? host.DemoClock : TimeProvider.System;
            var options = ReportOptions(run, prices, budgetUsd, budgetTokens, budgetPerKey);
            UsageArchive? archive = null;
            try
            {
                var source = CreateSource(run, db, clock, options, ref archive);
                var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "usage" });
                builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
                {
                    k.AddServerHeader = false;
                    k.Listen(address, portValue);
                });
                builder.Services.AddRoutingCore();
                await using var app = builder.Build();
                app.MapGet("/", context =>
                {
                    context.Response.Redirect(Path);
                    return Task.CompletedTask;
                });
                app.MapUsageDashboard(Path, o =>
                {
                    o.Title = run.IsDemo ? "Usage (demo data)" : "Usage";
                    o.Source = source;
                    o.TimeProvider = clock;
                    CopyReportOptions(options, o.Report);
                });
                try
                {
                    await app.StartAsync(run.CancellationToken).ConfigureAwait(false);
                }
                catch (IOException e) when (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException || e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
                {
                    throw new IOException($"port {portValue} on {address} is in use: pass another --port, or --port 0 for any free one.", e);
                }
                var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
                var url = Url(address, new Uri(bound).Port);
                if (warning is not null)
                {
                    host.Stderr.WriteLine(warning);
                    await host.Stderr.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                }
                host.Stdout.WriteLine(url);
                await host.Stdout.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                try
                {
                    await Task.Delay(Timeout.Infinite, run.CancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (run.CancellationToken.IsCancellationRequested)
                {
                    // Ctrl+C (or SIGTERM): the normal way to stop a server.
                }
                using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                await app.StopAsync(stopping.Token).ConfigureAwait(false);
                return 0;
            }
            finally
            {
                if (archive is not null)
                {
                    await archive.DisposeAsync().ConfigureAwait(false);
                }
            }
        }));
        return command;
    }

    /// <summary>The address of --listen and, for one that is not loopback, the warning to print.</summary>
    internal static (IPAddress Address, string? Warning) ParseListen(string? text, int port)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return (IPAddress.Loopback, null);
        }
        var t = text.Trim();
        IPAddress address;
        if (t.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            address = IPAddress.Loopback;
        }
        else if (t is "*" or "any")
        {
            address = IPAddress.Any;
        }
        else if (!IPAddress.TryParse(t.Trim('[', ']'), out address!))
        {
            throw new CliUsageException($"--listen '{text}' is not an IP address; use 127.0.0.1 (the default), ::1, 0.0.0.0 (every interface) or one of this machine's addresses.");
        }
        if (IPAddress.IsLoopback(address))
        {
            return (address, null);
        }
        var where = address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) ? $"{address} (every network interface)" : address.ToString();
        return (address, $"usage: warning: the dashboard listens on {where}, port {(port == 0 ? "(any)" : port)}, without a login: anyone who can reach this address sees the project's usage. Prefer the default 127.0.0.1, or mount it in your own app behind RequireAuthorization.");
    }

    private static string Url(IPAddress address, int port)
    {
        var host = address.Equals(IPAddress.Any) ? "127.0.0.1"
            : address.Equals(IPAddress.IPv6Any) ? "[::1]"
            : address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]"
            : address.ToString();
        return $"http://{host}:{port}{Path}";
    }

    private static IUsageDashboardSource CreateSource(CliRun run, Option<string?> db, TimeProvider clock, UsageReportOptions options, ref UsageArchive? archive)
    {
        var catalog = run.IsDemo ? new FakeUsageApi(new FakeUsageApiOptions { Seed = FakeUsageApi.DemoSeed, Days = 0, TimeProvider = clock }) : null;
        if (catalog is not null)
        {
            foreach (var key in catalog.Projects.SelectMany(p => p.ApiKeys))
            {
                options.Names.Keys[key.ApiKeyId] = key.Name;
                options.Names.Keys[key.Accessor] = key.Name;
            }
        }
        UsageDashboardProject Named(string id) => new(id, catalog?.Projects.FirstOrDefault(p => string.Equals(p.ProjectId, id, StringComparison.OrdinalIgnoreCase))?.Name);
        var project = run.Get(run.Host.Global.Project) is { Length: > 0 } p && !string.IsNullOrWhiteSpace(p) ? p.Trim() : null;

        if (run.Get(db) is { } database)
        {
            if (string.IsNullOrWhiteSpace(database))
            {
                throw new CliUsageException("--db is empty: pass a SQLite file path (usage.db) or a PostgreSQL URL (postgres://user:pass@host:5432/db).");
            }
            if (project is null && !run.IsDemo)
            {
                throw new CliUsageException("No project: pass --project <project-id> with --db (or --demo for the demo project).");
            }
            if (!PostgresArchive.IsPostgres(database) && !File.Exists(database.Trim()) && !database.Contains('=', StringComparison.Ordinal))
            {
                throw new CliUsageException($"--db '{database}': no such file. Sync one first: usage archive sync {(run.IsDemo ? "--demo" : "--project <project-id>")} --db {database}");
            }
            archive = PostgresArchive.Open(database.Trim(), client: null, new UsageArchiveOptions { TimeProvider = clock });
            return new UsageArchiveDashboardSource(archive, [Named(project ?? FakeUsageApi.DemoProjectId)]);
        }
        if (catalog is not null)
        {
            var projects = catalog.Projects.Select(x => new UsageDashboardProject(x.ProjectId, x.Name)).ToList();
            if (project is not null)
            {
                projects = [Named(project), .. projects.Where(x => !string.Equals(x.ProjectId, project, StringComparison.OrdinalIgnoreCase))];
            }
            return new UsageApiDashboardSource(run.Client, projects) { Description = "demo API (built-in, no network)" };
        }
        var client = run.Client; // checks the key and --project first
        return new UsageApiDashboardSource(client, [new UsageDashboardProject(run.ProjectId)]);
    }

    private static UsageReportOptions ReportOptions(CliRun run, Option<string?> prices, Option<string?> budgetUsd, Option<long?> budgetTokens, Option<bool> budgetPerKey)
    {
        var options = new UsageReportOptions();
        if (run.Get(prices) is { Length: > 0 } path)
        {
            options.Prices = ReportCommand.LoadPrices(path);
        }
        var maxUsd = ReportCommand.ParseDecimal(run.Get(budgetUsd), "--budget-usd");
        var maxTokens = run.Get(budgetTokens);
        if (maxUsd is < 0 || maxTokens is < 0)
        {
            throw new CliUsageException("--budget-usd and --budget-tokens must be zero or more.");
        }
        if (maxUsd is not null || maxTokens is not null)
        {
            options.Budgets.Add(new UsageBudget
            {
                Name = run.Get(budgetPerKey) ? "daily budget per key" : "daily budget",
                MaxUsd = maxUsd,
                MaxTokens = maxTokens,
                PerApiKey = run.Get(budgetPerKey),
            });
        }
        else if (run.Get(budgetPerKey))
        {
            throw new CliUsageException("--budget-per-key needs --budget-usd or --budget-tokens.");
        }
        return options;
    }

    private static void CopyReportOptions(UsageReportOptions from, UsageReportOptions to)
    {
        to.Prices = from.Prices;
        foreach (var b in from.Budgets)
        {
            to.Budgets.Add(b);
        }
        foreach (var (k, v) in from.Names.Keys)
        {
            to.Names.Keys[k] = v;
        }
    }
}
