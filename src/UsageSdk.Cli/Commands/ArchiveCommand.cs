using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using UsageSdk.Archive;
using UsageSdk.Archive.PostgreSql;
using UsageSdk.Cli.Infrastructure;
using UsageSdk.Reports;
using UsageSdk.Testing;

namespace UsageSdk.Cli.Commands;

/// <summary>
/// <c>usage archive sync|query|report|status</c>: a long-term archive of the request logs (the API keeps 90 days) in a
/// SQLite file or a PostgreSQL database (--db).
/// </summary>
internal static class ArchiveCommand
{
    /// <summary>The archive when --db is not given: a SQLite file in the current folder.</summary>
    public const string DefaultDatabase = "usage.db";

    public static Command Create(CliHost host)
    {
        var db = new Option<string>("--db")
        {
            Description = $"The archive: a SQLite file path (default {DefaultDatabase}; sync creates it, query, report and status need it to exist), or PostgreSQL as postgres://user:pass@host:5432/db or an Npgsql connection string (Host=…;Database=…).",
            HelpName = "path|url",
            Recursive = true,
            DefaultValueFactory = _ => DefaultDatabase,
        };
        var command = new Command("archive", "A long-term archive of the request logs past the server's 90 days: sync it on a schedule, then query it or report from it offline. SQLite by default; PostgreSQL for a shared store (and Grafana).");
        command.Add(db);
        command.Add(CreateSync(host, db));
        command.Add(CreateQuery(host, db));
        command.Add(CreateReport(host, db));
        command.Add(CreateStatus(host, db));
        host.Examples(command,
            "usage archive sync --demo --db usage.db",
            "usage archive query --demo --db usage.db --status failed --limit 10",
            "usage archive report --demo --db usage.db --since 30d",
            "usage archive sync --project <id> --db postgres://usage:secret@localhost:5432/usage");
        return command;
    }

    // ------------------------------------------------------------------ sync

    private static Command CreateSync(CliHost host, Option<string> db)
    {
        var window = new Option<string?>("--window") { Description = "How far back each sync re-reads before the last one, so pending requests and late cost are updated in place: hours (48h) or days (2d). Default 48h.", HelpName = "48h" };
        var lookback = new Option<int?>("--lookback-days") { Description = "How far back the first sync reads, in days (1 to 90, default 90: all the server keeps).", HelpName = "days" };
        var noUsage = new Option<bool>("--no-usage") { Description = "Skip the daily usage summary and breakdowns (request logs only)." };
        var pageSize = new Option<int?>("--page-size") { Description = "Request logs per API call, 1 to 1000 (default 1000).", HelpName = "n" };
        var allProjects = new Option<bool>("--all-projects") { Description = "Sync every project the key can read into the archive, one after another (each with its own checkpoint)." };
        var command = new Command("sync", "Brings the archive up to date: reads the request logs since the last sync (plus the trailing window), commits pages in batches with a checkpoint (an interrupted sync resumes after the last committed page), records a gap if the last sync is older than the server keeps, and stores the daily usage summary and breakdowns. Run it on a schedule (cron, a systemd timer, or samples/UsageSdk.Worker).");
        command.Add(window);
        command.Add(lookback);
        command.Add(noUsage);
        command.Add(pageSize);
        command.Add(allProjects);
        host.Examples(command,
            "usage archive sync --demo --db usage.db",
            "usage archive sync --demo --all-projects --db usage.db",
            "usage archive sync --project <id> --db usage.db --window 72h",
            "usage archive sync --project <id> --db \"Host=localhost;Database=usage;Username=usage;Password=secret\" --format json");
        command.SetAction((parse, ct) => host.RunAsync(parse, ct, async run =>
        {
            CheckTextFormat(run);
            var options = new UsageArchiveOptions { TimeProvider = Clock(run) };
            if (run.Get(window) is { } w)
            {
                options.TrailingWindow = ParseSpan(w, "--window");
            }
            if (run.Get(lookback) is { } days)
            {
                options.InitialLookback = days is >= 1 and <= 90 ? TimeSpan.FromDays(days) : throw new CliUsageException($"--lookback-days {days} must be from 1 to 90 (the server keeps 90 days).");
            }
            if (run.Get(pageSize) is { } size)
            {
                options.PageSize = size is >= 1 and <= RequestsQuery.MaxPageSize ? size : throw new CliUsageException($"--page-size {size} must be from 1 to 1000.");
            }
            options.SyncUsage = !run.Get(noUsage);
            var all = run.Get(allProjects);
            var projects = all ? (await ProjectsCommand.AllAsync(run).ConfigureAwait(false)).Select(p => p.ProjectId!).ToList() : [run.ProjectId];
            await using var archive = Open(run, db, run.Client, options);
            var synced = new List<(ArchiveSyncResult Result, ArchiveStatistics Stats)>();
            for (var i = 0; i < projects.Count; i++)
            {
                var bar = new ProgressBar(run.Host.Progress, all ? $"Syncing {i + 1}/{projects.Count}" : "Syncing");
                var result = await archive.SyncAsync(projects[i], new InlineProgress<ArchiveSyncProgress>(p =>
                    bar.Report(p.Fraction, $"{Fmt.Count(p.Items)} request logs · {Fmt.Count(p.Pages)} pages")), run.CancellationToken).ConfigureAwait(false);
                run.Host.Progress.Clear();
                synced.Add((result, await archive.GetStatisticsAsync(projects[i], run.CancellationToken).ConfigureAwait(false)));
            }

            await using var output = run.OpenOutput();
            if (output.Format == OutputFormat.Json)
            {
                await output.WriteJsonAsync(w2 =>
                {
                    if (!all)
                    {
                        WriteSyncJson(w2, archive, synced[0].Result, synced[0].Stats);
                        return;
                    }
                    w2.WriteStartObject();
                    w2.WriteStartArray("projects");
                    foreach (var (r, st) in synced)
                    {
                        WriteSyncJson(w2, archive, r, st);
                    }
                    w2.WriteEndArray();
                    w2.WriteEndObject();
                }, indented: true).ConfigureAwait(false);
                return 0;
            }
            var console = output.CreateConsole();
            foreach (var (result, stats) in synced)
            {
                WriteSyncTable(console, archive, result, stats, run.IsDemo);
            }
            return 0;
        }));
        return command;
    }

    private static void WriteSyncTable(Spectre.Console.IAnsiConsole console, UsageArchive archive, ArchiveSyncResult result, ArchiveStatistics stats, bool demo)
    {
        console.Write(Tables.KeyValues(
        [
            ("Archive", archive.Store.Description),
            ("Project", result.ProjectId + (demo ? " (demo data)" : "")),
            ("Window read", $"{Fmt.IsoTime(result.Start)} → {Fmt.IsoTime(result.End)}{(result.Resumed ? " (resumed an interrupted sync)" : "")}"),
            ("Request logs", $"{Fmt.Count(result.Items)} read in {Fmt.Count(result.Pages)} page(s): {Fmt.Count(result.Added)} new, {Fmt.Count(result.Updated)} updated in place"),
            ("Usage days", result.UsageDays == 0 ? "skipped" : $"{result.UsageDays} day(s) of summary and breakdowns stored"),
            ("Gap", result.Gap is { } g ? $"logs from {Fmt.IsoTime(g.From)} to {Fmt.IsoTime(g.To)} were deleted by the server before this sync (sync at least every 90 days)" : "none"),
            ("Archive holds", $"{Fmt.Count(stats.Requests)} request logs{(stats.Oldest is { } o ? $" from {Fmt.IsoTime(o)} to {Fmt.IsoTime(stats.Newest)}" : "")}"),
            ("Took", $"{result.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s"),
        ]));
    }

    private static void WriteSyncJson(Utf8JsonWriter w, UsageArchive archive, ArchiveSyncResult r, ArchiveStatistics s)
    {
        w.WriteStartObject();
        w.WriteString("archive", archive.Store.Description);
        w.WriteString("project_id", r.ProjectId);
        w.WriteString("start", r.Start);
        w.WriteString("end", r.End);
        w.WriteBoolean("resumed", r.Resumed);
        w.WriteNumber("pages", r.Pages);
        w.WriteNumber("items", r.Items);
        w.WriteNumber("added", r.Added);
        w.WriteNumber("updated", r.Updated);
        w.WriteNumber("skipped", r.Skipped);
        w.WriteNumber("usage_days", r.UsageDays);
        if (r.Gap is { } g)
        {
            w.WriteStartObject("gap");
            w.WriteString("from", g.From);
            w.WriteString("to", g.To);
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("gap");
        }
        w.WriteNumber("elapsed_seconds", Math.Round(r.Elapsed.TotalSeconds, 3));
        WriteStats(w, s);
        w.WriteEndObject();
    }

    // ------------------------------------------------------------------ query

    private static Command CreateQuery(CliHost host, Option<string> db)
    {
        var filters = new FilterOptions(Filters.Requests & ~Filters.PageSize);
        var command = new Command("query", $"Lists archived request logs, newest first, with the filters of 'usage requests list' (no API call: reads the archive only). A table shows the newest {RequestsCommand.DefaultTableLimit} unless --limit says otherwise; json, csv and jsonl list everything.");
        filters.AddTo(command);
        host.Examples(command,
            "usage archive query --demo --db usage.db                  # after 'usage archive sync --demo --db usage.db'",
            "usage archive query --demo --db usage.db --since 7d --status failed --format csv --output failed.csv",
            "usage archive query --project <id> --db usage.db --start -120d --end -91d --format csv --output older.csv   # past the API's 90 days",
            "usage archive query --db usage.db --status failed --endpoint listen --format jsonl   # the archive's only project");
        command.SetAction((parse, ct) => host.RunAsync(parse, ct, async run =>
        {
            await using var archive = OpenToRead(run, db);
            var project = await ProjectAsync(run, archive).ConfigureAwait(false);
            var limit = filters.GetLimit(run.Parse);
            if (limit is null && run.Parse.GetResult(filters.Limit) is null && run.Format == OutputFormat.Table)
            {
                limit = RequestsCommand.DefaultTableLimit;
            }
            var clientFilter = filters.ClientSideRequestFilter(run.Parse);
            var query = filters.ToRequestsQuery(run);
            await using var output = run.OpenOutput();
            await using var writer = new RecordWriter<UsageRequest>(output, RequestsCommand.Schema);
            decimal usd = 0;
            var more = false;
            await foreach (var r in archive.QueryAsync(project, query, run.CancellationToken).ConfigureAwait(false))
            {
                if (clientFilter is not null && !clientFilter(r))
                {
                    continue;
                }
                if (limit is { } l && writer.Count >= l)
                {
                    more = true;
                    break;
                }
                await writer.WriteAsync(r).ConfigureAwait(false);
                usd += r.Response?.Details?.Usd ?? 0;
            }
            var footer = new List<string> { $"{Fmt.Count(writer.Count)} archived request log{(writer.Count == 1 ? "" : "s")}, newest first · {Fmt.Usd(usd)} total cost · {archive.Store.Description}" };
            if (more)
            {
                footer.Add("More request logs exist: pass --limit <n> (0 = all), or --format csv|json|jsonl for everything.");
            }
            await writer.CompleteAsync(footer: footer, emptyMessage: "No archived request logs match (run 'usage archive sync' first?).").ConfigureAwait(false);
            if (writer.Count == 0)
            {
                await NoteEmptyAsync(run, archive, project, filters, query).ConfigureAwait(false);
            }
            return 0;
        }));
        return command;
    }

    // ------------------------------------------------------------------ report

    private static Command CreateReport(CliHost host, Option<string> db)
    {
        var filters = new FilterOptions(Filters.Requests & ~Filters.PageSize & ~Filters.Limit);
        var by = new Option<string?>("--by") { Description = "Group the tables (and csv rows) by key, model, tag, method, endpoint or deployment; several with commas (default: key and model).", HelpName = "key|model|tag|method|endpoint|deployment" };
        var top = new Option<int?>("--top") { Description = $"Rows per group table (default {ReportCommand.DefaultTop}).", HelpName = "n" };
        var names = new Option<string?>(NamesFile.OptionName) { Description = NamesFile.Description, HelpName = "names.json" };
        var command = new Command("report", "A usage report from the archived request logs (any stretch the archive holds, past the server's 90 days): totals, per key / model / tag, hourly and daily series, log states. Without --start/--end: everything archived. --format json|csv gives the numbers.");
        filters.AddTo(command);
        command.Add(by);
        command.Add(top);
        command.Add(names);
        host.Examples(command,
            "usage archive report --demo --db usage.db                 # after 'usage archive sync --demo --db usage.db'",
            "usage archive report --demo --db usage.db --since 14d --by tag",
            "usage archive report --project <id> --db usage.db --names names.json",
            "usage archive report --project <id> --db usage.db --start -180d --by tag",
            "usage archive report --project <id> --db usage.db --format csv --by model --output models.csv");
        command.SetAction((parse, ct) => host.RunAsync(parse, ct, async run =>
        {
            if (run.Format == OutputFormat.Jsonl)
            {
                throw new CliUsageException("archive report writes table, json or csv (jsonl is for record listings such as 'usage archive query').");
            }
            await using var archive = OpenToRead(run, db);
            var project = await ProjectAsync(run, archive).ConfigureAwait(false);
            var dimensions = ReportCommand.ParseDimensions(run.Get(by));
            var topValue = run.Get(top);
            if (topValue is < 1)
            {
                throw new CliUsageException($"--top {topValue} must be at least 1.");
            }
            var clientFilter = filters.ClientSideRequestFilter(run.Parse);
            var query = filters.ToRequestsQuery(run);
            var options = new UsageReportOptions { Start = query.Start, End = query.End };
            if (run.Get(names) is { Length: > 0 } namesPath)
            {
                options.Names.Add(NamesFile.Load(namesPath)); // offline: the archive knows ids only, names come from the file
            }
            var builder = new UsageReportBuilder(options);
            await foreach (var r in archive.QueryAsync(project, query, run.CancellationToken).ConfigureAwait(false))
            {
                if (clientFilter is null || clientFilter(r))
                {
                    builder.Add(r);
                    if (builder.Count % 5000 == 0)
                    {
                        run.Host.Progress.Report($"Read {Fmt.Count(builder.Count)} archived request logs…");
                    }
                }
            }
            run.Host.Progress.Clear();
            var report = builder.Build();
            await ReportCommand.WriteReportAsync(run, report, dimensions, topValue, $"Usage report from the archive · project {project} · {archive.Store.Description}", htmlPath: null).ConfigureAwait(false);
            if (report.Totals.Requests == 0)
            {
                await NoteEmptyAsync(run, archive, project, filters, query).ConfigureAwait(false);
            }
            return 0;
        }));
        return command;
    }

    // ------------------------------------------------------------------ status

    private static Command CreateStatus(CliHost host, Option<string> db)
    {
        var command = new Command("status", "Shows what the archive holds for a project: request logs and their time span, the last sync, an unfinished sync, recorded gaps and days of usage summary. Without --project: the archive's only project; when it holds several, lists them (one id a line) and exits with code 2.");
        host.Examples(command,
            "usage archive status --db usage.db                          # the archive's only project (or a list of them)",
            "usage archive status --demo --db usage.db",
            "usage archive status --project <id> --db usage.db --format json");
        command.SetAction((parse, ct) => host.RunAsync(parse, ct, async run =>
        {
            CheckTextFormat(run);
            await using var archive = OpenToRead(run, db);
            var project = await ProjectAsync(run, archive).ConfigureAwait(false);
            var s = await archive.GetStatisticsAsync(project, run.CancellationToken).ConfigureAwait(false);
            await using var output = run.OpenOutput();
            if (output.Format == OutputFormat.Json)
            {
                await output.WriteJsonAsync(w =>
                {
                    w.WriteStartObject();
                    w.WriteString("archive", archive.Store.Description);
                    w.WriteString("project_id", project);
                    WriteStats(w, s);
                    w.WriteEndObject();
                }, indented: true).ConfigureAwait(false);
                return 0;
            }
            var cp = s.Checkpoint;
            output.CreateConsole().Write(Tables.KeyValues(
            [
                ("Archive", archive.Store.Description),
                ("Project", project),
                ("Request logs", $"{Fmt.Count(s.Requests)}{(s.Oldest is { } o ? $" from {Fmt.IsoTime(o)} to {Fmt.IsoTime(s.Newest)}" : "")}"),
                ("Unsettled", $"{Fmt.Count(s.Unsettled)} without a recorded response when last synced"),
                ("Synced through", cp?.SyncedThrough is { } t ? Fmt.IsoTime(t) : "never"),
                ("Last commit", cp?.LastSyncAt is { } at ? Fmt.IsoTime(at) : "never"),
                ("Unfinished sync", cp?.Pass is { } p ? $"{Fmt.Count(p.Pages)} page(s) of {Fmt.IsoTime(p.Start)} → {Fmt.IsoTime(p.End)} done; the next sync resumes it" : "none"),
                ("Usage summary", $"{Fmt.Count(s.SummaryDays)} day(s){(cp?.UsageSyncedThrough is { } u ? $", through {Fmt.Day(u)}" : "")}"),
                ("Gaps", s.Gaps.Count == 0 ? "none" : string.Join("; ", s.Gaps.Select(g => $"{Fmt.IsoTime(g.From)} → {Fmt.IsoTime(g.To)}"))),
            ]));
            return 0;
        }));
        return command;
    }

    private static void WriteStats(Utf8JsonWriter w, ArchiveStatistics s)
    {
        w.WriteStartObject("archived");
        w.WriteNumber("requests", s.Requests);
        WriteTime(w, "oldest", s.Oldest);
        WriteTime(w, "newest", s.Newest);
        w.WriteNumber("unsettled", s.Unsettled);
        w.WriteNumber("summary_days", s.SummaryDays);
        WriteTime(w, "synced_through", s.Checkpoint?.SyncedThrough);
        WriteTime(w, "last_sync_at", s.Checkpoint?.LastSyncAt);
        if (s.Checkpoint?.Pass is { } p)
        {
            w.WriteStartObject("unfinished_pass");
            w.WriteString("start", p.Start);
            w.WriteString("end", p.End);
            w.WriteNumber("pages", p.Pages);
            w.WriteNumber("items", p.Items);
            w.WriteEndObject();
        }
        w.WriteStartArray("gaps");
        foreach (var g in s.Gaps)
        {
            w.WriteStartObject();
            w.WriteString("from", g.From);
            w.WriteString("to", g.To);
            w.WriteString("detected_at", g.DetectedAt);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteTime(Utf8JsonWriter w, string name, DateTimeOffset? t)
    {
        if (t is { } v)
        {
            w.WriteString(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    // ------------------------------------------------------------------ shared

    private static UsageArchive Open(CliRun run, Option<string> db, UsageClient? client, UsageArchiveOptions options)
    {
        var name = run.Get(db);
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new CliUsageException($"--db is empty: pass a SQLite file path ({DefaultDatabase}) or a PostgreSQL URL (postgres://user:pass@host:5432/db).");
        }
        return PostgresArchive.Open(name.Trim(), client, options);
    }

    /// <summary>
    /// Opens the archive of a command that only reads (query, report, status). A SQLite file that does not exist is a
    /// usage error, and nothing is created: a read must not leave an empty archive behind.
    /// </summary>
    private static UsageArchive OpenToRead(CliRun run, Option<string> db)
    {
        var name = run.Get(db);
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new CliUsageException($"--db is empty: pass a SQLite file path ({DefaultDatabase}) or a PostgreSQL URL (postgres://user:pass@host:5432/db).");
        }
        var store = PostgresArchive.OpenStore(name.Trim()); // only builds the connection string: nothing is opened yet
        if (store is SqliteArchiveStore { FilePath: { } path } && !File.Exists(path))
        {
            throw new CliUsageException($"--db '{name.Trim()}': no archive there (the file does not exist); create it with 'usage archive sync --db {name.Trim()}' (with --demo to try it on the demo API).");
        }
        return new UsageArchive(store, client: null, new UsageArchiveOptions { TimeProvider = run.Clock }, ownsStore: true);
    }

    /// <summary>
    /// The project of a command that reads the archive: --project; else the demo project with --demo; else the
    /// archive's only project. When it holds several, their ids go to stdout, one a line, and the run fails (exit 2)
    /// with a hint to pick one.
    /// </summary>
    private static async Task<string> ProjectAsync(CliRun run, UsageArchive archive)
    {
        if (run.Get(run.Host.Global.Project) is { Length: > 0 } p && !string.IsNullOrWhiteSpace(p))
        {
            return p.Trim();
        }
        if (run.IsDemo)
        {
            return FakeUsageApi.DemoProjectId;
        }
        var ids = await archive.GetProjectIdsAsync(run.CancellationToken).ConfigureAwait(false);
        switch (ids.Count)
        {
            case 1:
                return ids[0];
            case 0:
                throw new CliUsageException($"No project: {archive.Store.Description} holds none yet; run 'usage archive sync --project <project-id> --db …' first.");
            default:
                foreach (var id in ids)
                {
                    await run.Host.Stdout.WriteLineAsync(TerminalText.Visible(id)).ConfigureAwait(false);
                }
                throw new CliUsageException($"{archive.Store.Description} holds {ids.Count} projects (listed on stdout); pass --project <project-id> to pick one.");
        }
    }

    /// <summary>Says on stderr why an archive listing or report is empty: the window, the filters, and what the archive holds for the project.</summary>
    private static async Task NoteEmptyAsync(CliRun run, UsageArchive archive, string project, FilterOptions filters, RequestsQuery query)
    {
        var s = await archive.GetStatisticsAsync(project, run.CancellationToken).ConfigureAwait(false);
        var span = s.Oldest is { } first && s.Newest is { } last
            ? new DataSpan($"the archive holds {Fmt.Count(s.Requests)} request logs of project {project}, from {EmptyNote.Show(first)} to {EmptyNote.Show(last)} UTC", first, last,
                run.IsDemo ? "try --since 7d" : $"try --start {EmptyNote.Show(first, day: true)}")
            : new DataSpan($"the archive holds no request logs of project {project}", null, null, "run 'usage archive sync' first");
        EmptyNote.Write(run, "archived request logs", query.Start, query.End, days: false, filters.DescribeFilters(run.Parse), span);
    }

    /// <summary>The clock of the archive: the demo API's with --demo (its data ends at that time), the environment's otherwise.</summary>
    private static TimeProvider Clock(CliRun run) => run.Clock;

    private static void CheckTextFormat(CliRun run)
    {
        if (run.Format is OutputFormat.Csv or OutputFormat.Jsonl)
        {
            throw new CliUsageException("this command writes table or json; csv and jsonl are for 'usage archive query' and 'usage export'.");
        }
    }

    /// <summary>Reads 48h, 2d, 90m or a bare number of hours.</summary>
    internal static TimeSpan ParseSpan(string text, string name)
    {
        var t = text.Trim().ToLowerInvariant();
        var unit = t.Length > 0 && char.IsLetter(t[^1]) ? t[^1] : 'h';
        var number = char.IsLetter(t.LastOrDefault()) ? t[..^1] : t;
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || v < 0 || !double.IsFinite(v))
        {
            throw new CliUsageException($"{name} '{text}' is not a duration; use hours (48h), days (2d) or minutes (90m).");
        }
        var span = unit switch
        {
            'h' => TimeSpan.FromHours(v),
            'd' => TimeSpan.FromDays(v),
            'm' => TimeSpan.FromMinutes(v),
            _ => throw new CliUsageException($"{name} '{text}' has an unknown unit; use h, d or m."),
        };
        return span <= UsageArchiveOptions.ServerRetention ? span : throw new CliUsageException($"{name} '{text}' is longer than the 90 days the server keeps.");
    }

    private sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
