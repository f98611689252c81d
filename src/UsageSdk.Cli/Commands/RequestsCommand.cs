using System.CommandLine;
using Spectre.Console;
using UsageSdk.Cli.Infrastructure;

namespace UsageSdk.Cli.Commands;

/// <summary><c>usage requests list</c> and <c>usage requests get &lt;request-id&gt;</c>: request logs (<c>/requests</c>).</summary>
internal static class RequestsCommand
{
    /// <summary>Rows a table shows when --limit is not given (machine formats list everything).</summary>
    public const int DefaultTableLimit = 25;

    public static Command Create(CliHost host)
    {
        var command = new Command("requests", "Request logs (the API keeps 90 days): list them, or get one.");
        command.Add(CreateList(host));
        command.Add(CreateGet(host));
        host.Examples(command, "usage requests list --demo", "usage requests get <request-id> --demo");
        return command;
    }

    private static Command CreateList(CliHost host)
    {
        var filters = new FilterOptions(Filters.Requests);
        var command = new Command("list", $"Lists request logs, newest first, across every page. A table shows the newest {DefaultTableLimit} unless --limit says otherwise; json, csv and jsonl list everything. --tag, --model and --feature are applied on the client (the endpoint has no such filters). The table's Accessor is the start of the accessor of the key that made the request (what --accessor filters on); csv and json carry it whole, and api_key_id apart. Narrow tables leave out Method (under 140 columns) and Tags (under 160; see --width).");
        filters.AddTo(command);
        host.Examples(command,
            "usage requests list --demo",
            "usage requests list --demo --status failed --limit 10",
            "usage requests list --demo --since 7d --format csv --output week.csv",
            "usage requests list --demo --start -3d --end -1d --endpoint speak --format jsonl",
            "usage requests list --project <id> --since 24h --method streaming --tag prod");
        command.SetAction((parse, ct) => host.RunAsync(parse, ct, run => ListAsync(run, filters)));
        return command;
    }

    private static async Task<int> ListAsync(CliRun run, FilterOptions filters)
    {
        var limit = filters.GetLimit(run.Parse);
        var limitGiven = run.Parse.GetResult(filters.Limit) is not null;
        if (limit is null && !limitGiven && run.Format == OutputFormat.Table)
        {
            limit = DefaultTableLimit;
        }
        var clientFilter = filters.ClientSideRequestFilter(run.Parse);
        // With a client-side filter the page size stays large: many items may be dropped.
        var query = filters.ToRequestsQuery(run, clientFilter is null ? limit : null);
        var client = run.Client;
        var project = run.ProjectId;

        await using var output = run.OpenOutput();
        await using var writer = new RecordWriter<UsageRequest>(output, Schema);
        decimal usd = 0;
        var failed = 0;
        var seen = 0;
        var more = false;
        await foreach (var r in client.GetRequestsAsync(project, query, run.CancellationToken).ConfigureAwait(false))
        {
            seen++;
            if (seen % 500 == 0)
            {
                run.Host.Progress.Report($"Read {Fmt.Count(seen)} request logs…");
            }
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
            failed += r.State == RequestLogState.Error ? 1 : 0;
        }
        run.Host.Progress.Clear();
        var footer = new List<string>
        {
            $"{Fmt.Count(writer.Count)} request{(writer.Count == 1 ? "" : "s")}, newest first · {Fmt.Count(failed)} failed · {Fmt.Usd(usd)} total cost",
        };
        if (more)
        {
            footer.Add($"More request logs exist: pass --limit <n> (0 = all), or --format csv|json|jsonl for everything.");
        }
        await writer.CompleteAsync(footer: footer, emptyMessage: "No request logs match.").ConfigureAwait(false);
        if (writer.Count == 0)
        {
            EmptyNote.Write(run, "request logs", query.Start, query.End, days: false, filters.DescribeFilters(run.Parse));
        }
        return 0;
    }

    private static Command CreateGet(CliHost host)
    {
        var id = new Argument<string>("request-id") { Description = "The request id (a UUID, as listed by 'usage requests list')." };
        var command = new Command("get", "Shows one request log: its status, cost, audio, tokens, tags, features, config and callback.");
        command.Add(id);
        host.Examples(command,
            "usage requests get <request-id> --demo",
            "usage requests get <request-id> --demo --format json");
        command.SetAction((parse, ct) => host.RunAsync(parse, ct, async run =>
        {
            var requestId = run.Get(id)!;
            var r = await run.Client.GetRequestAsync(run.ProjectId, requestId.Trim(), run.CancellationToken).ConfigureAwait(false);
            await using var output = run.OpenOutput();
            switch (output.Format)
            {
                case OutputFormat.Json:
                case OutputFormat.Jsonl:
                    await output.WriteJsonAsync(w => UsageJson.Serialize(w, r), indented: output.Format == OutputFormat.Json).ConfigureAwait(false);
                    break;
                case OutputFormat.Csv:
                    await output.Writer.WriteAsync(Csv.Row(Schema.Csv.Select(c => c.Header))).ConfigureAwait(false);
                    await output.Writer.WriteAsync(Csv.Row(Schema.Csv.Select(c => c.Value(r)))).ConfigureAwait(false);
                    break;
                default:
                    output.CreateConsole().Write(Tables.KeyValues(Describe(r)));
                    break;
            }
            return 0;
        }));
        return command;
    }

    /// <summary>A request log in every format: the table for people, the CSV flat columns, the JSON wire object.</summary>
    public static RecordSchema<UsageRequest> Schema { get; } = new()
    {
        Table =
        [
            new("Created (UTC)", r => Fmt.Time(r.Created), NoWrap: true),
            new("Request ID", r => r.RequestId, NoWrap: true),
            new("Endpoint", Fmt.Endpoint),
            new("Method", r => r.Response?.Details?.Method?.ToString(), HideBelow: 140),
            new("Status", StatusText, Style: r => StatusStyle(r.State)),
            new("Usage", UsageText, Right: true),
            new("Cost", r => Fmt.Usd(r.Response?.Details?.Usd), Right: true, NoWrap: true),
            new("Accessor", r => r.Accessor is { Length: > 8 } a ? a[..8] : r.Accessor, NoWrap: true),
            new("Tags", r => Fmt.Join(r.Response?.Details?.Tags, ", "), HideBelow: 160),
        ],
        Csv =
        [
            new("request_id", r => r.RequestId),
            new("created", r => Fmt.IsoTime(r.Created)),
            new("project_uuid", r => r.ProjectId),
            new("api_key_id", r => r.ApiKeyId),
            new("accessor", r => r.Accessor),
            new("deployment", r => r.Deployment?.ToString()),
            new("endpoint", Fmt.Endpoint),
            new("method", r => r.Response?.Details?.Method?.ToString()),
            new("code", r => Fmt.Number(r.EffectiveCode)),
            new("state", r => r.State.ToString().ToLowerInvariant()),
            new("models", r => Fmt.Join(r.Response?.Details?.Models)),
            new("tags", r => Fmt.Join(r.Response?.Details?.Tags)),
            new("features", r => Fmt.Join(r.Response?.Details?.Features)),
            new("duration", r => Fmt.Number(r.Response?.Details?.Duration)),
            new("total_audio", r => Fmt.Number(r.Response?.Details?.TotalAudio)),
            new("channels", r => Fmt.Number(r.Response?.Details?.Channels)),
            new("usd", r => Fmt.Number(r.Response?.Details?.Usd)),
            new("tokens_in", r => r.Response?.TokenDetails.Count > 0 ? Fmt.Number(Fmt.TokensIn(r)) : ""),
            new("tokens_out", r => r.Response?.TokenDetails.Count > 0 ? Fmt.Number(Fmt.TokensOut(r)) : ""),
            new("tts_characters", r => r.Response?.TtsDetails is null ? "" : Fmt.Number(Fmt.TtsCharacters(r))),
            new("completed", r => Fmt.IsoTime(r.Response?.Completed)),
            new("message", r => r.Response?.Message),
            new("path", r => r.Path),
        ],
        Json = UsageJson.Serialize,
    };

    private static string StatusText(UsageRequest r) => r.State switch
    {
        RequestLogState.Success => $"{r.EffectiveCode?.ToString() ?? "ok"} ok",
        RequestLogState.Error => $"{r.EffectiveCode?.ToString() ?? "—"} error",
        var s => s.ToString().ToLowerInvariant(),
    };

    private static Style StatusStyle(RequestLogState s) => s switch
    {
        RequestLogState.Success => new Style(Color.Green),
        RequestLogState.Error => new Style(Color.Red),
        RequestLogState.Lost => new Style(Color.Grey),
        _ => new Style(Color.Yellow),
    };

    /// <summary>What the request used: audio time, characters spoken or tokens.</summary>
    private static string UsageText(UsageRequest r)
    {
        var d = r.Response?.Details;
        var parts = new List<string>();
        if (d?.Duration is { } s)
        {
            parts.Add(Fmt.Seconds(s) + (d.Channels is > 1 ? $" ×{d.Channels}" : ""));
        }
        if (r.Response?.TtsDetails is { } tts)
        {
            parts.Add(Fmt.Short(tts.Characters) + " chars");
        }
        if (r.Response?.TokenDetails.Count > 0)
        {
            parts.Add(Fmt.Short(Fmt.TokensIn(r) + Fmt.TokensOut(r)) + " tok");
        }
        return string.Join(", ", parts);
    }

    private static IEnumerable<(string, string?)> Describe(UsageRequest r)
    {
        var d = r.Response?.Details;
        yield return ("Request ID", r.RequestId);
        yield return ("Project", r.ProjectId);
        yield return ("Created (UTC)", Fmt.IsoTime(r.Created));
        yield return ("State", StatusText(r));
        yield return ("Path", r.Path);
        yield return ("Endpoint", Fmt.Endpoint(r));
        yield return ("Method", d?.Method?.ToString());
        yield return ("API key id", r.ApiKeyId);
        yield return ("Accessor", r.Accessor);
        yield return ("Deployment", r.Deployment?.ToString());
        yield return ("Cost", d?.Usd is null ? null : Fmt.Usd(d.Usd));
        yield return ("Duration", d?.Duration is null ? null : Fmt.Seconds(d.Duration) + $" ({Fmt.Number(d.Duration)} s)");
        yield return ("Total audio", d?.TotalAudio is null ? null : $"{Fmt.Number(d.TotalAudio)} s over {d.Channels ?? 1} channel(s)");
        yield return ("Models", Fmt.Join(d?.Models, ", "));
        yield return ("Tags", Fmt.Join(d?.Tags, ", "));
        yield return ("Features", Fmt.Join(d?.Features, ", "));
        foreach (var t in r.Response?.TokenDetails ?? [])
        {
            yield return ($"Tokens ({t.Feature})", $"{Fmt.Count(t.Input)} in, {Fmt.Count(t.Output)} out ({t.Model})");
        }
        if (r.Response?.TtsDetails is { } tts)
        {
            yield return ("Speech", $"{Fmt.Count(tts.Characters)} characters in {tts.SpeechSegments.Count} segment(s), {Fmt.Seconds(tts.Duration)}");
        }
        yield return ("Completed (UTC)", Fmt.IsoTime(r.Response?.Completed));
        yield return ("Message", r.Response?.Message);
        if (r.Callback is { } cb)
        {
            yield return ("Callback", string.Join(", ", new[] { cb.Url, cb.Code is { } c ? $"answered {c}" : null, cb.Attempts is { } a ? $"{a} attempt(s)" : null, cb.Completed is { } at ? "at " + Fmt.IsoTime(at) : null }.Where(x => x is not null)));
        }
        yield return ("Config", Fmt.Config(d));
    }
}
