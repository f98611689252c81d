using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using UsageSdk.Cli.Infrastructure;
using UsageSdk.Cli.Reports;
using UsageSdk.Reports;

namespace UsageSdk.Cli.Commands;

/// <summary>
/// <c>usage billing</c>: what the project was billed, per day or per day and group (<c>/billing/breakdown</c>); with
/// <c>--view cost</c> the cost view (<see cref="UsageCostView"/>, as in <c>usage report</c>): month to date, previous
/// month, projection with its range, balance, per day, key, line item and tag, and the reconciliation with the logs.
/// </summary>
internal static class BillingCommand
{
    private static readonly string[] Groupings = ["accessor", "deployment", "line_item", "tags"];

    public static Command Create(CliHost host)
    {
        var dates = new FilterOptions(Filters.Dates);
        var accessor = new Option<string?>("--accessor") { Description = "Only the cost of one API-key accessor (the endpoint takes one).", HelpName = "id" };
        var deployment = new Option<string?>("--deployment") { Description = "Only one deployment: hosted, beta, self-hosted or dedicated.", HelpName = "name" };
        var tag = new Option<string?>("--tag") { Description = "Only requests with this tag (the endpoint takes one).", HelpName = "tag" };
        var lineItem = new Option<string?>("--line-item") { Description = "Only one line item, for example streaming::nova-3 (see the Line item column).", HelpName = "id" };
        var groupBy = new Option<string[]>("--group-by", "--grouping") { Description = "Group by accessor, deployment, line_item or tags; repeat it (or use commas) for several: --group-by accessor --group-by line_item.", HelpName = "dimension" };
        var view = new Option<string?>("--view") { Description = "rows (the default): the breakdown's rows. cost: the cost view, as in 'usage report': month to date, the previous month, a month-end projection with its range, the balance, the cost per day, per key, per line item and per tag, and a reconciliation of billed dollars with the request logs' usd (from --start, default the 1st of this month, to today; the logs of that window are read, --no-reconcile skips them).", HelpName = "rows|cost" };
        var noReconcile = new Option<bool>("--no-reconcile") { Description = "With --view cost: leave the reconciliation out and read no request logs." };
        var names = new Option<string?>(NamesFile.OptionName) { Description = "With --view cost: " + NamesFile.Description, HelpName = "names.json" };
        var command = new Command("billing", "What the project was billed (the invoice's figures, from /billing/breakdown): dollars per day, or per day and --group-by accessor, deployment, line_item or tags; --view cost for the cost view (month to date, previous month, projection, balance, reconciliation). Needs a key that may read billing (owner or admin). Tables show cents; csv and json keep the exact amounts.");
        dates.AddTo(command);
        command.Add(accessor);
        command.Add(deployment);
        command.Add(tag);
        command.Add(lineItem);
        command.Add(groupBy);
        command.Add(view);
        command.Add(noReconcile);
        command.Add(names);
        host.Examples(command,
            "usage billing --demo",
            "usage billing --demo --group-by line_item",
            "usage billing --demo --group-by accessor --group-by line_item --since 7d --format csv",
            "usage billing --demo --tag prod --format json",
            "usage billing --demo --view cost",
            "usage billing --demo --view cost --start -7d --format csv",
            "usage billing --demo --view cost --no-reconcile --format json");
        command.SetAction((parse, ct) => host.RunAsync(parse, ct, async run =>
        {
            var viewName = run.Get(view)?.Trim().ToLowerInvariant();
            if (viewName is not (null or "" or "rows" or "cost"))
            {
                throw new CliUsageException($"--view '{run.Get(view)}' is not known; use rows or cost.");
            }
            if (viewName == "cost")
            {
                foreach (var (name, given) in new[]
                {
                    ("--end", Given(run, dates.End)), ("--accessor", Given(run, accessor)),
                    ("--deployment", Given(run, deployment)), ("--tag", Given(run, tag)),
                    ("--line-item", Given(run, lineItem)), ("--group-by", Given(run, groupBy)),
                })
                {
                    if (given)
                    {
                        throw new CliUsageException($"{name} does not apply to --view cost: the cost view is of the whole project, up to today (--start chooses where the reconciliation begins).");
                    }
                }
                return await CostViewAsync(run, dates, run.Get(noReconcile), run.Get(names)).ConfigureAwait(false);
            }
            if (Given(run, noReconcile) || Given(run, names))
            {
                throw new CliUsageException($"{(Given(run, noReconcile) ? "--no-reconcile" : NamesFile.OptionName)} goes with --view cost.");
            }
            var query = new BillingQuery();
            var (start, end) = dates.GetDates(run);
            if (start is { } s && end is { } e)
            {
                query = query.Between(s, e);
            }
            else if (start is { } s1)
            {
                query = query.From(s1);
            }
            else if (end is { } e1)
            {
                query = query.Until(e1);
            }
            if (run.Get(accessor) is { Length: > 0 } a)
            {
                query = query.WithAccessor(a.Trim());
            }
            if (run.Get(deployment) is { Length: > 0 } d)
            {
                var v = d.Trim().ToLowerInvariant();
                query = query.WithDeployment(v is "hosted" or "beta" or "self-hosted" or "dedicated" ? new Deployment(v) : throw new CliUsageException($"--deployment '{d}' is not known; use hosted, beta, self-hosted or dedicated."));
            }
            if (run.Get(tag) is { Length: > 0 } t)
            {
                query = query.WithTag(t.Trim());
            }
            if (run.Get(lineItem) is { Length: > 0 } li)
            {
                query = query.WithLineItem(li.Trim());
            }
            var groups = ParseGroupings(run.Get(groupBy));
            if (groups.Count > 0)
            {
                query = query.GroupBy(groups.Select(g => new BillingGrouping(g)));
            }

            var breakdown = await NotAllowedAsBillingAsync(() => run.Client.GetBillingBreakdownAsync(run.ProjectId, query, run.CancellationToken)).ConfigureAwait(false);
            if (breakdown.Results.All(r => r.Dollars == 0))
            {
                var (from, to) = EmptyNote.Times(breakdown.Start ?? start, breakdown.End ?? end);
                EmptyNote.Write(run, "billed cost", from, to, days: true, "");
            }
            await using var output = run.OpenOutput();
            if (output.Format == OutputFormat.Json)
            {
                await output.WriteJsonAsync(w => JsonSerializer.Serialize(w, breakdown, UsageJson.BillingBreakdown), indented: true).ConfigureAwait(false);
                return 0;
            }
            var descriptions = output.Format == OutputFormat.Table && groups.Contains("line_item")
                ? await DescriptionsAsync(run, breakdown).ConfigureAwait(false)
                : null;
            var table = new List<Column<JsonElement>> { new("Day", r => WireRows.Str(r, "grouping", "start")) };
            foreach (var g in groups)
            {
                table.Add(new(Header(g), r => WireRows.Str(r, "grouping", g)));
                if (g == "line_item" && descriptions is { Count: > 0 })
                {
                    table.Add(new("Description", r => WireRows.Str(r, "grouping", "line_item") is { } id ? descriptions.GetValueOrDefault(id) : null));
                }
            }
            table.Add(new("Cost", r => Money.Cents(Dollars(r)), Right: true));
            await using var writer = new RecordWriter<JsonElement>(output, WireRows.Schema(table, CsvColumns));
            foreach (var row in WireRows.Results(breakdown, UsageJson.BillingBreakdown))
            {
                await writer.WriteAsync(row).ConfigureAwait(false);
            }
            var totals = new List<string?> { "Total" };
            totals.AddRange(Enumerable.Repeat<string?>("", table.Count - 2));
            totals.Add(Money.Cents(breakdown.TotalDollars));
            await writer.CompleteAsync(
                totals,
                [$"{Fmt.Day(breakdown.Start)} to {Fmt.Day(breakdown.End)}, per {breakdown.Resolution?.Amount} {breakdown.Resolution?.Units}{(groups.Count == 0 ? "" : ", grouped by " + string.Join(", ", groups))}; billed USD, shown in cents (csv and json: exact)."],
                "No billing in this range.").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    /// <summary>
    /// <c>--view cost</c>: the breakdown from the 1st of the previous month (or --start when earlier) to today, grouped
    /// by accessor, line item and tags, and the balances, as a <see cref="UsageCostView"/>; the request logs from
    /// --start (default the 1st of this month) to now for the reconciliation line.
    /// </summary>
    private static async Task<int> CostViewAsync(CliRun run, FilterOptions dates, bool noReconcile, string? namesPath)
    {
        var namesFile = namesPath is { Length: > 0 } ? NamesFile.Load(namesPath) : null;
        var now = run.Now;
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var from = dates.GetDates(run).Start ?? new DateOnly(today.Year, today.Month, 1);
        if (from > today)
        {
            throw new CliUsageException($"--start {from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} is after today ({today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}, UTC).");
        }
        var project = run.ProjectId;
        var names = new UsageNames();
        var windowStart = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        await ReportCommand.AddNamesAsync(run, project, names, windowStart, now).ConfigureAwait(false);
        if (namesFile is not null)
        {
            names.Add(namesFile); // the file's names win over the API's
        }
        var breakdown = await NotAllowedAsBillingAsync(() => run.Client.GetBillingBreakdownAsync(project, UsageCostView.CreateQuery(now, from), run.CancellationToken)).ConfigureAwait(false);
        IReadOnlyList<ProjectBalance>? balances = null;
        try
        {
            balances = await run.Client.GetBalancesAsync(project, run.CancellationToken).ConfigureAwait(false);
        }
        catch (UsageApiException e) when (e.Status is 401 or 403 or 404)
        {
            // The balance is a nicety: the view goes on without it.
        }
        var costView = UsageCostView.Create(breakdown, now, balances, names);

        UsageCostReconciliation? reconciliation = null;
        if (!noReconcile)
        {
            // The request logs' usd over the same whole UTC days (today so far included), summed as 'usage report' does.
            var builder = new UsageReportBuilder(new UsageReportOptions { Start = windowStart, End = now, Names = names });
            var seen = 0L;
            await foreach (var r in run.Client.GetRequestsAsync(project, new RequestsQuery().Between(windowStart, now), run.CancellationToken).ConfigureAwait(false))
            {
                if (++seen % 1000 == 0)
                {
                    run.Host.Progress.Report($"Read {Fmt.Count(seen)} request logs for the reconciliation…");
                }
                builder.Add(r);
            }
            run.Host.Progress.Clear();
            reconciliation = costView.Reconcile(builder.Build());
        }

        await using var output = run.OpenOutput();
        switch (output.Format)
        {
            case OutputFormat.Json:
                await output.WriteJsonAsync(w => costView.WriteJson(w, reconciliation), indented: true).ConfigureAwait(false);
                break;
            case OutputFormat.Csv:
                await output.Writer.WriteAsync(Csv.Row(["dimension", "key", "name", "usd"])).ConfigureAwait(false);
                foreach (var (dimension, key, name, usd) in ReportCsv.CostRows(costView, reconciliation))
                {
                    await output.Writer.WriteAsync(Csv.Row([dimension, key ?? "", name, usd?.ToString(CultureInfo.InvariantCulture) ?? ""])).ConfigureAwait(false);
                }
                break;
            case OutputFormat.Table:
                var console = output.CreateConsole();
                console.Write(new Rule("[bold]" + TerminalText.Markup($"Cost view · project {project}{(run.IsDemo ? " (demo data)" : "")}") + "[/]").LeftJustified().RuleStyle(new Style(Color.Grey)));
                ReportTerminal.CostView(console, costView, reconciliation, daily: true);
                console.MarkupLine("[grey]" + TerminalText.Markup("Billed USD from /billing/breakdown, shown in cents (csv and json: exact)."
                    + (noReconcile ? "" : $" The reconciliation compares it with the usd of the request logs from {from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} to now.")) + "[/]");
                break;
            default:
                throw new CliUsageException("billing --view cost writes table, json or csv.");
        }
        return 0;
    }

    /// <summary>True when the option is on the command line (not only its default).</summary>
    private static bool Given(CliRun run, Option option) => run.Parse.GetResult(option) is { Implicit: false };

    internal static List<string> ParseGroupings(string[]? values)
    {
        var list = new List<string>();
        foreach (var raw in (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            var g = raw.ToLowerInvariant() switch
            {
                "line-item" or "lineitem" or "line_items" or "line-items" or "item" => "line_item",
                "tag" => "tags",
                "key" or "api-key" or "accessors" => "accessor",
                "deployments" => "deployment",
                var other => other,
            };
            if (!Groupings.Contains(g))
            {
                throw new CliUsageException($"--group-by '{raw}' is not a billing grouping; use accessor, deployment, line_item or tags.");
            }
            if (!list.Contains(g))
            {
                list.Add(g);
            }
        }
        return list;
    }

    /// <summary>Runs a billing call; a 401/403 becomes one line saying the key may not read billing.</summary>
    internal static async Task<T> NotAllowedAsBillingAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (UsageApiException e) when (e.Status is 401 or 403)
        {
            throw new CliFailureException($"the API key may not read billing ({e.Status}{(e.ErrorCode is { } c ? " " + c : "")}): billing and balances need the billing:read scope, which owner and admin keys have and member keys do not.", e);
        }
    }

    /// <summary>Line item descriptions from /billing/fields for the same range; null when unavailable.</summary>
    private static async Task<IReadOnlyDictionary<string, string>?> DescriptionsAsync(CliRun run, BillingBreakdown breakdown)
    {
        try
        {
            var fields = await run.Client.GetBillingFieldsAsync(run.ProjectId, breakdown.Start, breakdown.End, run.CancellationToken).ConfigureAwait(false);
            return fields.LineItems;
        }
        catch (UsageApiException)
        {
            return null; // descriptions are a nicety; the ids stay
        }
    }

    private static decimal Dollars(JsonElement row)
        => WireRows.Raw(row, "dollars") is { } raw && decimal.TryParse(raw, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d) ? d : 0m;

    private static string Header(string grouping) => grouping switch
    {
        "accessor" => "Accessor",
        "deployment" => "Deployment",
        "line_item" => "Line item",
        _ => "Tags",
    };

    private static readonly Column<JsonElement>[] CsvColumns =
    [
        new("start", r => WireRows.Str(r, "grouping", "start")),
        new("end", r => WireRows.Str(r, "grouping", "end")),
        new("accessor", r => WireRows.Str(r, "grouping", "accessor")),
        new("deployment", r => WireRows.Str(r, "grouping", "deployment")),
        new("line_item", r => WireRows.Str(r, "grouping", "line_item")),
        new("tags", r => WireRows.Str(r, "grouping", "tags")),
        new("dollars", r => WireRows.Raw(r, "dollars")),
    ];
}
