using System.CommandLine;
using System.Globalization;
using System.Runtime.CompilerServices;
using UsageSdk.Archive;
using UsageSdk.Cli.Infrastructure;

namespace UsageSdk.Cli.Commands;

/// <summary>
/// <c>usage export [requests|summary|breakdown]</c>: streams request logs (or the usage summary, or a breakdown) to CSV
/// or JSON Lines for BI tools, with a progress bar on stderr when it is a terminal.
/// </summary>
internal static class ExportCommand
{
    public static Command Create(CliHost host)
    {
        var filters = new FilterOptions(Filters.Requests | Filters.GroupBy);
        var what = new Argument<string>("what")
        {
            Description = "What to export: requests (the request logs, default), summary (usage per day) or breakdown (per day and --group-by).",
            DefaultValueFactory = _ => "requests",
        };
        what.AcceptOnlyFromAmong("requests", "summary", "breakdown");
        var allProjects = new Option<bool>("--all-projects") { Description = "Export the request logs of every project the key can read, one project after another: csv gets a leading project_id column, jsonl objects carry project_uuid." };
        var command = new Command("export", "Exports request logs (or the usage summary or a breakdown) to CSV or JSON Lines, streaming: memory stays flat however many rows. --format csv (the default) or jsonl; --output <file> (default stdout). CSV: a header row, ISO-8601 UTC times, one row per item, multi-valued fields joined with ';'. JSONL: one object per line in the API's own shape.");
        command.Add(what);
        filters.AddTo(command);
        command.Add(allProjects);
        host.Global.Formats(command, OutputFormat.Csv, [OutputFormat.Csv, OutputFormat.Jsonl], f => f == OutputFormat.Table
            ? "export writes csv (the default) or jsonl, not a table; for a table use 'usage requests list' or 'usage report'"
            : "export writes csv or jsonl (--format csv|jsonl); for one JSON document use 'usage requests list --format json'");
        host.Examples(command,
            "usage export --demo --output requests.csv",
            "usage export --demo --format jsonl --since 7d --output week.jsonl",
            "usage export --demo --status failed --endpoint listen --format csv",
            "usage export summary --demo --start -30d --output daily.csv",
            "usage export breakdown --demo --group-by models --format csv --output models.csv",
            "usage export --demo --all-projects --since 7d --output all-projects.csv");
        command.SetAction((parse, ct) => host.RunAsync(parse, ct, async run =>
        {
            var format = Format(run);
            var kind = run.Get(what) ?? "requests";
            var all = run.Get(allProjects);
            if (all && kind != "requests")
            {
                throw new CliUsageException($"--all-projects exports request logs; export {kind} once per project with --project (see 'usage projects').");
            }
            var client = run.Client;
            var projects = all ? await ProjectsCommand.AllAsync(run).ConfigureAwait(false) : null;
            var project = projects is null ? run.ProjectId : "";
            await using var output = run.OpenOutput();
            ExportProgress done;
            string noun;
            switch (kind)
            {
                case "summary":
                    {
                        var query = filters.ToUsageQuery(run);
                        var summary = await client.GetSummaryAsync(project, query, run.CancellationToken).ConfigureAwait(false);
                        done = await UsageExport.WriteSummaryAsync(summary, output.Writer, format, run.CancellationToken).ConfigureAwait(false);
                        noun = "day";
                        if (summary.Results.All(x => (x.Requests ?? 0) == 0 && x.TotalHours == 0 && (x.Tokens?.In ?? 0) == 0 && (x.Tokens?.Out ?? 0) == 0 && (x.Tts?.Characters ?? 0) == 0))
                        {
                            var (from, to) = EmptyNote.Times(summary.Start ?? query.Start, summary.End ?? query.End);
                            EmptyNote.Write(run, "usage", from, to, days: true, filters.DescribeFilters(run.Parse));
                        }
                        break;
                    }
                case "breakdown":
                    {
                        var query = filters.ToUsageQuery(run);
                        var breakdown = await client.GetBreakdownAsync(project, query, run.CancellationToken).ConfigureAwait(false);
                        done = await UsageExport.WriteBreakdownAsync(breakdown, output.Writer, format, run.CancellationToken).ConfigureAwait(false);
                        noun = "row";
                        if (breakdown.Results.All(x => (x.Requests ?? 0) == 0 && x.TotalHours == 0 && x.AgentHours == 0 && (x.TokensIn ?? 0) == 0 && (x.TokensOut ?? 0) == 0 && (x.TtsCharacters ?? 0) == 0))
                        {
                            var (from, to) = EmptyNote.Times(breakdown.Start ?? query.Start, breakdown.End ?? query.End);
                            EmptyNote.Write(run, "usage", from, to, days: true, filters.DescribeFilters(run.Parse));
                        }
                        break;
                    }
                default:
                    {
                        var query = filters.ToRequestsQuery(run);
                        done = projects is null
                            ? await ExportRequestsAsync(run, filters, output, format).ConfigureAwait(false)
                            : await ExportAllProjectsAsync(run, filters, output, format, projects).ConfigureAwait(false);
                        noun = "request log";
                        if (done.Items == 0)
                        {
                            EmptyNote.Write(run, "request logs", query.Start, query.End, days: false, filters.DescribeFilters(run.Parse));
                        }
                        break;
                    }
            }
            run.Host.Progress.Clear();
            if (run.Get(run.Host.Global.Output) is { Length: > 0 } path)
            {
                // The data went to the file: say what was written (stdout carries only the data otherwise).
                await run.Host.Stdout.WriteLineAsync($"Exported {Fmt.Count(done.Items)} {noun}{(done.Items == 1 ? "" : "s")}{(done.Pages > 1 ? $" ({Fmt.Count(done.Pages)} pages)" : "")} to {path} in {done.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s.").ConfigureAwait(false);
            }
            return 0;
        }));
        return command;
    }

    /// <summary>The export format: --format csv (the default) or jsonl (the option refuses the others).</summary>
    internal static ExportFormat Format(CliRun run) => run.Format == OutputFormat.Jsonl ? ExportFormat.Jsonl : ExportFormat.Csv;

    private static Task<ExportProgress> ExportRequestsAsync(CliRun run, FilterOptions filters, OutputTarget output, ExportFormat format)
    {
        var limit = filters.GetLimit(run.Parse);
        var clientFilter = filters.ClientSideRequestFilter(run.Parse);
        var query = filters.ToRequestsQuery(run, clientFilter is null ? limit : null);
        if (query.Prefetch < 2)
        {
            query = query.WithPrefetch(2); // the next page downloads while this one is written
        }
        var end = query.End ?? run.Now;
        var start = query.Start ?? end - UsageArchiveOptions.ServerRetention;
        var bar = new ProgressBar(run.Host.Progress, "Exporting");
        var items = 0L;
        var pages = 0L;
        async IAsyncEnumerable<Page<UsageRequest>> Pages([EnumeratorCancellation] CancellationToken ct = default)
        {
            await foreach (var page in run.Client.GetRequestsAsync(run.ProjectId, query, ct).AsPages().WithCancellation(ct).ConfigureAwait(false))
            {
                var values = clientFilter is null ? page.Values : page.Values.Where(clientFilter).ToList();
                var full = false;
                if (limit is { } l && items + values.Count >= l)
                {
                    values = values.Take((int)(l - items)).ToList();
                    full = true;
                }
                items += values.Count;
                pages++;
                var oldest = page.Values.Count > 0 ? page.Values.Min(v => v.Created) : start;
                bar.Report(page.ContinuationToken is null || full ? 1 : (end - oldest) / (end - start), $"{Fmt.Count(items)} request logs · {Fmt.Count(pages)} pages");
                yield return Page<UsageRequest>.FromValues(values, full ? null : page.ContinuationToken);
                if (full)
                {
                    yield break;
                }
            }
        }
        return UsageExport.WriteRequestsAsync(Pages(run.CancellationToken), output.Writer, format, progress: null, run.CancellationToken);
    }

    /// <summary>--all-projects: each project's listing in turn (same filters), as one export with the project of each row; --limit counts over all.</summary>
    private static Task<ExportProgress> ExportAllProjectsAsync(CliRun run, FilterOptions filters, OutputTarget output, ExportFormat format, IReadOnlyList<UsageProject> projects)
    {
        var limit = filters.GetLimit(run.Parse);
        var clientFilter = filters.ClientSideRequestFilter(run.Parse);
        var query = filters.ToRequestsQuery(run, clientFilter is null ? limit : null);
        if (query.Prefetch < 2)
        {
            query = query.WithPrefetch(2);
        }
        var items = 0L;
        async IAsyncEnumerable<KeyValuePair<string, Page<UsageRequest>>> Pages([EnumeratorCancellation] CancellationToken ct = default)
        {
            for (var i = 0; i < projects.Count; i++)
            {
                var projectId = projects[i].ProjectId!;
                await foreach (var page in run.Client.GetRequestsAsync(projectId, query, ct).AsPages().WithCancellation(ct).ConfigureAwait(false))
                {
                    var values = clientFilter is null ? page.Values : page.Values.Where(clientFilter).ToList();
                    var full = false;
                    if (limit is { } l && items + values.Count >= l)
                    {
                        values = values.Take((int)(l - items)).ToList();
                        full = true;
                    }
                    items += values.Count;
                    run.Host.Progress.Report($"Exporting project {i + 1} of {projects.Count} ({ProjectsCommand.Label(projects[i])}) · {Fmt.Count(items)} request logs");
                    yield return new(projectId, Page<UsageRequest>.FromValues(values, null));
                    if (full)
                    {
                        yield break;
                    }
                }
            }
        }
        return UsageExport.WriteRequestsAsync(Pages(run.CancellationToken), output.Writer, format, progress: null, run.CancellationToken);
    }
}

/// <summary>A one-line progress bar (<c>Exporting [██████░░░░] 60% · 1,200 request logs · 3 s</c>) through the CLI's stderr progress (shown only on a terminal).</summary>
internal sealed class ProgressBar(Progress progress, string label, int width = 24)
{
    private readonly long _started = System.Diagnostics.Stopwatch.GetTimestamp();

    public void Report(double fraction, string detail)
    {
        if (!progress.Enabled)
        {
            return;
        }
        var f = double.IsFinite(fraction) ? Math.Clamp(fraction, 0, 1) : 0;
        var filled = (int)Math.Round(f * width);
        var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(_started);
        progress.Report($"{label} [{new string('█', filled)}{new string('░', width - filled)}] {(f * 100).ToString("0", CultureInfo.InvariantCulture),3}% · {detail} · {elapsed.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s");
    }
}
