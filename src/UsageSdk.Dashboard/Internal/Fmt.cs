using System.Globalization;
using System.Text;
using System.Xml;

namespace UsageSdk.Dashboard.Internal;

/// <summary>Numbers and money as the page shows them (invariant culture). The exports write exact values instead.</summary>
internal static class Fmt
{
    public static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string N(long v) => v.ToString("#,##0", Inv);

    public static string N(decimal v) => v.ToString("#,##0.##", Inv);

    public static string Pct(double v) => (v * 100).ToString("0.0", Inv) + "%";

    // TODO(reports): use UsageSdk.Reports' money formatting (cents) once it lands, so the page, the HTML report and the
    // terminal agree on rounding.

    /// <summary>Dollars to the cent ($1,234.57); amounts under a cent but not zero show as "&lt; $0.01".</summary>
    public static string Usd(decimal v)
    {
        if (v != 0 && Math.Abs(v) < 0.005m)
        {
            return v < 0 ? "> -$0.01" : "< $0.01";
        }
        var rounded = Math.Round(v, 2, MidpointRounding.AwayFromZero);
        return (rounded < 0 ? "-$" : "$") + Math.Abs(rounded).ToString("#,##0.00", Inv);
    }

    /// <summary>An estimate: "~$12.34".</summary>
    public static string UsdEstimate(decimal v) => "~" + Usd(v);

    /// <summary>An exact invariant decimal (exports, data attributes).</summary>
    public static string Exact(decimal v) => v.ToString(Inv);

    public static string Exact(double v) => v.ToString("R", Inv);

    public static string Day(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd", Inv);

    public static string Hour(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:00", Inv);

    public static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", Inv);

    /// <summary>Removes characters XML cannot carry (control characters in tags or names sent by the API).</summary>
    public static string Clean(string? s)
    {
        if (string.IsNullOrEmpty(s))
        {
            return "";
        }
        var sb = new StringBuilder(s.Length);
        foreach (var rune in s.EnumerateRunes()) // lone surrogates come out as U+FFFD
        {
            sb.Append(rune.IsBmp && !XmlConvert.IsXmlChar((char)rune.Value) ? "\uFFFD" : rune.ToString());
        }
        return sb.ToString();
    }
}
