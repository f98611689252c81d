using System.Reflection;
using System.Runtime.CompilerServices;

namespace UsageSdk.Tests.Infrastructure;

/// <summary>Finds files of the checkout from a test, wherever the test assembly was built (ArtifactsPath, CI path maps).</summary>
internal static class RepoPaths
{
    /// <summary>
    /// The folder of the calling source file: <see cref="CallerFilePathAttribute"/> when it points at the disk, else the
    /// same path under the checkout root baked into the test assembly (CI=true maps source paths to <c>/_/</c>).
    /// </summary>
    public static string SourceDirectory([CallerFilePath] string callerFile = "")
    {
        var dir = Path.GetDirectoryName(callerFile)!;
        if (Directory.Exists(dir))
        {
            return dir;
        }
        var root = Root;
        var normalized = callerFile.Replace('\\', '/');
        foreach (var marker in new[] { "/tests/", "/src/" })
        {
            var i = normalized.IndexOf(marker, StringComparison.Ordinal);
            if (i >= 0)
            {
                var candidate = Path.GetDirectoryName(Path.Combine(root, normalized[(i + 1)..]))!;
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }
            }
        }
        throw new DirectoryNotFoundException($"Cannot map the source path '{callerFile}' to a folder under the checkout '{root}'.");
    }

    /// <summary>The checkout root: the folder that holds UsageSdk.sln.</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        var baked = typeof(RepoPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "RepoRoot")?.Value;
        foreach (var start in new[] { baked, AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var dir = start; !string.IsNullOrEmpty(dir); dir = Path.GetDirectoryName(dir))
            {
                if (File.Exists(Path.Combine(dir, "UsageSdk.sln")))
                {
                    return dir;
                }
            }
        }
        throw new DirectoryNotFoundException("Cannot find the checkout (no UsageSdk.sln above the test assembly).");
    }
}
