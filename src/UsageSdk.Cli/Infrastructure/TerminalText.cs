using System.Globalization;
using System.Text;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace UsageSdk.Cli.Infrastructure;

/// <summary>
/// Text from the API (tags, key and model names, messages) made safe to print: a terminal must never receive a control
/// character it would act on (OSC 0 retitles the window, CSI clears or recolours, OSC 52 writes the clipboard).
/// <see cref="Visible(string?)"/> is the one rule; the Spectre consoles of <see cref="OutputTarget"/> apply it to every
/// segment they draw (<see cref="VisibleRenderHook"/>), <see cref="VisibleTextWriter"/> to text sent to a terminal, and
/// <see cref="CliErrors.OneLine"/> to error lines.
/// </summary>
internal static class TerminalText
{
    /// <summary>
    /// True for what is shown as an escape: C0 (U+0000–U+001F), DEL (U+007F), C1 (U+0080–U+009F) and the bidirectional
    /// controls (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069), which reorder what the eye reads.
    /// </summary>
    public static bool MustEscape(char c) => c < 0x20 || c is >= '\u007f' and <= '\u009f' || IsBidiControl(c);

    private static bool IsBidiControl(char c) => c is '\u061c' or '\u200e' or '\u200f' or >= '\u202a' and <= '\u202e' or >= '\u2066' and <= '\u2069';

    /// <summary><paramref name="text"/> with every <see cref="MustEscape"/> character as <c>\xHH</c> (up to U+00FF) or <c>\uHHHH</c>; other text (non-ASCII, emoji) unchanged.</summary>
    public static string Visible(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }
        var first = IndexOfEscape(text);
        if (first < 0)
        {
            return text;
        }
        var sb = new StringBuilder(text.Length + 16).Append(text, 0, first);
        for (var i = first; i < text.Length; i++)
        {
            Append(sb, text[i]);
        }
        return sb.ToString();
    }

    /// <summary><see cref="Visible(string?)"/>, then escaped for Spectre markup (<c>[</c> <c>]</c>).</summary>
    public static string Markup(string? text) => Spectre.Console.Markup.Escape(Visible(text));

    /// <summary>A table cell or line of plain text (never parsed as markup) holding <see cref="Visible(string?)"/> of <paramref name="text"/>.</summary>
    public static Text Text(string? text, Style? style = null) => new(Visible(text), style ?? Style.Plain);

    /// <summary>The index of the first character to escape, or -1.</summary>
    public static int IndexOfEscape(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (MustEscape(text[i]))
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>Appends <paramref name="c"/>, as its escape when <see cref="MustEscape"/>.</summary>
    public static void Append(StringBuilder sb, char c)
    {
        if (!MustEscape(c))
        {
            sb.Append(c);
        }
        else if (c <= '\u00ff')
        {
            sb.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
        }
        else
        {
            sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
        }
    }
}

/// <summary>
/// Applies <see cref="TerminalText.Visible(string?)"/> to every text segment a console draws, after layout: whatever a
/// command hands the console (a <see cref="Text"/>, a table, markup), no control character reaches the output. Colours
/// are unaffected: Spectre writes them from the segments' styles, after this hook. Cells are made visible before layout
/// too (<see cref="TerminalText.Text"/>), so the columns line up; this hook is what makes a forgotten cell harmless.
/// </summary>
internal sealed class VisibleRenderHook : IRenderHook
{
    public IEnumerable<IRenderable> Process(RenderOptions options, IEnumerable<IRenderable> renderables)
        => renderables.Select(r => (IRenderable)new VisibleRenderable(r));

    private sealed class VisibleRenderable(IRenderable inner) : IRenderable
    {
        public Measurement Measure(RenderOptions options, int maxWidth) => inner.Measure(options, maxWidth);

        public IEnumerable<Segment> Render(RenderOptions options, int maxWidth)
        {
            foreach (var s in inner.Render(options, maxWidth))
            {
                if (s.IsLineBreak)
                {
                    yield return s;
                }
                else if (s.IsControlCode)
                {
                    // The tool draws no cursor movements or clears; a control segment could only carry foreign text.
                    continue;
                }
                else
                {
                    var text = TerminalText.Visible(s.Text);
                    yield return ReferenceEquals(text, s.Text) ? s : new Segment(text, s.Style);
                }
            }
        }
    }
}

/// <summary>
/// A text writer to a terminal that writes every <see cref="TerminalText.MustEscape"/> character as its escape, except
/// the line ends LF and CR LF: csv, json and plain lines printed on a terminal pass through it (tables do not: Spectre's
/// colours are escape sequences, and its console has <see cref="VisibleRenderHook"/>). It buffers nothing but a CR
/// waiting for its LF.
/// </summary>
internal sealed class VisibleTextWriter(TextWriter inner) : TextWriter
{
    private readonly StringBuilder _buffer = new();
    private bool _pendingCr;

    public override Encoding Encoding => inner.Encoding;

    [System.Diagnostics.CodeAnalysis.AllowNull]
    public override string NewLine
    {
        get => inner.NewLine;
        set => inner.NewLine = value;
    }

    public override IFormatProvider FormatProvider => inner.FormatProvider;

    public override void Write(char value) => Write([value]);

    public override void Write(char[] buffer, int index, int count) => Write(buffer.AsSpan(index, count));

    public override void Write(string? value) => Write(value.AsSpan());

    public override void Write(ReadOnlySpan<char> buffer)
    {
        if (buffer.IsEmpty)
        {
            return;
        }
        if (!_pendingCr && TerminalText.IndexOfEscape(buffer) < 0)
        {
            inner.Write(buffer);
            return;
        }
        inner.Write(Convert(buffer));
    }

    public override void WriteLine() => Write(NewLine.AsSpan());

    public override void WriteLine(string? value)
    {
        Write(value.AsSpan());
        WriteLine();
    }

    public override Task WriteAsync(char value) => WriteAsync(new[] { value }.AsMemory());

    public override Task WriteAsync(string? value) => WriteAsync(value.AsMemory());

    public override Task WriteAsync(char[] buffer, int index, int count) => WriteAsync(buffer.AsMemory(index, count));

    public override Task WriteAsync(ReadOnlyMemory<char> buffer, CancellationToken cancellationToken = default)
        => buffer.IsEmpty ? Task.CompletedTask
            : !_pendingCr && TerminalText.IndexOfEscape(buffer.Span) < 0 ? inner.WriteAsync(buffer, cancellationToken)
            : inner.WriteAsync(Convert(buffer.Span).AsMemory(), cancellationToken);

    public override Task WriteLineAsync() => WriteAsync(NewLine);

    public override async Task WriteLineAsync(string? value)
    {
        await WriteAsync(value).ConfigureAwait(false);
        await WriteAsync(NewLine).ConfigureAwait(false);
    }

    public override async Task WriteLineAsync(ReadOnlyMemory<char> buffer, CancellationToken cancellationToken = default)
    {
        await WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        await WriteAsync(NewLine.AsMemory(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A CR still waiting is shown as an escape: the output ends without its LF.</summary>
    public override void Flush()
    {
        FlushPendingCr();
        inner.Flush();
    }

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        FlushPendingCr();
        await inner.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public override Task FlushAsync() => FlushAsync(CancellationToken.None);

    private void FlushPendingCr()
    {
        if (_pendingCr)
        {
            _pendingCr = false;
            inner.Write("\\x0d");
        }
    }

    private string Convert(ReadOnlySpan<char> text)
    {
        _buffer.Clear();
        var i = 0;
        if (_pendingCr)
        {
            _pendingCr = false;
            if (text.Length > 0 && text[0] == '\n')
            {
                _buffer.Append("\r\n");
                i = 1;
            }
            else
            {
                _buffer.Append("\\x0d");
            }
        }
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\n')
            {
                _buffer.Append('\n');
            }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                _buffer.Append("\r\n");
                i++;
            }
            else if (c == '\r' && i + 1 == text.Length)
            {
                _pendingCr = true;
            }
            else
            {
                TerminalText.Append(_buffer, c);
            }
        }
        return _buffer.ToString();
    }
}
