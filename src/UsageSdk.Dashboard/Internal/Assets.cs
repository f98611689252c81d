using System.Collections.Concurrent;

namespace UsageSdk.Dashboard.Internal;

/// <summary>The page's own stylesheet, script and icon, embedded in the assembly (nothing comes from a CDN).</summary>
internal static class Assets
{
    private static readonly ConcurrentDictionary<string, byte[]> Cache = new(StringComparer.Ordinal);

    public static byte[] Get(string name) => Cache.GetOrAdd(name, static n =>
    {
        using var stream = typeof(Assets).Assembly.GetManifestResourceStream("UsageSdk.Dashboard.Assets." + n)
            ?? throw new InvalidOperationException($"The embedded asset {n} is missing.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });
}
