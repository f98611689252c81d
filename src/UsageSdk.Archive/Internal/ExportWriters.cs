using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace UsageSdk.Archive.Internal;

/// <summary>Writes items of one kind to a stream, row by row; memory is bounded by the buffers, never by the row count.</summary>
internal abstract class ExportWriter<T> : IAsyncDisposable
{
    public abstract ValueTask WriteAsync(T item, CancellationToken cancellationToken);

    /// <summary>Pushes what is buffered to the output stream (called after each page).</summary>
    public abstract ValueTask FlushAsync(CancellationToken cancellationToken);

    public abstract ValueTask DisposeAsync();
}

/// <summary>
/// CSV (RFC 4180): fields separated by <c>,</c>, records ended by CRLF, a field quoted when <see cref="CsvRecord.NeedsQuotes"/>
/// says so with each <c>"</c> doubled. The rows are built in a reused character buffer and written out asynchronously
/// in chunks of about 32K characters, so no write to the output blocks (an ASP.NET Core response body refuses
/// synchronous writes) and memory does not grow with the row count.
/// </summary>
/// <remarks>
/// Written by hand rather than through a CSV library: CsvHelper is not trim-safe (IL2104 under Native AOT), and Sep's
/// writer (trim-safe) quotes only fields with a separator, a quote or a line break and ends rows with the text
/// writer's <see cref="TextWriter.NewLine"/>, which would change the quoting of fields with spaces at either end and
/// the line ends over a caller's text writer.
/// </remarks>
internal sealed class CsvExportWriter<T> : ExportWriter<T>
{
    private const int ChunkSize = 32 * 1024;
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);
    private readonly TextWriter _text;
    private readonly bool _ownsText;
    private readonly CsvRecord _record = new(ChunkSize + 4096);
    private readonly Action<CsvRecord, T> _row;

    public CsvExportWriter(Stream output, IReadOnlyList<string> header, Action<CsvRecord, T> row)
        : this(new StreamWriter(output, Utf8NoBom, bufferSize: 64 * 1024, leaveOpen: true), ownsText: true, header, row)
    {
    }

    public CsvExportWriter(TextWriter output, bool ownsText, IReadOnlyList<string> header, Action<CsvRecord, T> row)
    {
        _text = output;
        _ownsText = ownsText;
        _row = row;
        foreach (var h in header)
        {
            _record.Field(h);
        }
        _record.EndRecord();
    }

    public override async ValueTask WriteAsync(T item, CancellationToken cancellationToken)
    {
        _row(_record, item);
        _record.EndRecord();
        if (_record.Length >= ChunkSize)
        {
            await DrainAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public override async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        await DrainAsync(cancellationToken).ConfigureAwait(false);
        await _text.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask DrainAsync(CancellationToken cancellationToken)
    {
        if (_record.Length > 0)
        {
            await _text.WriteAsync(_record.Written, cancellationToken).ConfigureAwait(false);
            _record.Clear();
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await DrainAsync(CancellationToken.None).ConfigureAwait(false);
        if (_ownsText)
        {
            await _text.DisposeAsync().ConfigureAwait(false);
        }
        else
        {
            await _text.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }
}

/// <summary>The CSV text of the records written so far and not yet drained: <see cref="Field"/> per column, <see cref="EndRecord"/> per row.</summary>
internal sealed class CsvRecord(int capacity)
{
    private readonly ArrayBufferWriter<char> _buffer = new(capacity);
    private bool _atRecordStart = true;

    /// <summary>RFC 4180: quote a field with a comma, a quote, a CR or an LF (a lone LF too), or spaces at either end.</summary>
    internal static bool NeedsQuotes(string? field)
        => !string.IsNullOrEmpty(field) && (field.AsSpan().IndexOfAny(",\"\r\n") >= 0 || field[0] == ' ' || field[^1] == ' ');

    public int Length => _buffer.WrittenCount;

    public ReadOnlyMemory<char> Written => _buffer.WrittenMemory;

    /// <summary>Appends one field as it is (the caller applies <see cref="UsageExport.ProtectCsvCell"/>), quoted when <see cref="NeedsQuotes"/>.</summary>
    public void Field(string value)
    {
        if (!_atRecordStart)
        {
            Append(",");
        }
        _atRecordStart = false;
        if (!NeedsQuotes(value))
        {
            Append(value);
            return;
        }
        Append("\"");
        var rest = value.AsSpan();
        int quote;
        while ((quote = rest.IndexOf('"')) >= 0)
        {
            Append(rest[..(quote + 1)]);
            Append("\"");
            rest = rest[(quote + 1)..];
        }
        Append(rest);
        Append("\"");
    }

    public void EndRecord()
    {
        Append("\r\n");
        _atRecordStart = true;
    }

    public void Clear() => _buffer.ResetWrittenCount();

    private void Append(ReadOnlySpan<char> text) => _buffer.Write(text);
}

/// <summary>JSON Lines: each item serialized with source-generated metadata into a reused buffer, a LF after each, written out in 64 KiB chunks.</summary>
internal sealed class JsonlExportWriter<T> : ExportWriter<T>
{
    private const int ChunkSize = 64 * 1024;
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false };
    private readonly Stream? _output;
    private readonly TextWriter? _text;
    private readonly JsonTypeInfo<T> _typeInfo;
    private readonly ArrayBufferWriter<byte> _buffer = new(ChunkSize + 4096);
    private readonly Utf8JsonWriter _json;

    public JsonlExportWriter(Stream output, JsonTypeInfo<T> typeInfo)
    {
        _output = output;
        _typeInfo = typeInfo;
        _json = new Utf8JsonWriter(_buffer, WriterOptions);
    }

    /// <summary>Over a text writer: each chunk (whole lines, so whole UTF-8 sequences) is decoded and written as text.</summary>
    public JsonlExportWriter(TextWriter output, JsonTypeInfo<T> typeInfo)
    {
        _text = output;
        _typeInfo = typeInfo;
        _json = new Utf8JsonWriter(_buffer, WriterOptions);
    }

    public override async ValueTask WriteAsync(T item, CancellationToken cancellationToken)
    {
        JsonSerializer.Serialize(_json, item, _typeInfo);
        _json.Flush();
        _json.Reset();
        _buffer.Write("\n"u8);
        if (_buffer.WrittenCount >= ChunkSize)
        {
            await DrainAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public override async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        await DrainAsync(cancellationToken).ConfigureAwait(false);
        if (_output is not null)
        {
            await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await _text!.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask DrainAsync(CancellationToken cancellationToken)
    {
        if (_buffer.WrittenCount > 0)
        {
            if (_output is not null)
            {
                await _output.WriteAsync(_buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await _text!.WriteAsync(Encoding.UTF8.GetString(_buffer.WrittenSpan).AsMemory(), cancellationToken).ConfigureAwait(false);
            }
            _buffer.ResetWrittenCount();
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await DrainAsync(CancellationToken.None).ConfigureAwait(false);
        await _json.DisposeAsync().ConfigureAwait(false);
    }
}

/// <summary>The columns of the CSV exports.</summary>
internal static class CsvColumns
{
    public static readonly string[] Requests =
    [
        "request_id", "created", "api_key_id", "accessor", "path", "method", "endpoint", "deployment", "models", "tags",
        "features", "duration", "channels", "usd", "tokens_in", "tokens_out", "code", "state",
    ];

    public static readonly string[] Summary =
    [
        "start", "end", "hours", "total_hours", "requests", "tokens_in", "tokens_out", "tts_characters", "tts_requests",
    ];

    public static readonly string[] Breakdown =
    [
        "start", "end", "accessor", "endpoint", "feature_set", "models", "method", "tags", "deployment",
        "hours", "total_hours", "agent_hours", "tokens_in", "tokens_out", "tts_characters", "requests",
    ];

    public static void WriteRequest(CsvRecord csv, UsageRequest request)
    {
        var row = new RequestRow(request);
        Field(csv, row.RequestId);
        Field(csv, RequestRow.FormatTime(row.Created));
        Field(csv, row.ApiKeyId ?? "");
        Field(csv, row.Accessor ?? "");
        Field(csv, row.Path ?? "");
        Field(csv, row.Method ?? "");
        Field(csv, row.Endpoint ?? "");
        Field(csv, row.Deployment ?? "");
        Field(csv, Join(row.Models));
        Field(csv, Join(row.Tags));
        Field(csv, Join(row.Features));
        Field(csv, Format(row.Duration));
        Field(csv, Format(row.Channels));
        Field(csv, Format(row.Usd));
        Field(csv, Format(row.TokensIn));
        Field(csv, Format(row.TokensOut));
        Field(csv, Format(row.Code));
        Field(csv, row.State);
    }

    public static void WriteSummary(CsvRecord csv, UsageSummaryResult r)
    {
        Field(csv, Format(r.Start));
        Field(csv, Format(r.End));
        Field(csv, Format((double?)r.Hours));
        Field(csv, Format((double?)r.TotalHours));
        Field(csv, Format(r.Requests));
        Field(csv, Format(r.Tokens?.In));
        Field(csv, Format(r.Tokens?.Out));
        Field(csv, Format(r.Tts?.Characters));
        Field(csv, Format(r.Tts?.Requests));
    }

    public static void WriteBreakdown(CsvRecord csv, UsageBreakdownResult r)
    {
        var g = r.Grouping;
        Field(csv, Format(g?.Start));
        Field(csv, Format(g?.End));
        Field(csv, g?.Accessor ?? "");
        Field(csv, g?.Endpoint ?? "");
        Field(csv, g?.FeatureSet ?? "");
        Field(csv, g is null ? "" : string.Join(UsageExport.ListSeparator, g.Models.Select(m => m ?? "")));
        Field(csv, g?.Method ?? "");
        Field(csv, g?.Tags is { } tags ? Join(tags) : "");
        Field(csv, g?.Deployment ?? "");
        Field(csv, Format((double?)r.Hours));
        Field(csv, Format((double?)r.TotalHours));
        Field(csv, Format((double?)r.AgentHours));
        Field(csv, Format(r.TokensIn));
        Field(csv, Format(r.TokensOut));
        Field(csv, Format(r.TtsCharacters));
        Field(csv, Format(r.Requests));
    }

    /// <summary>Writes one cell through <see cref="UsageExport.ProtectCsvCell"/> (tags and paths come from API callers).</summary>
    private static void Field(CsvRecord csv, string value) => csv.Field(UsageExport.ProtectCsvCell(value));

    private static string Join(IReadOnlyList<string> values) => values.Count switch
    {
        0 => "",
        1 => values[0],
        _ => string.Join(UsageExport.ListSeparator, values),
    };

    private static string Format(DateOnly? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";
    private static string Format(double? v) => v?.ToString("R", CultureInfo.InvariantCulture) ?? "";
    private static string Format(decimal? v) => v?.ToString(CultureInfo.InvariantCulture) ?? "";
    private static string Format(long? v) => v?.ToString(CultureInfo.InvariantCulture) ?? "";
    private static string Format(int? v) => v?.ToString(CultureInfo.InvariantCulture) ?? "";
}
