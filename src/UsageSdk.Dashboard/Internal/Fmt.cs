using System.Globalization;
using System.Text;
using System.Xml;
using UsageSdk.Reports;

namespace UsageSdk.Dashboard.Internal;

/// <summary>Numbers and money as the page shows them (invariant culture). The exports write exact values instead.</summary>
internal static class Fmt
{
    public static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string N(long v) => v.ToString("#,##0", Inv);

    public static string N(decimal v) => v.ToString("#,##0.##", Inv);

    public static string Pct(double v) => (v * 100).ToString("0.0", Inv) + "%";

    /// <summary>Dollars to the cent, as the HTML report and the terminal show them (<see cref="UsageMoney.Format"/>).</summary>
    public static string Usd(decimal v) => UsageMoney.Format(v);

    /// <summary>An estimate: "~$12.34".</summary>
    public static string UsdEstimate(decimal v) => UsageMoney.FormatEstimate(v);

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
