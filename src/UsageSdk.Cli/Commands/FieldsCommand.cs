using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using UsageSdk.Cli.Infrastructure;

namespace UsageSdk.Cli.Commands;

/// <summary><c>usage fields</c>: what the usage can be filtered on (<c>/usage/fields</c>).</summary>
internal static class FieldsCommand
{
    public static Command Create(CliHost host)
    {
        var filters = new FilterOptions(Filters.Dates);
        var command = new Command("fields", "What the usage can be filtered on: models (with the UUIDs --model takes), tags, processing methods, languages and features.");
        filters.AddTo(command);
        host.Examples(command,
            "usage fields --demo",
            "usage fields --demo --since 7d --format json");
        command.SetAction((parse, ct) => host.RunAsync(parse, ct, async run =>
        {
            var (start, end) = filters.GetDates(run);
            var fields = await run.Client.GetFieldsAsync(run.ProjectId, start, end, run.CancellationToken).ConfigureAwait(false);
            if (fields.Models.Count == 0 && Lists(fields).All(l => l.Values.Count == 0))
            {
                var (from, to) = EmptyNote.Times(start, end);
                EmptyNote.Write(run, "usage (so no fields)", from, to, days: true, "");
            }
            await using var output = run.OpenOutput();
            switch (output.Format)
            {
                case OutputFormat.Json:
                case OutputFormat.Jsonl:
                    await output.WriteJsonAsync(w => JsonSerializer.Serialize(w, fields, UsageJson.UsageFields), indented: output.Format == OutputFormat.Json).ConfigureAwait(false);
                    break;
                case OutputFormat.Csv:
                    await output.Writer.WriteAsync(Csv.Row(["field", "value", "name", "language", "version"])).ConfigureAwait(false);
                    foreach (var m in fields.Models)
                    {
                        await output.Writer.WriteAsync(Csv.Row(["model", m.ModelId, m.Name, m.Language, m.Version])).ConfigureAwait(false);
                    }
                    foreach (var (field, values) in Lists(fields))
                    {
                        foreach (var v in values)
                        {
                            await output.Writer.WriteAsync(Csv.Row([field, v, null, null, null])).ConfigureAwait(false);
                        }
                    }
                    break;
                default:
                    var console = output.CreateConsole();
                    if (fields.Models.Count > 0)
                    {
                        console.Write(Tables.Build<UsageFieldModel>(
                            [new("Model", m => m.Name), new("Language", m => m.Language), new("Version", m => m.Version), new("Model ID (for --model)", m => m.ModelId)],
                            fields.Models));
                    }
                    console.Write(Tables.KeyValues(Lists(fields).Select(l => (Title(l.Field), (string?)string.Join(", ", l.Values)))));
                    break;
            }
            return 0;
        }));
        return command;
    }

    private static IEnumerable<(string Field, IReadOnlyList<string> Values)> Lists(UsageFields f) =>
    [
        ("tag", f.Tags),
        ("processing_method", f.ProcessingMethods),
        ("language", f.Languages),
        ("feature", f.Features),
    ];

    private static string Title(string field) => field switch
    {
        "tag" => "Tags",
        "processing_method" => "Methods",
        "language" => "Languages",
        _ => "Features",
    };
}
