namespace UsageSdk.Internal;

/// <summary>The rule for ids that go into a request path (project and request ids): checked before any HTTP call.</summary>
internal static class Ids
{
    /// <summary>Throws an <see cref="ArgumentException"/> naming <paramref name="paramName"/> unless <paramref name="id"/> is a plain id.</summary>
    public static void Check(string id, string paramName)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            throw new ArgumentException($"The {paramName} must not be null, empty or white space.", paramName);
        }
        if (id.Length > 200)
        {
            throw new ArgumentException($"The {paramName} is longer than 200 characters.", paramName);
        }
        foreach (var c in id)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                throw new ArgumentException($"The {paramName} '{OpenEnum.Printable(id)}' has a character that is not allowed in an id ('{OpenEnum.Printable(c.ToString())}'); ids are letters, digits, '-', '_' and '.'.", paramName);
            }
        }
        if (id.Contains("..", StringComparison.Ordinal) || id == ".")
        {
            throw new ArgumentException($"The {paramName} '{OpenEnum.Printable(id)}' is not an id ('.' and '..' would change the path).", paramName);
        }
    }
}
