using System.Globalization;
using System.Text.Json;

namespace UsageSdk.Cli.Infrastructure;

/// <summary>Human formatting for tables, and invariant formatting for CSV.</summary>
internal static class Fmt
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", Inv);

    public static string IsoTime(DateTimeOffset? t) => t?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", Inv) ?? "";

    public static string Day(DateOnly? d) => d?.ToString("yyyy-MM-dd", Inv) ?? "";

    public static string Count(long? n) => n is { } v ? v.ToString("#,0", Inv) : "";

    public static string Hours(double h) => h.ToString("#,0.00", Inv);

    /// <summary>A request's cost (<see cref="Money.Cost"/>).</summary>
    public static string Usd(decimal? usd) => Money.Cost(usd);

    /// <summary>Seconds as <c>45.2s</c>, <c>3m 05s</c> or <c>1h 02m</c>.</summary>
    public static string Seconds(double? seconds)
    {
        if (seconds is not { } s)
        {
            return "";
        }
        if (s < 60)
        {
            return s.ToString("0.0", Inv) + "s";
        }
        var t = TimeSpan.FromSeconds(s);
        return t.TotalHours >= 1 ? $"{(int)t.TotalHours}h {t.Minutes:00}m" : $"{t.Minutes}m {t.Seconds:00}s";
    }

    /// <summary>Short count: 950, 1.2k, 3.4M.</summary>
    public static string Short(long n) => n switch
    {
        < 1000 => n.ToString(Inv),
        < 1_000_000 => (n / 1000.0).ToString("0.#", Inv) + "k",
        _ => (n / 1_000_000.0).ToString("0.#", Inv) + "M",
    };

    public static string Number(double? v) => v?.ToString("R", Inv) ?? "";

    public static string Number(decimal? v) => v?.ToString(Inv) ?? "";

    public static string Number(long? v) => v?.ToString(Inv) ?? "";

    public static string Join(IEnumerable<string?>? values, string separator = ";") => values is null ? "" : string.Join(separator, values.Where(v => v is not null));

    /// <summary>The endpoint of a request, from its path (<see cref="UsageSdk.Endpoint.FromPath"/>).</summary>
    public static string? Endpoint(UsageRequest r) => UsageSdk.Endpoint.FromPath(r.Path)?.ToString();

    public static long TokensIn(UsageRequest r) => r.Response?.TokenDetails.Sum(t => t.Input ?? 0) ?? 0;

    public static long TokensOut(UsageRequest r) => r.Response?.TokenDetails.Sum(t => t.Output ?? 0) ?? 0;

    public static long TtsCharacters(UsageRequest r) => r.Response?.TtsDetails?.Characters ?? 0;

    /// <summary>The wire JSON of a request's config, compact.</summary>
    public static string Config(RequestDetails? d)
        => d?.Config is { Count: > 0 } c ? "{" + string.Join(",", c.Select(p => JsonSerializer.Serialize(p.Key, CliJsonContext.Default.String) + ":" + p.Value.GetRawText())) + "}" : "";
}
