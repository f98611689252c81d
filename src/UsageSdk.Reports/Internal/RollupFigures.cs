namespace UsageSdk.Reports.Internal;

/// <summary>
/// The summed quantities of the requests of one roll-up (one shape, over an hour, a day or a range). Everything a
/// report needs that is not in the <see cref="RollupShape"/>; all of it adds up (and subtracts) exactly (audio in whole
/// microseconds, as a report sums it).
/// </summary>
internal sealed class RollupFigures
{
    public long Requests;
    public long TokensIn;
    public long TokensOut;
    public long TtsCharacters;
    public long AudioMicros;

    /// <summary>The sum of the requests' <c>usd</c> (0 when they carry none, see <see cref="RollupShape.Usd"/>).</summary>
    public decimal Usd;

    /// <summary>
    /// Per position, when the shape has more than one token model or voice (<see cref="RollupShape.HasPositionParts"/>):
    /// input and output tokens of each token model, then the characters of each voice. Null otherwise (the totals are the only position).
    /// </summary>
    public long[]? Parts;

    /// <summary>The earliest and latest <c>created</c> (UTC ticks); kept by the hourly roll-ups only.</summary>
    public long First = long.MaxValue;

    /// <inheritdoc cref="First"/>
    public long Last = long.MinValue;

    public bool IsEmpty => Requests == 0;

    public void Add(RollupFigures other, int sign = 1)
    {
        Requests += sign * other.Requests;
        TokensIn += sign * other.TokensIn;
        TokensOut += sign * other.TokensOut;
        TtsCharacters += sign * other.TtsCharacters;
        AudioMicros += sign * other.AudioMicros;
        Usd += sign * other.Usd;
        if (other.Parts is { } op)
        {
            var parts = Parts ??= new long[op.Length];
            if (parts.Length != op.Length)
            {
                throw new InvalidOperationException($"Roll-up parts of different lengths ({parts.Length} and {op.Length}) for one shape.");
            }
            for (var i = 0; i < op.Length; i++)
            {
                parts[i] += sign * op[i];
            }
        }
        if (sign > 0)
        {
            First = Math.Min(First, other.First);
            Last = Math.Max(Last, other.Last);
        }
    }

    public RollupFigures Copy()
    {
        var copy = (RollupFigures)MemberwiseClone();
        copy.Parts = Parts is null ? null : (long[])Parts.Clone();
        return copy;
    }

    /// <summary>Parts written as text (<c>1,2,3</c>), as the stores keep them; null for none.</summary>
    public static string? FormatParts(long[]? parts)
        => parts is null ? null : string.Join(',', parts.Select(p => p.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>Adds parts written by <see cref="FormatParts"/>, several joined by <c>/</c> (a SQL <c>group_concat</c>), into <see cref="Parts"/>.</summary>
    public void AddParts(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return;
        }
        foreach (var one in text.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var values = one.Split(',');
            var parts = Parts ??= new long[values.Length];
            if (parts.Length != values.Length)
            {
                throw new FormatException($"Roll-up parts of different lengths ({parts.Length} and {values.Length}) for one shape.");
            }
            for (var i = 0; i < values.Length; i++)
            {
                parts[i] += long.Parse(values[i], System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture);
            }
        }
    }
}
