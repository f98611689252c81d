using System.Reflection;

namespace UsageSdk.ContractTests.Infrastructure;

/// <summary>Where the checkout, Prism and the vendor's spec are, wherever the test assembly was built.</summary>
internal static class ContractPaths
{
    /// <summary>The variable that names the vendor spec file (default: <c>../shared/spec/deepgram-openapi.yaml</c> beside the checkout).</summary>
    public const string SpecVariable = "USAGE_SPEC";

    /// <summary>The command that installs Prism from the committed lockfile.</summary>
    public const string InstallPrism = "npm ci --prefix tests/UsageSdk.ContractTests/prism";

    /// <summary>The checkout root (the folder with UsageSdk.sln).</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>tests/UsageSdk.ContractTests/prism: package.json, the lockfile, add-examples.mjs and node_modules.</summary>
    public static string PrismDirectory => Path.Combine(Root, "tests", "UsageSdk.ContractTests", "prism");

    /// <summary>The vendor's OpenAPI file: <c>$USAGE_SPEC</c>, or <c>shared/spec/deepgram-openapi.yaml</c> in a folder above the checkout.</summary>
    public static string VendorSpec
    {
        get
        {
            var fromEnv = Environment.GetEnvironmentVariable(SpecVariable);
            if (!string.IsNullOrEmpty(fromEnv))
            {
                return File.Exists(fromEnv)
                    ? Path.GetFullPath(fromEnv)
                    : throw new FileNotFoundException($"{SpecVariable} names '{fromEnv}', which does not exist.");
            }
            foreach (var start in new[] { Root, AppContext.BaseDirectory })
            {
                for (var dir = start; !string.IsNullOrEmpty(dir); dir = Path.GetDirectoryName(dir))
                {
                    var candidate = Path.Combine(dir, "shared", "spec", "deepgram-openapi.yaml");
                    if (File.Exists(candidate))
                    {
                        return candidate;
                    }
                }
            }
            throw new FileNotFoundException(
                $"The vendor spec was not found: expected ../shared/spec/deepgram-openapi.yaml beside the checkout ({Root}), or set {SpecVariable}.");
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
