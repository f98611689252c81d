using System.Text;

namespace UsageSdk.Internal;

internal static class OpenEnum
{
    public static string Check(string value, string paramName)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException("The value must not be null, empty or white space.", paramName);
        }
        return value;
    }

    /// <summary>Makes a user-supplied value safe to print in an error message (control characters escaped, length capped).</summary>
    public static string Printable(string? value, int max = 80)
    {
        if (value is null)
        {
            return "(null)";
        }
        var sb = new StringBuilder(Math.Min(value.Length, max) + 8);
        foreach (var c in value)
        {
            if (sb.Length >= max)
            {
                sb.Append('…');
                break;
            }
            if (char.IsControl(c))
            {
                sb.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append(c);
            }
        }
        return sb.ToString();
    }
}
