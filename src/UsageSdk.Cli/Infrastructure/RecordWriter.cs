using System.Text;
using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Rendering;
using UsageSdk.Archive;

namespace UsageSdk.Cli.Infrastructure;

/// <summary>A column of a table or a CSV file.</summary>
/// <param name="Header">The table header, or the CSV column name (snake_case, like the wire).</param>
/// <param name="Value">The cell text.</param>
/// <param name="Right">Right-aligned (numbers).</param>
/// <param name="Style">An optional Spectre style for the cell (colours show only on a terminal).</param>
/// <param name="NoWrap">Never wrapped (ids and times stay whole, so they can be copied or grepped).</param>
/// <param name="HideBelow">Left out of tables laid out narrower than this many columns (0: always shown).</param>
internal sealed record Column<T>(string Header, Func<T, string?> Value, bool Right = false, Func<T, Style?>? Style = null, bool NoWrap = false, int HideBelow = 0);

/// <summary>How one kind of record is written in each format.</summary>
internal sealed class RecordSchema<T>
{
    /// <summary>Columns of --format table.</summary>
    public required IReadOnlyList<Column<T>> Table { get; init; }

    /// <summary>Columns of --format csv.</summary>
    public required IReadOnlyList<Column<T>> Csv { get; init; }

    /// <summary>Writes one record as a JSON value in the wire's shape (json and jsonl).</summary>
    public required Action<Utf8JsonWriter, T> Json { get; init; }
}

/// <summary>
/// Streams records in the chosen format: json (one array), jsonl (one object per line), csv (header + rows) or table
/// (collected, then drawn with a totals row and footer lines). Call <see cref="CompleteAsync"/> at the end.
/// </summary>
internal sealed class RecordWriter<T> : IAsyncDisposable
{
    private readonly OutputTarget _output;
    private readonly RecordSchema<T> _schema;
    private readonly List<T> _tableRows = [];
    private readonly TextWriterStream? _jsonStream;
    private readonly Utf8JsonWriter? _json;
    private bool _completed;

    public RecordWriter(OutputTarget output, RecordSchema<T> schema)
    {
        _output = output;
        _schema = schema;
        switch (output.Format)
        {
            case OutputFormat.Json:
                _jsonStream = new TextWriterStream(output.Writer);
                _json = output.CreateJsonWriter(_jsonStream, indented: true);
                _json.WriteStartArray();
                break;
            case OutputFormat.Csv:
                output.Writer.Write(Csv.Row(schema.Csv.Select(c => c.Header)));
                break;
        }
    }

    /// <summary>Records written so far.</summary>
    public int Count { get; private set; }

    public async Task WriteAsync(T item)
    {
        Count++;
        switch (_output.Format)
        {
            case OutputFormat.Json:
                _schema.Json(_json!, item);
                if (_json!.BytesPending > 32 * 1024)
                {
                    await _json.FlushAsync(_output.Run.CancellationToken).ConfigureAwait(false);
                }
                break;
            case OutputFormat.Jsonl:
                await _output.WriteJsonAsync(w => _schema.Json(w, item), indented: false).ConfigureAwait(false);
                break;
            case OutputFormat.Csv:
                await _output.Writer.WriteAsync(Csv.Row(_schema.Csv.Select(c => c.Value(item))).AsMemory(), _output.Run.CancellationToken).ConfigureAwait(false);
                break;
            default:
                _tableRows.Add(item);
                break;
        }
    }

    /// <summary>Ends the output. For tables: <paramref name="totals"/> becomes the last row (one cell per column) and <paramref name="footer"/> lines follow the table.</summary>
    public async Task CompleteAsync(IReadOnlyList<string?>? totals = null, IEnumerable<string>? footer = null, string? emptyMessage = null)
    {
        _completed = true;
        switch (_output.Format)
        {
            case OutputFormat.Json:
                _json!.WriteEndArray();
                await _json.FlushAsync(_output.Run.CancellationToken).ConfigureAwait(false);
                _jsonStream!.Complete();
                await _output.Writer.WriteLineAsync().ConfigureAwait(false);
                break;
            case OutputFormat.Table:
                var console = _output.CreateConsole();
                if (_tableRows.Count == 0)
                {
                    console.WriteLine(emptyMessage ?? "Nothing found.");
                }
                else
                {
                    console.Write(Tables.Build(_schema.Table, _tableRows, totals, console.Profile.Width));
                }
                foreach (var line in footer ?? [])
                {
                    console.MarkupLine("[grey]" + TerminalText.Markup(line) + "[/]");
                }
                break;
        }
    }

    public ValueTask DisposeAsync()
    {
        _json?.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>True once <see cref="CompleteAsync"/> ran.</summary>
    public bool Completed => _completed;
}

/// <summary>Builds Spectre tables; every cell through <see cref="TerminalText.Text"/>.</summary>
internal static class Tables
{
    /// <summary>A table of <paramref name="rows"/>; columns whose <see cref="Column{T}.HideBelow"/> exceeds <paramref name="width"/> are left out (with their totals cell).</summary>
    public static Table Build<T>(IReadOnlyList<Column<T>> columns, IEnumerable<T> rows, IReadOnlyList<string?>? totals = null, int width = int.MaxValue)
    {
        var shown = Enumerable.Range(0, columns.Count).Where(i => columns[i].HideBelow <= width).ToList();
        if (shown.Count < columns.Count)
        {
            totals = totals is null ? null : shown.Select(i => i < totals.Count ? totals[i] : null).ToList();
            columns = shown.Select(i => columns[i]).ToList();
        }
        var table = new Table().Border(TableBorder.Rounded).BorderStyle(new Style(Color.Grey));
        foreach (var c in columns)
        {
            var column = new TableColumn(new Markup("[bold]" + TerminalText.Markup(c.Header) + "[/]"));
            if (c.Right)
            {
                column.RightAligned();
            }
            if (c.NoWrap)
            {
                column.NoWrap();
            }
            table.AddColumn(column);
        }
        foreach (var row in rows)
        {
            table.AddRow(columns.Select(c => (IRenderable)TerminalText.Text(c.Value(row), c.Style?.Invoke(row))).ToArray());
        }
        if (totals is not null)
        {
            table.ShowRowSeparators = false;
            table.AddEmptyRow();
            table.AddRow(totals.Select(t => (IRenderable)TerminalText.Text(t, new Style(decoration: Decoration.Bold))).ToArray());
        }
        return table;
    }

    /// <summary>A two-column key/value grid (for one record).</summary>
    public static Table KeyValues(IEnumerable<(string Key, string? Value)> pairs)
    {
        var table = new Table().Border(TableBorder.Rounded).BorderStyle(new Style(Color.Grey)).HideHeaders();
        table.AddColumn("Field");
        table.AddColumn("Value");
        foreach (var (k, v) in pairs)
        {
            if (!string.IsNullOrEmpty(v))
            {
                table.AddRow(TerminalText.Text(k, new Style(decoration: Decoration.Bold)), TerminalText.Text(v));
            }
        }
        return table;
    }
}

/// <summary>RFC 4180 CSV rows (quoted when needed, CRLF line ends), every cell through <see cref="UsageExport.ProtectCsvCell"/>.</summary>
internal static class Csv
{
    public static string Row(IEnumerable<string?> cells)
    {
        var sb = new StringBuilder();
        var first = true;
        foreach (var cell in cells)
        {
            if (!first)
            {
                sb.Append(',');
            }
            first = false;
            // The same formula guard as the library's exports: a leading = + - @ TAB CR gets a ' unless a plain number.
            var v = UsageExport.ProtectCsvCell(cell ?? "");
            if (v.IndexOfAny([',', '"', '\r', '\n']) >= 0)
            {
                sb.Append('"').Append(v.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
            }
            else
            {
                sb.Append(v);
            }
        }
        return sb.Append("\r\n").ToString();
    }
}

/// <summary>A write-only stream that decodes UTF-8 into a <see cref="TextWriter"/> (characters split across writes are kept whole).</summary>
internal sealed class TextWriterStream(TextWriter writer) : Stream
{
    private readonly Decoder _decoder = new UTF8Encoding(false).GetDecoder();
    private char[] _chars = new char[4096];

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() => writer.Flush();
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        var needed = _decoder.GetCharCount(buffer, flush: false);
        if (needed > _chars.Length)
        {
            _chars = new char[needed];
        }
        var n = _decoder.GetChars(buffer, _chars, flush: false);
        writer.Write(_chars, 0, n);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Complete()
    {
        var n = _decoder.GetChars([], _chars, flush: true);
        writer.Write(_chars, 0, n);
    }
}
