using System.Globalization;

namespace UsageSdk.Cli.Infrastructure;

/// <summary>Money as people read it in tables (cents: <c>$29.61</c>); CSV and JSON keep the exact figure.</summary>
internal static class Money
{
    public static string Cents(decimal usd)
        => (usd < 0 ? "-$" : "$") + Math.Abs(decimal.Round(usd, 2, MidpointRounding.AwayFromZero)).ToString("#,0.00", CultureInfo.InvariantCulture);

    /// <summary>An amount in its units: dollars in cents for <c>usd</c>, otherwise the number and the unit (<c>1,234.5 hour</c>).</summary>
    public static string Amount(decimal amount, string? units)
        => string.Equals(units?.Trim(), "usd", StringComparison.OrdinalIgnoreCase)
            ? Cents(amount)
            : amount.ToString("#,0.###", CultureInfo.InvariantCulture) + (string.IsNullOrWhiteSpace(units) ? "" : " " + units.Trim());
}
