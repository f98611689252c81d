using System.Diagnostics;
using System.Text.Json.Serialization.Metadata;
using UsageSdk.Archive.Internal;

namespace UsageSdk.Archive;

/// <summary>
/// Writes request logs, usage summaries and usage breakdowns to CSV or JSON Lines. The writers stream: each item is
/// written as it arrives and the output is flushed after each page, so memory does not grow with the row count.
/// The output stream is left open.
/// </summary>
/// <remarks>
/// CSV columns of request logs: <c>request_id, created, api_key_id, accessor, path, method, endpoint, deployment,
/// models, tags, features, duration, channels, usd, tokens_in, tokens_out, code, state</c>. <c>endpoint</c> is read
/// from the path (<c>/v1/listen?…</c> gives <c>listen</c>); <c>tokens_in</c>/<c>tokens_out</c> are summed over
/// <c>token_details</c>; <c>code</c> is <see cref="UsageRequest.EffectiveCode"/>; <c>state</c> is the log state in lower
/// case. Empty cells mean the API sent no value. Values with commas, quotes or line breaks are quoted (RFC 4180); a
/// value that a spreadsheet would run as a formula gets a leading <c>'</c> (see <see cref="ProtectCsvCell"/>). JSON
/// Lines keep every value exactly.
/// </remarks>
public static class UsageExport
{
    /// <summary>
    /// Joins the values of a multi-valued field (models, tags, features) in one CSV cell: <c>;</c>. A value that itself
    /// contains <c>;</c> is written as is; use JSON Lines when such values must be split back exactly.
    /// </summary>
    public const string ListSeparator = ";";

    /// <summary>
    /// The text a CSV cell holds for <paramref name="value"/>, safe to open in a spreadsheet (OWASP CSV injection): a value
    /// that starts with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, a tab or a carriage return gets a leading <c>'</c>, unless
    /// it is a plain number. A plain number is what .NET writes for a number with the invariant culture: an optional
    /// <c>-</c>, ASCII digits, optionally <c>.</c> and digits, optionally <c>E</c> or <c>e</c>, an optional sign and
    /// digits (<c>-12.5</c>, <c>-3</c>, <c>-1E-05</c>); so <c>-12.5</c> stays <c>-12.5</c> while <c>+1</c> and
    /// <c>-2+3</c> become <c>'+1</c> and <c>'-2+3</c>. Every CSV this library and the <c>usage</c> tool write goes
    /// through it; quoting (RFC 4180) is the writer's job.
    /// </summary>
    /// <param name="value">The cell's value.</param>
    /// <returns><paramref name="value"/>, or <c>'</c> + <paramref name="value"/>.</returns>
    public static string ProtectCsvCell(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' && !IsPlainNumber(value) ? "'" + value : value;
    }

    /// <summary>An invariant-culture number as .NET formats one: <c>-?digits(.digits)?([Ee][+-]?digits)?</c>.</summary>
    internal static bool IsPlainNumber(ReadOnlySpan<char> s)
    {
        var i = 0;
        if (i < s.Length && s[i] == '-')
        {
            i++;
        }
        if (!Digits(s, ref i))
        {
            return false;
        }
        if (i < s.Length && s[i] == '.')
        {
            i++;
            if (!Digits(s, ref i))
            {
                return false;
            }
        }
        if (i < s.Length && s[i] is 'E' or 'e')
        {
            i++;
            if (i < s.Length && s[i] is '+' or '-')
            {
                i++;
            }
            if (!Digits(s, ref i))
            {
                return false;
            }
        }
        return i == s.Length;

        static bool Digits(ReadOnlySpan<char> s, ref int i)
        {
            var start = i;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                i++;
            }
            return i > start;
        }
    }

    /// <summary>Items between two progress reports when the source has no pages.</summary>
    private const int ItemsPerReport = 1000;

    /// <summary>The CSV header of request logs, in column order.</summary>
    public static IReadOnlyList<string> RequestColumns => CsvColumns.Requests;

    /// <summary>The CSV header of usage summaries, in column order.</summary>
    public static IReadOnlyList<string> SummaryColumns => CsvColumns.Summary;

    /// <summary>The CSV header of usage breakdowns, in column order.</summary>
    public static IReadOnlyList<string> BreakdownColumns => CsvColumns.Breakdown;

    /// <summary>Writes pages of request logs (for example <c>client.GetRequestsAsync(p, q).AsPages()</c>), reporting progress after each page.</summary>
    /// <param name="pages">The pages.</param>
    /// <param name="output">Where to write; left open.</param>
    /// <param name="format">CSV or JSON Lines.</param>
    /// <param name="progress">Told the pages, items and time so far after each page.</param>
    /// <param name="cancellationToken">Stops the export (what was written stays written).</param>
    /// <returns>The totals.</returns>
    public static Task<ExportProgress> WriteRequestsAsync(IAsyncEnumerable<Page<UsageRequest>> pages, Stream output, ExportFormat format, IProgress<ExportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pages);
        CheckOutput(output);
        return WritePagesAsync(pages, RequestWriter(output, format), progress, cancellationToken);
    }

    /// <summary>Writes pages of request logs to a text writer (for example <see cref="Console.Out"/>); see the <see cref="Stream"/> overload.</summary>
    /// <param name="pages">The pages.</param>
    /// <param name="output">Where to write; flushed after each page, left open.</param>
    /// <param name="format">CSV or JSON Lines.</param>
    /// <param name="progress">Told the pages, items and time so far after each page.</param>
    /// <param name="cancellationToken">Stops the export.</param>
    /// <returns>The totals.</returns>
    public static Task<ExportProgress> WriteRequestsAsync(IAsyncEnumerable<Page<UsageRequest>> pages, TextWriter output, ExportFormat format, IProgress<ExportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pages);
        ArgumentNullException.ThrowIfNull(output);
        return WritePagesAsync(pages, RequestWriter(output, format), progress, cancellationToken);
    }

    /// <summary>The CSV header of request logs of several projects: <c>project_id</c>, then <see cref="RequestColumns"/>.</summary>
    public static IReadOnlyList<string> ProjectRequestColumns { get; } = ["project_id", .. CsvColumns.Requests];

    /// <summary>
    /// Writes pages of request logs of several projects as one export (for example each project's
    /// <c>GetRequestsAsync(p, q).AsPages()</c> in turn), each page paired with the id of the project it was listed from.
    /// CSV rows start with that <c>project_id</c> (header <see cref="ProjectRequestColumns"/>); JSON Lines objects are
    /// the API's own, which carry <c>project_uuid</c>. Progress is reported after each page.
    /// </summary>
    /// <param name="pages">The pages, each with its project id.</param>
    /// <param name="output">Where to write; flushed after each page, left open.</param>
    /// <param name="format">CSV or JSON Lines.</param>
    /// <param name="progress">Told the pages, items and time so far after each page.</param>
    /// <param name="cancellationToken">Stops the export.</param>
    /// <returns>The totals.</returns>
    public static async Task<ExportProgress> WriteRequestsAsync(IAsyncEnumerable<KeyValuePair<string, Page<UsageRequest>>> pages, TextWriter output, ExportFormat format, IProgress<ExportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pages);
        ArgumentNullException.ThrowIfNull(output);
        var started = Stopwatch.GetTimestamp();
        long pageCount = 0, items = 0;
        ExportWriter<KeyValuePair<string, UsageRequest>> writer = format switch
        {
            ExportFormat.Csv => new CsvExportWriter<KeyValuePair<string, UsageRequest>>(output, ownsText: false, ProjectRequestColumns, static (csv, p) =>
            {
                csv.Field(ProtectCsvCell(p.Key));
                CsvColumns.WriteRequest(csv, p.Value);
            }),
            ExportFormat.Jsonl => new ValueExportWriter<string, UsageRequest>(new JsonlExportWriter<UsageRequest>(output, UsageJson.UsageRequest)),
            _ => throw BadFormat(format),
        };
        await using (writer.ConfigureAwait(false))
        {
            await foreach (var (projectId, page) in pages.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                foreach (var item in page.Values)
                {
                    await writer.WriteAsync(new(projectId, item), cancellationToken).ConfigureAwait(false);
                    items++;
                }
                await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
                pageCount++;
                progress?.Report(new ExportProgress(pageCount, items, Stopwatch.GetElapsedTime(started)));
            }
            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        return new ExportProgress(pageCount, items, Stopwatch.GetElapsedTime(started));
    }

    private static async Task<ExportProgress> WritePagesAsync(IAsyncEnumerable<Page<UsageRequest>> pages, ExportWriter<UsageRequest> created, IProgress<ExportProgress>? progress, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        long pageCount = 0, items = 0;
        await using var writer = created;
        await foreach (var page in pages.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            foreach (var item in page.Values)
            {
                await writer.WriteAsync(item, cancellationToken).ConfigureAwait(false);
                items++;
            }
            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            pageCount++;
            progress?.Report(new ExportProgress(pageCount, items, Stopwatch.GetElapsedTime(started)));
        }
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        return new ExportProgress(pageCount, items, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>Writes request logs from any source (an archive query, a filtered listing), reporting progress every 1000 items.</summary>
    /// <param name="requests">The request logs.</param>
    /// <param name="output">Where to write; left open.</param>
    /// <param name="format">CSV or JSON Lines.</param>
    /// <param name="progress">Told the items and time so far (pages stay 0).</param>
    /// <param name="cancellationToken">Stops the export.</param>
    /// <returns>The totals.</returns>
    public static Task<ExportProgress> WriteRequestsAsync(IAsyncEnumerable<UsageRequest> requests, Stream output, ExportFormat format, IProgress<ExportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        CheckOutput(output);
        return WriteItemsAsync(requests, RequestWriter(output, format), progress, cancellationToken);
    }

    /// <summary>Writes request logs from any source to a text writer; see the <see cref="Stream"/> overload.</summary>
    /// <param name="requests">The request logs.</param>
    /// <param name="output">Where to write; left open.</param>
    /// <param name="format">CSV or JSON Lines.</param>
    /// <param name="progress">Told the items and time so far (pages stay 0).</param>
    /// <param name="cancellationToken">Stops the export.</param>
    /// <returns>The totals.</returns>
    public static Task<ExportProgress> WriteRequestsAsync(IAsyncEnumerable<UsageRequest> requests, TextWriter output, ExportFormat format, IProgress<ExportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(output);
        return WriteItemsAsync(requests, RequestWriter(output, format), progress, cancellationToken);
    }

    private static async Task<ExportProgress> WriteItemsAsync(IAsyncEnumerable<UsageRequest> requests, ExportWriter<UsageRequest> created, IProgress<ExportProgress>? progress, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        long items = 0;
        await using var writer = created;
        await foreach (var item in requests.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            await writer.WriteAsync(item, cancellationToken).ConfigureAwait(false);
            if (++items % ItemsPerReport == 0)
            {
                await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
                progress?.Report(new ExportProgress(0, items, Stopwatch.GetElapsedTime(started)));
            }
        }
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        var done = new ExportProgress(0, items, Stopwatch.GetElapsedTime(started));
        progress?.Report(done);
        return done;
    }

    /// <summary>Writes a usage summary, one row (or line) per time bucket.</summary>
    /// <param name="summary">The summary.</param>
    /// <param name="output">Where to write; left open.</param>
    /// <param name="format">CSV or JSON Lines (each line a <c>results[]</c> item in the wire's shape).</param>
    /// <param name="cancellationToken">Stops the export.</param>
    /// <returns>The totals (one page).</returns>
    public static Task<ExportProgress> WriteSummaryAsync(UsageSummary summary, Stream output, ExportFormat format, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(summary);
        CheckOutput(output);
        var writer = Writer(output, format, CsvColumns.Summary, CsvColumns.WriteSummary, TypeInfo<UsageSummaryResult>(UsageJson.UsageSummary));
        return WriteAllAsync(writer, summary.Results, cancellationToken);
    }

    /// <summary>Writes a usage summary to a text writer, one row (or line) per time bucket.</summary>
    /// <param name="summary">The summary.</param>
    /// <param name="output">Where to write; left open.</param>
    /// <param name="format">CSV or JSON Lines.</param>
    /// <param name="cancellationToken">Stops the export.</param>
    /// <returns>The totals (one page).</returns>
    public static Task<ExportProgress> WriteSummaryAsync(UsageSummary summary, TextWriter output, ExportFormat format, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(output);
        var writer = Writer(output, format, CsvColumns.Summary, CsvColumns.WriteSummary, TypeInfo<UsageSummaryResult>(UsageJson.UsageSummary));
        return WriteAllAsync(writer, summary.Results, cancellationToken);
    }

    /// <summary>Writes a usage breakdown to a text writer, one row (or line) per time bucket and group.</summary>
    /// <param name="breakdown">The breakdown.</param>
    /// <param name="output">Where to write; left open.</param>
    /// <param name="format">CSV or JSON Lines.</param>
    /// <param name="cancellationToken">Stops the export.</param>
    /// <returns>The totals (one page).</returns>
    public static Task<ExportProgress> WriteBreakdownAsync(UsageBreakdown breakdown, TextWriter output, ExportFormat format, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(breakdown);
        ArgumentNullException.ThrowIfNull(output);
        var writer = Writer(output, format, CsvColumns.Breakdown, CsvColumns.WriteBreakdown, TypeInfo<UsageBreakdownResult>(UsageJson.UsageBreakdown));
        return WriteAllAsync(writer, breakdown.Results, cancellationToken);
    }

    /// <summary>Writes a usage breakdown, one row (or line) per time bucket and group.</summary>
    /// <param name="breakdown">The breakdown.</param>
    /// <param name="output">Where to write; left open.</param>
    /// <param name="format">CSV (the grouping flattened into columns) or JSON Lines (each line a <c>results[]</c> item in the wire's shape).</param>
    /// <param name="cancellationToken">Stops the export.</param>
    /// <returns>The totals (one page).</returns>
    public static Task<ExportProgress> WriteBreakdownAsync(UsageBreakdown breakdown, Stream output, ExportFormat format, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(breakdown);
        CheckOutput(output);
        var writer = Writer(output, format, CsvColumns.Breakdown, CsvColumns.WriteBreakdown, TypeInfo<UsageBreakdownResult>(UsageJson.UsageBreakdown));
        return WriteAllAsync(writer, breakdown.Results, cancellationToken);
    }

    /// <summary>Reads a format name: <c>csv</c> or <c>jsonl</c> (case-insensitive; <c>ndjson</c> is taken for JSON Lines).</summary>
    /// <param name="value">The name.</param>
    /// <exception cref="ArgumentException">Not a known format.</exception>
    public static ExportFormat ParseFormat(string value) => value?.Trim().ToLowerInvariant() switch
    {
        "csv" => ExportFormat.Csv,
        "jsonl" or "ndjson" or "jsonlines" => ExportFormat.Jsonl,
        _ => throw new ArgumentException($"'{value}' is not an export format; use csv or jsonl.", nameof(value)),
    };

    private static async Task<ExportProgress> WriteAllAsync<T>(ExportWriter<T> writer, IReadOnlyList<T> items, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        await using (writer.ConfigureAwait(false))
        {
            foreach (var item in items)
            {
                await writer.WriteAsync(item, cancellationToken).ConfigureAwait(false);
            }
            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        return new ExportProgress(1, items.Count, Stopwatch.GetElapsedTime(started));
    }

    internal static ExportWriter<UsageRequest> RequestWriter(TextWriter output, ExportFormat format)
        => Writer(output, format, CsvColumns.Requests, CsvColumns.WriteRequest, UsageJson.UsageRequest);

    internal static ExportWriter<UsageRequest> RequestWriter(Stream output, ExportFormat format)
        => Writer(output, format, CsvColumns.Requests, CsvColumns.WriteRequest, UsageJson.UsageRequest);

    /// <summary>The writer of a format over a stream (the writer owns its text encoding, not the stream).</summary>
    private static ExportWriter<T> Writer<T>(Stream output, ExportFormat format, IReadOnlyList<string> header, Action<CsvRecord, T> row, JsonTypeInfo<T> json) => format switch
    {
        ExportFormat.Csv => new CsvExportWriter<T>(output, header, row),
        ExportFormat.Jsonl => new JsonlExportWriter<T>(output, json),
        _ => throw BadFormat(format),
    };

    /// <summary>The writer of a format over a text writer, which is left open.</summary>
    private static ExportWriter<T> Writer<T>(TextWriter output, ExportFormat format, IReadOnlyList<string> header, Action<CsvRecord, T> row, JsonTypeInfo<T> json) => format switch
    {
        ExportFormat.Csv => new CsvExportWriter<T>(output, ownsText: false, header, row),
        ExportFormat.Jsonl => new JsonlExportWriter<T>(output, json),
        _ => throw BadFormat(format),
    };

    /// <summary>The metadata of a nested wire type, from the same source-generated context as its parent (no reflection).</summary>
    private static JsonTypeInfo<T> TypeInfo<T>(JsonTypeInfo parent) => (JsonTypeInfo<T>)parent.Options.GetTypeInfo(typeof(T));

    private static void CheckOutput(Stream output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (!output.CanWrite)
        {
            throw new ArgumentException("The output stream is not writable.", nameof(output));
        }
    }

    private static ArgumentOutOfRangeException BadFormat(ExportFormat format)
        => new(nameof(format), format, "The format must be ExportFormat.Csv or ExportFormat.Jsonl.");
}
