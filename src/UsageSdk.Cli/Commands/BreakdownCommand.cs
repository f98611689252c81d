using System.CommandLine;
using System.Text.Json;
using UsageSdk.Cli.Infrastructure;

namespace UsageSdk.Cli.Commands;

/// <summary><c>usage breakdown</c>: usage per day, optionally grouped (<c>/usage/breakdown</c>).</summary>
internal static class BreakdownCommand
{
    public static Command Create(CliHost host)
    {
        var filters = new FilterOptions(Filters.Usage | Filters.GroupBy | Filters.Limit);
        var command = new Command("breakdown", "Usage per day, or per day and group with --group-by: requests, audio and agent hours, tokens and text-to-speech characters.");
        filters.AddTo(command);
        host.Examples(command,
            "usage breakdown --demo",
            "usage breakdown --demo --group-by models",
            "usage breakdown --demo --group-by tags --since 7d --format csv --output tags.csv",
            "usage breakdown --demo --group-by accessor --endpoint listen --feature diarize=false");
        command.SetAction((parse, ct) => host.RunAsync(parse, ct, async run =>
        {
            var query = filters.ToUsageQuery(run);
            var limit = filters.GetLimit(run.Parse);
            var breakdown = await run.Client.GetBreakdownAsync(run.ProjectId, query, run.CancellationToken).ConfigureAwait(false);
            await using var output = run.OpenOutput();
            if (breakdown.Results.All(x => (x.Requests ?? 0) == 0 && x.TotalHours == 0 && x.AgentHours == 0 && (x.TokensIn ?? 0) == 0 && (x.TokensOut ?? 0) == 0 && (x.TtsCharacters ?? 0) == 0))
            {
                var (from, to) = EmptyNote.Times(breakdown.Start ?? query.Start, breakdown.End ?? query.End);
                EmptyNote.Write(run, "usage", from, to, days: true, filters.DescribeFilters(run.Parse));
            }
            if (output.Format == OutputFormat.Json && limit is null)
            {
                await output.WriteJsonAsync(w => JsonSerializer.Serialize(w, breakdown, UsageJson.UsageBreakdown), indented: true).ConfigureAwait(false);
                return 0;
            }
            var grouping = query.Grouping?.ToString();
            var names = output.Format == OutputFormat.Table && grouping == "models" ? await ModelNamesAsync(run, breakdown).ConfigureAwait(false) : null;
            var groupColumn = new Column<JsonElement>(Header(grouping), r => grouping is null ? ""
                : names is not null && WireRows.Get(r, "grouping", "models") is { ValueKind: JsonValueKind.Array } models
                    ? string.Join(", ", models.EnumerateArray().Select(m => m.GetString() is { } id ? names.GetValueOrDefault(id, id) : "(none)"))
                    : WireRows.Str(r, "grouping", grouping));
            Column<JsonElement>[] table =
            [
                new("Day", r => WireRows.Str(r, "grouping", "start")),
                .. grouping is null ? Array.Empty<Column<JsonElement>>() : [groupColumn],
                new("Requests", r => Fmt.Count(WireRows.Long(r, "requests")), Right: true),
                new("Hours", r => Fmt.Hours(WireRows.Double(r, "hours")), Right: true),
                new("Total hours", r => Fmt.Hours(WireRows.Double(r, "total_hours")), Right: true),
                new("Agent hours", r => Fmt.Hours(WireRows.Double(r, "agent_hours")), Right: true),
                new("Tokens in", r => Fmt.Count(WireRows.Long(r, "tokens_in")), Right: true),
                new("Tokens out", r => Fmt.Count(WireRows.Long(r, "tokens_out")), Right: true),
                new("TTS chars", r => Fmt.Count(WireRows.Long(r, "tts_characters")), Right: true),
            ];
            await using var writer = new RecordWriter<JsonElement>(output, WireRows.Schema(table, CsvColumns));
            var rows = WireRows.Results(breakdown, UsageJson.UsageBreakdown);
            foreach (var row in limit is { } l ? rows.Take(l) : rows)
            {
                await writer.WriteAsync(row).ConfigureAwait(false);
            }
            var r = breakdown.Results;
            var totals = new List<string?> { "Total" };
            if (grouping is not null)
            {
                totals.Add($"{r.Select(x => Key(x.Grouping, grouping)).Distinct().Count()} group(s)");
            }
            totals.AddRange([Fmt.Count(r.Sum(x => x.Requests ?? 0)), Fmt.Hours(r.Sum(x => x.Hours)), Fmt.Hours(r.Sum(x => x.TotalHours)), Fmt.Hours(r.Sum(x => x.AgentHours)),
                Fmt.Count(r.Sum(x => x.TokensIn ?? 0)), Fmt.Count(r.Sum(x => x.TokensOut ?? 0)), Fmt.Count(r.Sum(x => x.TtsCharacters ?? 0))]);
            var footer = new List<string> { $"{Fmt.Day(breakdown.Start)} to {Fmt.Day(breakdown.End)}, per {breakdown.Resolution?.Amount} {breakdown.Resolution?.Units}{(grouping is null ? "" : ", grouped by " + grouping)}" };
            if (limit is { } lim && rows.Count > lim)
            {
                footer.Add($"Showing {lim} of {rows.Count} rows (--limit); totals cover all rows.");
            }
            await writer.CompleteAsync(totals, footer, "No usage in this range.").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    /// <summary>Model names by id (from /usage/fields), so a table grouped by models reads "nova-3" rather than a UUID; null when unavailable.</summary>
    private static async Task<Dictionary<string, string>?> ModelNamesAsync(CliRun run, UsageBreakdown breakdown)
    {
        try
        {
            var fields = await run.Client.GetFieldsAsync(run.ProjectId, breakdown.Start, breakdown.End, run.CancellationToken).ConfigureAwait(false);
            return fields.Models.Where(m => m.ModelId is not null && m.Name is not null).DistinctBy(m => m.ModelId).ToDictionary(m => m.ModelId!, m => m.Name!);
        }
        catch (UsageApiException)
        {
            return null;
        }
    }

    private static string Header(string? grouping) => grouping switch
    {
        "accessor" => "Accessor",
        "endpoint" => "Endpoint",
        "feature_set" => "Feature set",
        "models" => "Models",
        "method" => "Method",
        "tags" => "Tags",
        "deployment" => "Deployment",
        _ => grouping ?? "",
    };

    private static string Key(UsageBreakdownGrouping? g, string grouping) => grouping switch
    {
        "accessor" => g?.Accessor ?? "",
        "endpoint" => g?.Endpoint ?? "",
        "feature_set" => g?.FeatureSet ?? "",
        "models" => string.Join(";", g?.Models ?? []),
        "method" => g?.Method ?? "",
        "tags" => string.Join(";", g?.Tags ?? []),
        _ => g?.Deployment ?? "",
    };

    private static readonly Column<JsonElement>[] CsvColumns =
    [
        new("start", r => WireRows.Str(r, "grouping", "start")),
        new("end", r => WireRows.Str(r, "grouping", "end")),
        new("accessor", r => WireRows.Str(r, "grouping", "accessor")),
        new("endpoint", r => WireRows.Str(r, "grouping", "endpoint")),
        new("feature_set", r => WireRows.Str(r, "grouping", "feature_set")),
        new("models", r => WireRows.Str(r, "grouping", "models")),
        new("method", r => WireRows.Str(r, "grouping", "method")),
        new("tags", r => WireRows.Str(r, "grouping", "tags")),
        new("deployment", r => WireRows.Str(r, "grouping", "deployment")),
        new("requests", r => WireRows.Raw(r, "requests")),
        new("hours", r => WireRows.Raw(r, "hours")),
        new("total_hours", r => WireRows.Raw(r, "total_hours")),
        new("agent_hours", r => WireRows.Raw(r, "agent_hours")),
        new("tokens_in", r => WireRows.Raw(r, "tokens_in")),
        new("tokens_out", r => WireRows.Raw(r, "tokens_out")),
        new("tts_characters", r => WireRows.Raw(r, "tts_characters")),
    ];
}
