using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using UsageSdk.Cli.Infrastructure;
using UsageSdk.Cli.Reports;
using UsageSdk.Reports;
using UsageSdk.Testing;

namespace UsageSdk.Cli.Commands;

/// <summary>
/// <c>usage report</c>: a usage report like the providers' dashboards, built in one pass over the request logs —
/// terminal charts and tables, the numbers as json or csv, and a self-contained HTML page (--html).
/// </summary>
internal static class ReportCommand
{
    /// <summary>The window when neither --start nor --end is given: the last 7 days.</summary>
    public const int DefaultDays = 7;

    /// <summary>Rows per group table when --top is not given.</summary>
    public const int DefaultTop = 10;

    public static Command Create(CliHost host)
    {
        var filters = new FilterOptions(Filters.Requests);
        var by = new Option<string?>("--by") { Description = "Group the tables (and csv rows) by key, model, tag, method, endpoint or deployment; several with commas (default: key and model).", HelpName = "key|model|tag|method|endpoint|deployment" };
        var top = new Option<int?>("--top") { Description = $"Rows per group table, by requests (default {DefaultTop}; csv lists every group unless --top is given).", HelpName = "n" };
        var prices = new Option<string?>("--prices") { Description = "A price table (JSON: per model, per_million_input_tokens, per_million_output_tokens, per_audio_hour, per_million_characters) to estimate the cost of requests without usd, and to split the cost of a request that used several models (a voice agent) among them. Estimates are shown apart from billed cost.", HelpName = "prices.json" };
        var names = new Option<string?>(NamesFile.OptionName) { Description = NamesFile.Description, HelpName = "names.json" };
        var html = new Option<string?>("--html") { Description = "Also write a self-contained HTML page (inline SVG charts, no network) to this file.", HelpName = "report.html" };
        var spike = new Option<string?>("--spike-threshold") { Description = "Spike factor k: an hour is a spike when above median + k × σ̂ of the period's hours, σ̂ = 1.4826 × the MAD of the hours above the median (default 3.5).", HelpName = "k" };
        var budgetUsd = new Option<string?>("--budget-usd") { Description = "A daily budget in USD (billed cost; with --prices, billed + estimated); days over it are listed.", HelpName = "amount" };
        var budgetTokens = new Option<long?>("--budget-tokens") { Description = "A daily budget in tokens (in + out); days over it are listed.", HelpName = "n" };
        var budgetPerKey = new Option<bool>("--budget-per-key") { Description = "Apply --budget-usd and --budget-tokens to each API key separately." };
        var allProjects = new Option<bool>("--all-projects") { Description = "A report for every project the key can read, each in its own section (json: one entry per project; csv: a leading project_id column; --html: one page per project, the project id before the extension)." };

        var command = new Command("report", $"A usage report from the request logs, in one pass: totals, requests per hour, tokens in vs out per day, per-key and per-model tables (or --by), log states, spikes and budget breaches, with billed and estimated cost apart. Without --start/--end: the last {DefaultDays} days (UTC, today included). --format json|csv gives the numbers; --html writes a page that works offline.");
        filters.AddTo(command);
        command.Add(by);
        command.Add(top);
        command.Add(prices);
        command.Add(names);
        command.Add(html);
        command.Add(spike);
        command.Add(budgetUsd);
        command.Add(budgetTokens);
        command.Add(budgetPerKey);
        command.Add(allProjects);
        host.Examples(command,
            "usage report --demo",
            "usage report --demo --html report.html",
            "usage report --demo --by tag --top 5",
            "usage report --demo --since 30d --format csv --by model --output models.csv",
            "usage report --demo --start -14d --end -7d --by endpoint",
            "usage report --demo --project 2b7e151a-628a-4ed2-a6ab-f7158809cf4f --prices prices.json",
            "usage report --project <project-id> --names names.json",
            "usage report --demo --budget-usd 25 --budget-per-key --format json",
            "usage report --demo --all-projects");

        command.SetAction((parse, ct) => host.RunAsync(parse, ct, async run =>
        {
            if (run.Format == OutputFormat.Jsonl)
            {
                throw new CliUsageException("report writes table, json or csv (jsonl is for record listings such as 'usage requests list').");
            }
            var dimensions = ParseDimensions(run.Get(by));
            var topValue = run.Get(top);
            if (topValue is < 1)
            {
                throw new CliUsageException($"--top {topValue} must be at least 1.");
            }
            var spikeThreshold = ParseDecimal(run.Get(spike), "--spike-threshold");
            if (spikeThreshold is <= 0)
            {
                throw new CliUsageException($"--spike-threshold {spikeThreshold.Value.ToString(CultureInfo.InvariantCulture)} must be greater than 0.");
            }
            var namesFile = run.Get(names) is { Length: > 0 } namesPath ? NamesFile.Load(namesPath) : null;
            var priceTable = run.Get(prices) is { Length: > 0 } pricesPath ? LoadPrices(pricesPath) : null;
            var maxUsd = ParseDecimal(run.Get(budgetUsd), "--budget-usd");
            var maxTokens = run.Get(budgetTokens);
            if (maxUsd is < 0 || maxTokens is < 0)
            {
                throw new CliUsageException("--budget-usd and --budget-tokens must be zero or more.");
            }
            if (maxUsd is null && maxTokens is null && run.Get(budgetPerKey))
            {
                throw new CliUsageException("--budget-per-key needs --budget-usd or --budget-tokens.");
            }
            // The options of one project's report (each project gets its own: names and figures are per project).
            UsageReportOptions NewOptions()
            {
                var o = new UsageReportOptions();
                if (spikeThreshold is { } k)
                {
                    o.SpikeThreshold = k;
                }
                o.Prices = priceTable;
                if (maxUsd is not null || maxTokens is not null)
                {
                    o.Budgets.Add(new UsageBudget
                    {
                        Name = run.Get(budgetPerKey) ? "daily budget per key" : "daily budget",
                        MaxUsd = maxUsd,
                        MaxTokens = maxTokens,
                        PerApiKey = run.Get(budgetPerKey),
                        IncludeEstimatedUsd = o.Prices is not null,
                    });
                }
                return o;
            }
            var htmlPath = run.Get(html);
            if (htmlPath is not null)
            {
                htmlPath = CheckHtmlPath(htmlPath);
            }

            // The window: --start/--end, else the last 7 UTC days, today included (of the demo's clock with --demo).
            // A relative start (--since 7d, --start -7d) runs to now; a start date alone, for 7 days.
            var now = run.Now;
            var (start, end) = filters.GetTimes(run);
            end ??= start is null || filters.StartIsRelative(run.Parse) ? now : Min(now, start.Value.AddDays(DefaultDays));
            start ??= new DateTimeOffset(end.Value.UtcDateTime.Date, TimeSpan.Zero).AddDays(1 - DefaultDays);
            if (end <= start)
            {
                throw new CliUsageException($"--end {end.Value.ToString("O", CultureInfo.InvariantCulture)} is not after --start {start.Value.ToString("O", CultureInfo.InvariantCulture)}.");
            }
            var limit = filters.GetLimit(run.Parse);
            var clientFilter = filters.ClientSideRequestFilter(run.Parse);
            var query = filters.ToRequestsQuery(run).Between(start.Value, end.Value);
            var client = run.Client;
            var filtered = clientFilter is not null || filters.DescribeFilters(run.Parse).Length > 0;

            async Task<UsageReport> BuildAsync(string project, string? label)
            {
                var options = NewOptions();
                options.Start = start;
                options.End = end;
                await AddNamesAsync(run, project, options.Names, start.Value, end.Value).ConfigureAwait(false);
                if (namesFile is not null)
                {
                    options.Names.Add(namesFile); // the file's names win over the API's
                }
                if (!filtered && limit is null)
                {
                    // The cost view is of the whole project; a report of filtered or limited logs leaves it out, as
                    // neither per-model billing nor a reconciliation would compare like with like.
                    options.UseBilling(await CostViewAsync(run, project, now, DateOnly.FromDateTime(start.Value.UtcDateTime), options.Names).ConfigureAwait(false));
                }
                var builder = new UsageReportBuilder(options);
                var seen = 0L;
                await foreach (var r in client.GetRequestsAsync(project, query, run.CancellationToken).ConfigureAwait(false))
                {
                    if (++seen % 1000 == 0)
                    {
                        host.Progress.Report($"Read {Fmt.Count(seen)} request logs{label}…");
                    }
                    if (clientFilter is not null && !clientFilter(r))
                    {
                        continue;
                    }
                    if (limit is { } l && builder.Count >= l)
                    {
                        break;
                    }
                    builder.Add(r);
                }
                host.Progress.Clear();
                return builder.Build();
            }

            var demo = run.IsDemo ? " (demo data)" : "";
            if (run.Get(allProjects))
            {
                var projects = await ProjectsCommand.AllAsync(run).ConfigureAwait(false);
                var sections = new List<ProjectReport>();
                for (var i = 0; i < projects.Count; i++)
                {
                    var p = projects[i];
                    var report = await BuildAsync(p.ProjectId!, $" of project {i + 1} of {projects.Count}").ConfigureAwait(false);
                    var pageFile = htmlPath is null ? null : PerProjectPath(htmlPath, p.ProjectId!);
                    if (pageFile is not null)
                    {
                        UsageReportHtml.WriteFile(report, pageFile, new UsageReportHtmlOptions { Title = "Usage report", Subtitle = $"Project {ProjectsCommand.Label(p)}{demo}", GeneratedAt = now });
                    }
                    sections.Add(new ProjectReport(p, report, $"Usage report · project {ProjectsCommand.Label(p)}{demo}", pageFile));
                }
                await WriteReportsAsync(run, sections, dimensions, topValue).ConfigureAwait(false);
                if (sections.All(x => x.Report.Totals.Requests == 0))
                {
                    EmptyNote.Write(run, "request logs", start, end, days: false, filters.DescribeFilters(run.Parse));
                }
                return 0;
            }

            var project = run.ProjectId;
            var single = await BuildAsync(project, null).ConfigureAwait(false);
            var title = $"Usage report · project {project}{demo}";
            if (htmlPath is not null)
            {
                UsageReportHtml.WriteFile(single, htmlPath, new UsageReportHtmlOptions { Title = "Usage report", Subtitle = $"Project {project}{demo}", GeneratedAt = now });
            }

            await WriteReportAsync(run, single, dimensions, topValue, title, htmlPath).ConfigureAwait(false);
            if (single.Totals.Requests == 0)
            {
                EmptyNote.Write(run, "request logs", start, end, days: false, filters.DescribeFilters(run.Parse));
            }
            return 0;
        }));
        return command;
    }

    /// <summary>
    /// Names of keys and models from the API when the key may read them: key names (a key's comment) from GET /keys,
    /// model names from GET /models and /usage/fields; in the demo also the demo keys' accessors.
    /// </summary>
    internal static async Task AddNamesAsync(CliRun run, string projectId, UsageNames names, DateTimeOffset start, DateTimeOffset end)
    {
        try
        {
            var fields = await run.Client.GetFieldsAsync(projectId, DateOnly.FromDateTime(start.UtcDateTime), DateOnly.FromDateTime(end.UtcDateTime), run.CancellationToken).ConfigureAwait(false);
            foreach (var m in fields.Models)
            {
                if (!string.IsNullOrEmpty(m.ModelId) && !string.IsNullOrEmpty(m.Name))
                {
                    names.Models[m.ModelId] = m.Name;
                }
            }
        }
        catch (UsageApiException)
        {
            // Names are a nicety: the report shows model ids when /usage/fields is not available or not allowed
            // (a key whose listing fails too says so at the listing, with its own message).
        }
        try
        {
            // Current models only: an outdated version shares its name with the current one, and a failed request that
            // asked for a model by name (model=nova-3) must keep landing on the model the logs use.
            var models = await run.Client.GetModelsAsync(projectId, includeOutdated: false, run.CancellationToken).ConfigureAwait(false);
            foreach (var m in models.Stt.Concat(models.Tts))
            {
                if (!string.IsNullOrEmpty(m.ModelId) && !string.IsNullOrEmpty(m.Name) && !names.Models.ContainsKey(m.ModelId))
                {
                    names.Models[m.ModelId] = m.Name;
                }
            }
        }
        catch (UsageApiException)
        {
            // A key without the scope to list models (401/403), or a failed call: ids stay as they are.
        }
        try
        {
            foreach (var key in await run.Client.GetKeysAsync(projectId, run.CancellationToken).ConfigureAwait(false))
            {
                if (!string.IsNullOrEmpty(key.ApiKeyId) && !string.IsNullOrWhiteSpace(key.Comment))
                {
                    names.Keys[key.ApiKeyId] = key.Comment;
                }
            }
        }
        catch (UsageApiException)
        {
            // A key without the scope to list keys (a member key sees only its own, a scoped key none): key ids.
        }
        if (run.IsDemo)
        {
            names.Add(DemoNames(projectId, run.Host.DemoClock));
        }
    }

    /// <summary>
    /// The cost view of a project: the billing breakdown from the 1st of the previous month (or the report's first day
    /// when earlier) to today, grouped by accessor, line item and tags, and the balances. A key that may not read
    /// billing (401/403) gets a view that says so in one line; the report goes on without it.
    /// </summary>
    internal static async Task<UsageCostView> CostViewAsync(CliRun run, string projectId, DateTimeOffset now, DateOnly from, UsageNames names)
    {
        BillingBreakdown breakdown;
        try
        {
            breakdown = await run.Client.GetBillingBreakdownAsync(projectId, UsageCostView.CreateQuery(now, from), run.CancellationToken).ConfigureAwait(false);
        }
        catch (UsageApiException e) when (e.Status is 401 or 403)
        {
            return UsageCostView.Unavailable($"billing isn't readable with this API key ({e.Status}): the cost view needs the billing:read scope (owner and admin keys).", now);
        }
        IReadOnlyList<ProjectBalance>? balances = null;
        try
        {
            balances = await run.Client.GetBalancesAsync(projectId, run.CancellationToken).ConfigureAwait(false);
        }
        catch (UsageApiException e) when (e.Status is 401 or 403 or 404)
        {
            // The balance is a nicety: the view goes on without it.
        }
        return UsageCostView.Create(breakdown, now, balances, names);
    }

    /// <summary>The names the demo API gives its keys (web-backend, voice-agent, …; by id and by accessor) and models.</summary>
    internal static UsageNames DemoNames(string projectId, TimeProvider clock)
    {
        var names = new UsageNames();
        var catalog = new FakeUsageApi(new FakeUsageApiOptions { Seed = FakeUsageApi.DemoSeed, Days = 0, TimeProvider = clock });
        foreach (var key in catalog.Projects.Where(p => string.Equals(p.ProjectId, projectId, StringComparison.OrdinalIgnoreCase)).SelectMany(p => p.ApiKeys))
        {
            names.Keys[key.ApiKeyId] = key.Name;
            names.Keys[key.Accessor] = key.Name;
        }
        foreach (var m in catalog.Models)
        {
            names.Models[m.ModelId] = m.Name;
        }
        return names;
    }

    /// <summary>Writes a report in the run's output format: JSON, CSV, or tables and charts on the terminal.</summary>
    internal static async Task WriteReportAsync(CliRun run, UsageReport report, IReadOnlyList<UsageReportDimension>? dimensions, int? top, string title, string? htmlPath)
    {
        await using var output = run.OpenOutput();
        switch (output.Format)
        {
            case OutputFormat.Json:
                await output.WriteJsonAsync(report.WriteJson, indented: true).ConfigureAwait(false);
                break;
            case OutputFormat.Csv:
                await ReportCsv.WriteAsync(output.Writer, report, dimensions ?? [UsageReportDimension.ApiKey], top).ConfigureAwait(false);
                break;
            default:
                ReportTerminal.Write(output.CreateConsole(), report,
                    new ReportView(title, dimensions ?? [UsageReportDimension.ApiKey, UsageReportDimension.Model], top ?? DefaultTop, htmlPath));
                break;
        }
    }

    /// <summary>One project's report of --all-projects.</summary>
    internal sealed record ProjectReport(UsageProject Project, UsageReport Report, string Title, string? HtmlPath);

    /// <summary>
    /// Writes the reports of --all-projects: tables one section per project; JSON <c>{"projects":[{"project_id", "name",
    /// "report"}]}</c>; CSV one header with a leading <c>project_id</c> column.
    /// </summary>
    internal static async Task WriteReportsAsync(CliRun run, IReadOnlyList<ProjectReport> sections, IReadOnlyList<UsageReportDimension>? dimensions, int? top)
    {
        await using var output = run.OpenOutput();
        switch (output.Format)
        {
            case OutputFormat.Json:
                await output.WriteJsonAsync(w =>
                {
                    w.WriteStartObject();
                    w.WriteStartArray("projects");
                    foreach (var s in sections)
                    {
                        w.WriteStartObject();
                        w.WriteString("project_id", s.Project.ProjectId);
                        w.WriteString("name", s.Project.Name);
                        w.WritePropertyName("report");
                        s.Report.WriteJson(w);
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                    w.WriteEndObject();
                }, indented: true).ConfigureAwait(false);
                break;
            case OutputFormat.Csv:
                for (var i = 0; i < sections.Count; i++)
                {
                    await ReportCsv.WriteAsync(output.Writer, sections[i].Report, dimensions ?? [UsageReportDimension.ApiKey], top, sections[i].Project.ProjectId, header: i == 0).ConfigureAwait(false);
                }
                break;
            default:
                var console = output.CreateConsole();
                foreach (var s in sections)
                {
                    ReportTerminal.Write(console, s.Report, new ReportView(s.Title, dimensions ?? [UsageReportDimension.ApiKey, UsageReportDimension.Model], top ?? DefaultTop, s.HtmlPath));
                    console.WriteLine();
                }
                break;
        }
    }

    /// <summary><c>report.html</c> → <c>report.{project-id}.html</c> (one page per project).</summary>
    internal static string PerProjectPath(string path, string projectId)
    {
        var extension = Path.GetExtension(path);
        return path[..^extension.Length] + "." + projectId + extension;
    }

    internal static IReadOnlyList<UsageReportDimension>? ParseDimensions(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        var list = new List<UsageReportDimension>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            UsageReportDimension d = part.ToLowerInvariant() switch
            {
                "key" or "keys" or "api-key" or "api_key" or "apikey" or "accessor" => UsageReportDimension.ApiKey,
                "model" or "models" => UsageReportDimension.Model,
                "tag" or "tags" => UsageReportDimension.Tag,
                "method" or "methods" => UsageReportDimension.Method,
                "endpoint" or "endpoints" => UsageReportDimension.Endpoint,
                "deployment" or "deployments" => UsageReportDimension.Deployment,
                _ => throw new CliUsageException($"--by '{part}' is not a grouping; use key, model, tag, method, endpoint or deployment."),
            };
            if (!list.Contains(d))
            {
                list.Add(d);
            }
        }
        return list.Count == 0 ? null : list;
    }

    internal static decimal? ParseDecimal(string? text, string name)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        return decimal.TryParse(text.Trim().TrimStart('$'), NumberStyles.Number, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw new CliUsageException($"{name} '{text}' is not a number (use a dot for decimals, for example 12.50).");
    }

    internal static UsagePriceTable LoadPrices(string path)
    {
        if (!File.Exists(path))
        {
            throw new CliUsageException($"--prices '{path}': no such file.");
        }
        try
        {
            return UsagePriceTable.Load(path);
        }
        catch (FormatException e)
        {
            throw new CliUsageException("--prices " + e.Message);
        }
    }

    private static string CheckHtmlPath(string path)
    {
        var full = Path.GetFullPath(path);
        if (Path.GetDirectoryName(full) is { } dir && !Directory.Exists(dir))
        {
            throw new CliUsageException($"--html '{path}': the folder '{dir}' does not exist.");
        }
        return path;
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
