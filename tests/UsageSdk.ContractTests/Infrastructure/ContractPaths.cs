using System.Reflection;

namespace UsageSdk.ContractTests.Infrastructure;

/// <summary>Where the checkout, Prism and the vendor's spec are, wherever the test assembly was built.</summary>
internal static class ContractPaths
{
    /// <summary>The command that installs Prism from the committed lockfile (the test project's build runs it when needed).</summary>
    public const string InstallPrism = "npm ci --prefix tests/UsageSdk.ContractTests/prism";

    /// <summary>The checkout root (the folder with UsageSdk.sln).</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>tests/UsageSdk.ContractTests/prism: package.json, the lockfile, add-examples.mjs and node_modules.</summary>
    public static string PrismDirectory => Path.Combine(Root, "tests", "UsageSdk.ContractTests", "prism");

    /// <summary>The vendor's OpenAPI file, committed in tests/UsageSdk.ContractTests/spec (its origin and licence: README.md there).</summary>
    public static string VendorSpec
    {
        get
        {
            var spec = Path.Combine(Root, "tests", "UsageSdk.ContractTests", "spec", "deepgram-openapi.yaml");
            return File.Exists(spec) ? spec : throw new FileNotFoundException($"The vendored spec {spec} is missing.", spec);
        }
    }

    private static string FindRoot()
    {
        var baked = typeof(ContractPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
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
