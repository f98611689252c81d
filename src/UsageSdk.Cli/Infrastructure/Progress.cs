namespace UsageSdk.Cli.Infrastructure;

/// <summary>A one-line progress indicator on stderr, redrawn in place; silent unless stderr is a terminal.</summary>
internal sealed class Progress(TextWriter stderr, bool enabled)
{
    private int _width;

    public bool Enabled { get; } = enabled;

    public void Report(string text)
    {
        if (!Enabled)
        {
            return;
        }
        var padded = text.Length < _width ? text + new string(' ', _width - text.Length) : text;
        stderr.Write("\r" + padded);
        stderr.Flush();
        _width = text.Length;
    }

    public void Clear()
    {
        if (!Enabled || _width == 0)
        {
            return;
        }
        stderr.Write("\r" + new string(' ', _width) + "\r");
        stderr.Flush();
        _width = 0;
    }
}
