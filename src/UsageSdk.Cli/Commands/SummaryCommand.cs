using System.CommandLine;
using System.Text.Json;
using UsageSdk.Cli.Infrastructure;

namespace UsageSdk.Cli.Commands;

/// <summary><c>usage summary</c>: usage per day (<c>/usage</c>).</summary>
internal static class SummaryCommand
{
    public static Command Create(CliHost host)
    {
        var filters = new FilterOptions(Filters.Usage);
        var command = new Command("summary", "Usage per day: requests, audio hours, tokens and text-to-speech (from /usage, which carries no cost; see 'usage breakdown').");
        filters.AddTo(command);
        host.Examples(command,
            "usage summary --demo",
            "usage summary --demo --since 14d --tag prod",
            "usage summary --demo --method streaming --feature diarize --format json");
        command.SetAction((parse, ct) => host.RunAsync(parse, ct, async run =>
        {
            var query = filters.ToUsageQuery(run);
            var summary = await run.Client.GetSummaryAsync(run.ProjectId, query, run.CancellationToken).ConfigureAwait(false);
            await using var output = run.OpenOutput();
            var r = summary.Results;
            if (r.All(x => (x.Requests ?? 0) == 0 && x.TotalHours == 0 && (x.Tokens?.In ?? 0) == 0 && (x.Tokens?.Out ?? 0) == 0 && (x.Tts?.Characters ?? 0) == 0))
            {
                var (from, to) = EmptyNote.Times(summary.Start ?? query.Start, summary.End ?? query.End);
                EmptyNote.Write(run, "usage", from, to, days: true, filters.DescribeFilters(run.Parse));
            }
            if (output.Format == OutputFormat.Json)
            {
                await output.WriteJsonAsync(w => JsonSerializer.Serialize(w, summary, UsageJson.UsageSummary), indented: true).ConfigureAwait(false);
                return 0;
            }
            await using var writer = new RecordWriter<JsonElement>(output, WireRows.Schema(Columns, CsvColumns));
            foreach (var row in WireRows.Results(summary, UsageJson.UsageSummary))
            {
                await writer.WriteAsync(row).ConfigureAwait(false);
            }
            await writer.CompleteAsync(
                totals: ["Total", Fmt.Count(r.Sum(x => x.Requests ?? 0)), Fmt.Hours(r.Sum(x => x.Hours)), Fmt.Hours(r.Sum(x => x.TotalHours)),
                    Fmt.Count(r.Sum(x => x.Tokens?.In ?? 0)), Fmt.Count(r.Sum(x => x.Tokens?.Out ?? 0)),
                    Fmt.Count(r.Sum(x => x.Tts?.Characters ?? 0)), Fmt.Count(r.Sum(x => x.Tts?.Requests ?? 0))],
                footer: [$"{Fmt.Day(summary.Start)} to {Fmt.Day(summary.End)}, per {summary.Resolution?.Amount} {summary.Resolution?.Units}"],
                emptyMessage: "No usage in this range.").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static readonly Column<JsonElement>[] Columns =
    [
        new("Day", r => WireRows.Str(r, "start")),
        new("Requests", r => Fmt.Count(WireRows.Long(r, "requests")), Right: true),
        new("Hours", r => Fmt.Hours(WireRows.Double(r, "hours")), Right: true),
        new("Total hours", r => Fmt.Hours(WireRows.Double(r, "total_hours")), Right: true),
        new("Tokens in", r => Fmt.Count(WireRows.Long(r, "tokens", "in")), Right: true),
        new("Tokens out", r => Fmt.Count(WireRows.Long(r, "tokens", "out")), Right: true),
        new("TTS chars", r => Fmt.Count(WireRows.Long(r, "tts", "characters")), Right: true),
        new("TTS requests", r => Fmt.Count(WireRows.Long(r, "tts", "requests")), Right: true),
    ];

    private static readonly Column<JsonElement>[] CsvColumns =
    [
        new("start", r => WireRows.Str(r, "start")),
        new("end", r => WireRows.Str(r, "end")),
        new("requests", r => WireRows.Raw(r, "requests")),
        new("hours", r => WireRows.Raw(r, "hours")),
        new("total_hours", r => WireRows.Raw(r, "total_hours")),
        new("tokens_in", r => WireRows.Raw(r, "tokens", "in")),
        new("tokens_out", r => WireRows.Raw(r, "tokens", "out")),
        new("tts_characters", r => WireRows.Raw(r, "tts", "characters")),
        new("tts_requests", r => WireRows.Raw(r, "tts", "requests")),
    ];
}
