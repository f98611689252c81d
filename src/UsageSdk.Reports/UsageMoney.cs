using System.Globalization;

namespace UsageSdk.Reports;

/// <summary>
/// US dollars as people read them, the same in every rendering (terminal tables, HTML tiles and tables, CLI output):
/// culture-invariant, always with <c>$</c> (never the culture's currency sign), thousands separated by commas.
/// Tables and tiles show cents (<see cref="Format"/>); hover text and exact listings show every decimal the figure
/// has (<see cref="FormatExact"/>). JSON and CSV carry the exact number, not these strings.
/// </summary>
public static class UsageMoney
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>
    /// Cents: <c>$29.61</c> for 29.612552, <c>$1,234.50</c>, <c>$0.00</c> for zero, <c>-$3.20</c> for a negative
    /// amount. An amount that is not zero but rounds to zero cents reads <c>&lt;$0.01</c> (or <c>&gt;-$0.01</c>), so a
    /// small cost never looks free. Rounds half away from zero.
    /// </summary>
    /// <param name="usd">The amount in US dollars.</param>
    public static string Format(decimal usd)
    {
        var cents = decimal.Round(usd, 2, MidpointRounding.AwayFromZero);
        if (cents == 0 && usd != 0)
        {
            return usd > 0 ? "<$0.01" : ">-$0.01";
        }
        return (cents < 0 ? "-$" : "$") + Math.Abs(cents).ToString("#,0.00", Inv);
    }

    /// <summary>
    /// The exact figure: at least two decimals and every further significant one (<c>$29.612552</c>, <c>$2.00</c>,
    /// <c>-$0.0043</c>), for hover text and wherever the exact amount must be readable.
    /// </summary>
    /// <param name="usd">The amount in US dollars.</param>
    public static string FormatExact(decimal usd)
        => (usd < 0 ? "-$" : "$") + Math.Abs(usd).ToString("#,0.00##########################", Inv);

    /// <summary>An estimate (not billed), in cents with a tilde: <c>~$29.61</c> (<c>~&lt;$0.01</c> for a tiny non-zero one).</summary>
    /// <param name="usd">The estimated amount in US dollars.</param>
    public static string FormatEstimate(decimal usd) => "~" + Format(usd);
}
