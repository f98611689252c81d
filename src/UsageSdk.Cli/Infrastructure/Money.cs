using System.Globalization;
using UsageSdk.Reports;

namespace UsageSdk.Cli.Infrastructure;

/// <summary>
/// The one place the tool formats money. Every amount is US dollars written as <c>$1.23</c> with an explicit format
/// and the invariant culture, never the "C" format: under the invariant culture (the tool runs with
/// InvariantGlobalization) "C" prints the generic currency sign (<c>¤1.23</c>), and under another culture that
/// culture's currency and separators (<c>1,23 €</c>), neither of which is what the API bills in. Totals, tables and
/// tiles read in cents through <see cref="UsageMoney"/> (the same helper the reports and the HTML page use).
/// </summary>
internal static class Money
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>A billed amount exact to the last decimal the API sent: <c>$61.903263</c>, <c>$12.50</c>, <c>-$0.25</c> (<see cref="UsageMoney.FormatExact"/>).</summary>
    public static string Exact(decimal usd) => UsageMoney.FormatExact(usd);

    /// <summary>An amount as people read it, in cents: <c>$61.90</c>, <c>&lt;$0.01</c> for a non-zero amount under a cent (<see cref="UsageMoney.Format"/>).</summary>
    public static string Cents(decimal usd) => UsageMoney.Format(usd);

    /// <summary>A request's cost in a listing: cents from a dollar up (<c>$29.61</c>), four decimals below (<c>$0.0083</c>); "—" when unknown.</summary>
    public static string Cost(decimal? usd) => usd is { } v ? Dollars(v, Math.Abs(v) < 1 ? "0.0000" : "#,0.00") : "—";

    /// <summary>A rate or a threshold: cents, or up to four decimals below a dollar (<c>$0.0125</c>, <c>$89.33</c>).</summary>
    public static string Short(decimal usd) => Dollars(usd, usd != 0 && Math.Abs(usd) < 1 ? "0.00##" : "#,0.00");

    /// <summary>An estimate (never billed), in cents: <c>~$1.23</c> (<see cref="UsageMoney.FormatEstimate"/>).</summary>
    public static string Estimate(decimal usd) => UsageMoney.FormatEstimate(usd);

    /// <summary>An amount in its units: dollars in cents for <c>usd</c> (any case), otherwise the number and the unit (<c>1,234.5 hour</c>).</summary>
    public static string Amount(decimal amount, string? units)
        => string.Equals(units?.Trim(), "usd", StringComparison.OrdinalIgnoreCase)
            ? Cents(amount)
            : amount.ToString("#,0.###", Inv) + (string.IsNullOrWhiteSpace(units) ? "" : " " + units.Trim());

    /// <summary>The sign before the dollar sign (<c>-$1.00</c>), the number in the invariant culture.</summary>
    private static string Dollars(decimal usd, string format)
        => (usd < 0 ? "-$" : "$") + Math.Abs(usd).ToString(format, Inv);
}
