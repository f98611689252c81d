using System.CommandLine;
using UsageSdk.Cli.Infrastructure;

namespace UsageSdk.Cli.Commands;

// HOW TO ADD A COMMAND
// 1. Create Commands/XxxCommand.cs with `internal static class XxxCommand { public static Command Create(CliHost host) }`
//    (RequestsCommand, SummaryCommand and FieldsCommand are short examples to copy).
// 2. In Create: `var filters = new FilterOptions(Filters.Requests /* or Filters.Usage, or your own flags */);
//    filters.AddTo(command);` then `host.Examples(command, "usage xxx --demo", ...)` for --help.
// 3. `command.SetAction((parse, ct) => host.RunAsync(parse, ct, async run => { ... return 0; }));`
//    Inside: run.Client and run.ProjectId (built from --demo / --api-key(-file) / --base-url / --project),
//    filters.ToRequestsQuery(run) / filters.ToUsageQuery(run) (relative dates count back from run.Now), filters.GetLimit(run.Parse),
//    `await using var output = run.OpenOutput();` (stdout or --output) and output.Format (table|json|csv|jsonl):
//    RecordWriter<T> + RecordSchema<T> stream rows in every format; Tables/Fmt/Csv help with tables and numbers;
//    host.Progress.Report("…") shows progress on stderr only when it is a terminal.
//    Throw CliUsageException (or ArgumentException) for bad flags: Cli prints exactly one line and exits 2.
//    UsageApiException and IO errors exit 1 with one line. Never write to stderr yourself except through Progress,
//    and EmptyNote.Write / run.Note for the one line that says why a listing is empty (exit 0, stdout unchanged).
//    --format: table, json, csv and jsonl (table the default) unless the command calls host.Global.Formats(...).
// 4. Register it below with ONE line. Global options (--project --api-key --api-key-file --base-url --demo --format --output) are
//    inherited automatically.

/// <summary>Every command of the tool, in help order.</summary>
internal static class CommandRegistry
{
    public static IEnumerable<Command> Create(CliHost host) =>
    [
        RequestsCommand.Create(host),
        SummaryCommand.Create(host),
        BreakdownCommand.Create(host),
        FieldsCommand.Create(host),
        ReportCommand.Create(host),
        ExportCommand.Create(host),
        ArchiveCommand.Create(host),
        ProjectsCommand.Create(host),
        KeysCommand.Create(host),
        BillingCommand.Create(host),
        BalancesCommand.Create(host),
        DashboardCommand.Create(host),
    ];
}
