namespace UsageSdk.Archive.Internal;

/// <summary>
/// Exact dollars in integer columns, so SQL can sum them: a <c>decimal</c> is split into whole nano-dollars
/// (<c>usd_nano</c>, 10⁻⁹), the next nine digits (<c>usd_atto</c>, 10⁻¹⁸) and, only when there is more (beyond 18
/// decimals, or above 9.2 billion dollars), the rest as decimal text (<c>usd_rest</c>).
/// </summary>
internal static class RollupUsdColumns
{
    private const decimal Nano = 1_000_000_000m;
    private const decimal Atto = 1_000_000_000_000_000_000m;
    private const decimal MaxNano = 9_000_000_000m; // dollars whose nano-dollars fit a long

    public static (long Nano, long Atto, string? Remainder) Split(decimal usd)
    {
        if (usd == 0)
        {
            return (0, 0, null);
        }
        if (Math.Abs(usd) >= MaxNano)
        {
            return (0, 0, Format(usd));
        }
        var nano = decimal.Truncate(usd * Nano);
        var r1 = usd - (nano / Nano);
        var atto = decimal.Truncate(r1 * Atto);
        var rest = r1 - (atto / Atto);
        return ((long)nano, (long)atto, rest == 0 ? null : Format(rest));
    }

    /// <summary>
    /// The dollars of summed columns; <paramref name="rests"/> is null or decimal texts joined by spaces (a SQL
    /// <c>group_concat</c>), <paramref name="scale"/> the most decimals of any amount summed (<c>usd_scale</c>): a sum of
    /// <c>decimal</c>s keeps that many, so the roll-up's sum is written as the logs' is (0.045150, not 0.04515).
    /// </summary>
    public static decimal Join(long nano, long atto, string? rests, byte scale = 0)
    {
        return Exact(nano, atto, rests) + new decimal(0, 0, 0, false, Math.Min(scale, (byte)28));
    }

    /// <summary>
    /// The dollars of summed columns read as integers: <paramref name="nano"/> and <paramref name="atto"/> summed
    /// without overflow, <paramref name="rest"/> the sum of the <c>usd_rest</c> texts, <paramref name="scale"/> as in
    /// <see cref="Join(long, long, string?, byte)"/>. The same value and scale as the sum of each row's
    /// <see cref="Join(long, long, string?, byte)"/>: each row's scale is at least that of its exact amount.
    /// </summary>
    public static decimal Join(Int128 nano, Int128 atto, decimal rest, byte scale)
    {
        var usd = rest;
        if (nano != 0)
        {
            usd += (decimal)nano / Nano;
        }
        if (atto != 0)
        {
            usd += (decimal)atto / Atto;
        }
        return usd + new decimal(0, 0, 0, false, Math.Min(scale, (byte)28));
    }

    /// <summary>The sum of <c>usd_rest</c> texts: null, or decimal texts joined by spaces (0 for none).</summary>
    public static decimal Rests(string? rests) => Exact(0, 0, rests);

    private static decimal Exact(long nano, long atto, string? rests)
    {
        var usd = (nano / Nano) + (atto / Atto);
        if (!string.IsNullOrEmpty(rests))
        {
            foreach (var r in rests.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                usd += decimal.Parse(r, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        return usd;
    }

    /// <summary>The sum of two decimal texts (null for none): the store's <c>usage_decimal_add</c> function.</summary>
    public static string? Add(string? a, string? b)
    {
        if (string.IsNullOrEmpty(a))
        {
            return string.IsNullOrEmpty(b) ? null : b;
        }
        if (string.IsNullOrEmpty(b))
        {
            return a;
        }
        var sum = Exact(0, 0, a) + Exact(0, 0, b);
        return sum == 0 ? null : Format(sum);
    }

    private static string Format(decimal d) => d.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
