using System.CommandLine;
using System.Globalization;
using UsageSdk.Cli.Infrastructure;
using UsageSdk.Cli.Reports;
using UsageSdk.Testing;
using UsageSdk.Reports;

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
        host.Examples(command,
            "usage report --demo",
            "usage report --demo --html report.html",
            "usage report --demo --by tag --top 5",
            "usage report --demo --since 30d --format csv --by model --output models.csv",
            "usage report --demo --start -14d --end -7d --by endpoint",
            "usage report --demo --project 2b7e151a-628a-4ed2-a6ab-f7158809cf4f --prices prices.json",
            "usage report --project <project-id> --names names.json",
            "usage report --demo --budget-usd 25 --budget-per-key --format json");

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
            var options = new UsageReportOptions();
            if (ParseDecimal(run.Get(spike), "--spike-threshold") is { } k)
            {
                if (k <= 0)
                {
                    throw new CliUsageException($"--spike-threshold {k.ToString(CultureInfo.InvariantCulture)} must be greater than 0.");
                }
                options.SpikeThreshold = k;
            }
            if (run.Get(prices) is { Length: > 0 } pricesPath)
            {
                options.Prices = LoadPrices(pricesPath);
            }
            var namesFile = run.Get(names) is { Length: > 0 } namesPath ? NamesFile.Load(namesPath) : null;
            var maxUsd = ParseDecimal(run.Get(budgetUsd), "--budget-usd");
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
                    MaxUsd = maxUsd, MaxTokens = maxTokens, PerApiKey = run.Get(budgetPerKey), IncludeEstimatedUsd = options.Prices is not null,
                });
            }
            else if (run.Get(budgetPerKey))
            {
                throw new CliUsageException("--budget-per-key needs --budget-usd or --budget-tokens.");
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
            options.Start = start;
            options.End = end;

            var limit = filters.GetLimit(run.Parse);
            var clientFilter = filters.ClientSideRequestFilter(run.Parse);
            var query = filters.ToRequestsQuery(run).Between(start.Value, end.Value);
            var client = run.Client;
            var project = run.ProjectId;

            await AddNamesAsync(run, options.Names, start.Value, end.Value).ConfigureAwait(false);
            if (namesFile is not null)
            {
                options.Names.Add(namesFile); // the file's names win over the API's
            }

            var builder = new UsageReportBuilder(options);
            var seen = 0L;
            await foreach (var r in client.GetRequestsAsync(project, query, run.CancellationToken).ConfigureAwait(false))
            {
                if (++seen % 1000 == 0)
                {
                    host.Progress.Report($"Read {Fmt.Count(seen)} request logs…");
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
            var report = builder.Build();

            var title = $"Usage report · project {project}{(run.IsDemo ? " (demo data)" : "")}";
            if (htmlPath is not null)
            {
                UsageReportHtml.WriteFile(report, htmlPath, new UsageReportHtmlOptions { Title = "Usage report", Subtitle = $"Project {project}{(run.IsDemo ? " (demo data)" : "")}", GeneratedAt = now });
            }

            await WriteReportAsync(run, report, dimensions, topValue, title, htmlPath).ConfigureAwait(false);
            if (report.Totals.Requests == 0)
            {
                EmptyNote.Write(run, "request logs", start, end, days: false, filters.DescribeFilters(run.Parse));
            }
            return 0;
        }));
        return command;
    }

    /// <summary>
    /// Names of keys and models from the API: model names from /usage/fields (model_id → name); in the demo also the
    /// demo API's key names. The key names of a real project (GET /keys, a key's comment) and the models of
    /// GET /models come in here once the client reads them (issue 22.1): fill <paramref name="names"/>.Keys and .Models.
    /// </summary>
    internal static async Task AddNamesAsync(CliRun run, UsageNames names, DateTimeOffset start, DateTimeOffset end)
    {
        try
        {
            var fields = await run.Client.GetFieldsAsync(run.ProjectId, DateOnly.FromDateTime(start.UtcDateTime), DateOnly.FromDateTime(end.UtcDateTime), run.CancellationToken).ConfigureAwait(false);
            foreach (var m in fields.Models)
            {
                if (!string.IsNullOrEmpty(m.ModelId) && !string.IsNullOrEmpty(m.Name))
                {
                    names.Models[m.ModelId] = m.Name;
                }
            }
        }
        catch (UsageApiException e) when (e.Status is not (401 or 403 or 404))
        {
            // Names are a nicety: the report shows model ids when /usage/fields is not available.
        }
        if (run.IsDemo)
        {
            names.Add(DemoNames(run.ProjectId, run.Host.Environment.DemoClock));
        }
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

    private static decimal? ParseDecimal(string? text, string name)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        return decimal.TryParse(text.Trim().TrimStart('$'), NumberStyles.Number, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw new CliUsageException($"{name} '{text}' is not a number (use a dot for decimals, for example 12.50).");
    }

    private static UsagePriceTable LoadPrices(string path)
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
