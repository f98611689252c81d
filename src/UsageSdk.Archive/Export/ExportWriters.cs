using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using CsvHelper;
using CsvHelper.Configuration;
using UsageSdk.Archive.Internal;

namespace UsageSdk.Archive.Internal;

/// <summary>Writes items of one kind to a stream, row by row; memory is bounded by the buffers, never by the row count.</summary>
internal abstract class ExportWriter<T> : IAsyncDisposable
{
    public abstract ValueTask WriteAsync(T item, CancellationToken cancellationToken);

    /// <summary>Pushes what is buffered to the output stream (called after each page).</summary>
    public abstract ValueTask FlushAsync(CancellationToken cancellationToken);

    public abstract ValueTask DisposeAsync();
}

/// <summary>CSV through CsvHelper, one <see cref="CsvWriter.WriteField(string)"/> per column (no reflection-based class maps).</summary>
internal sealed class CsvExportWriter<T> : ExportWriter<T>
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);
    private readonly TextWriter _text;
    private readonly bool _ownsText;
    private readonly CsvWriter _csv;
    private readonly Action<CsvWriter, T> _row;

    public CsvExportWriter(Stream output, IReadOnlyList<string> header, Action<CsvWriter, T> row)
        : this(new StreamWriter(output, Utf8NoBom, bufferSize: 64 * 1024, leaveOpen: true), ownsText: true, header, row)
    {
    }

    public CsvExportWriter(TextWriter output, bool ownsText, IReadOnlyList<string> header, Action<CsvWriter, T> row)
    {
        _text = output;
        _ownsText = ownsText;
        _csv = new CsvWriter(_text, new CsvConfiguration(CultureInfo.InvariantCulture) { NewLine = "\r\n", ShouldQuote = static args => NeedsQuotes(args.Field) }, leaveOpen: true);
        _row = row;
        foreach (var h in header)
        {
            _csv.WriteField(h);
        }
        _csv.NextRecord();
    }

    /// <summary>RFC 4180: quote a field with a comma, a quote, a CR or an LF (a lone LF too), or spaces at either end.</summary>
    internal static bool NeedsQuotes(string? field)
        => !string.IsNullOrEmpty(field) && (field.AsSpan().IndexOfAny(",\"\r\n") >= 0 || field[0] == ' ' || field[^1] == ' ');

    public override async ValueTask WriteAsync(T item, CancellationToken cancellationToken)
    {
        _row(_csv, item);
        await _csv.NextRecordAsync().ConfigureAwait(false);
    }

    public override async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        await _csv.FlushAsync().ConfigureAwait(false);
        await _text.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public override async ValueTask DisposeAsync()
    {
        await _csv.DisposeAsync().ConfigureAwait(false);
        if (_ownsText)
        {
            await _text.DisposeAsync().ConfigureAwait(false);
        }
    }
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

    public static void WriteRequest(CsvWriter csv, UsageRequest request)
    {
        var row = new RequestRow(request);
        csv.WriteField(row.RequestId);
        csv.WriteField(RequestRow.FormatTime(row.Created));
        csv.WriteField(row.ApiKeyId ?? "");
        csv.WriteField(row.Accessor ?? "");
        csv.WriteField(row.Path ?? "");
        csv.WriteField(row.Method ?? "");
        csv.WriteField(row.Endpoint ?? "");
        csv.WriteField(row.Deployment ?? "");
        csv.WriteField(Join(row.Models));
        csv.WriteField(Join(row.Tags));
        csv.WriteField(Join(row.Features));
        csv.WriteField(Format(row.Duration));
        csv.WriteField(Format(row.Channels));
        csv.WriteField(Format(row.Usd));
        csv.WriteField(Format(row.TokensIn));
        csv.WriteField(Format(row.TokensOut));
        csv.WriteField(Format(row.Code));
        csv.WriteField(row.State);
    }

    public static void WriteSummary(CsvWriter csv, UsageSummaryResult r)
    {
        csv.WriteField(Format(r.Start));
        csv.WriteField(Format(r.End));
        csv.WriteField(Format((double?)r.Hours));
        csv.WriteField(Format((double?)r.TotalHours));
        csv.WriteField(Format(r.Requests));
        csv.WriteField(Format(r.Tokens?.In));
        csv.WriteField(Format(r.Tokens?.Out));
        csv.WriteField(Format(r.Tts?.Characters));
        csv.WriteField(Format(r.Tts?.Requests));
    }

    public static void WriteBreakdown(CsvWriter csv, UsageBreakdownResult r)
    {
        var g = r.Grouping;
        csv.WriteField(Format(g?.Start));
        csv.WriteField(Format(g?.End));
        csv.WriteField(g?.Accessor ?? "");
        csv.WriteField(g?.Endpoint ?? "");
        csv.WriteField(g?.FeatureSet ?? "");
        csv.WriteField(g is null ? "" : string.Join(UsageExport.ListSeparator, g.Models.Select(m => m ?? "")));
        csv.WriteField(g?.Method ?? "");
        csv.WriteField(g?.Tags is { } tags ? Join(tags) : "");
        csv.WriteField(g?.Deployment ?? "");
        csv.WriteField(Format((double?)r.Hours));
        csv.WriteField(Format((double?)r.TotalHours));
        csv.WriteField(Format((double?)r.AgentHours));
        csv.WriteField(Format(r.TokensIn));
        csv.WriteField(Format(r.TokensOut));
        csv.WriteField(Format(r.TtsCharacters));
        csv.WriteField(Format(r.Requests));
    }

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
