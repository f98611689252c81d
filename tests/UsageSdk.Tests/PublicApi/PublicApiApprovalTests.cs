using System.Text;
using PublicApiGenerator;
using UsageSdk.Tests.Infrastructure;

namespace UsageSdk.Tests.PublicApi;

/// <summary>
/// The public surface of each library package is approved: a change fails here with a diff until
/// <c>&lt;Assembly&gt;.approved.txt</c> beside this file is updated on purpose. To accept a change, run
/// <c>USAGESDK_APPROVE=1 dotnet test tests/UsageSdk.Tests --filter FullyQualifiedName~PublicApi</c>
/// (or copy the <c>.received.txt</c> file over the approved one) and commit the approved file with the change.
/// </summary>
public sealed class PublicApiApprovalTests
{
    /// <summary>Set to 1 to write the approved files instead of comparing.</summary>
    public const string ApproveVariable = "USAGESDK_APPROVE";

    private static readonly ApiGeneratorOptions Options = new()
    {
        IncludeAssemblyAttributes = false,
        // AddUsageClient lives in Microsoft.Extensions.DependencyInjection: keep extension methods of every namespace.
        UseDenyNamespacePrefixesForExtensionMethods = false,
        // System.Text.Json attributes describe the wire mapping (checked by the wire and contract tests), name internal
        // converters and change with them; the approved file is the C# surface users compile against.
        ExcludeAttributes =
        [
            "System.Text.Json.Serialization.JsonConverterAttribute",
            "System.Text.Json.Serialization.JsonConstructorAttribute",
            "System.Text.Json.Serialization.JsonExtensionDataAttribute",
            "System.Text.Json.Serialization.JsonIgnoreAttribute",
            "System.Text.Json.Serialization.JsonIncludeAttribute",
            "System.Text.Json.Serialization.JsonPropertyNameAttribute",
            "System.Text.Json.Serialization.JsonPropertyOrderAttribute",
            "System.Text.Json.Serialization.JsonRequiredAttribute",
            "System.Diagnostics.DebuggerDisplayAttribute",
            "System.Diagnostics.DebuggerBrowsableAttribute",
            "System.Diagnostics.DebuggerStepThroughAttribute",
            "System.Diagnostics.DebuggerNonUserCodeAttribute",
            "System.Diagnostics.CodeAnalysis.ExcludeFromCodeCoverageAttribute",
            "System.Runtime.CompilerServices.AsyncIteratorStateMachineAttribute",
            "System.Runtime.CompilerServices.AsyncStateMachineAttribute",
            "System.Runtime.CompilerServices.IteratorStateMachineAttribute",
        ],
    };

    [Theory]
    [MemberData(nameof(LibraryAssemblies.Names), MemberType = typeof(LibraryAssemblies))]
    public void Public_api_is_approved(string assemblyName)
    {
        var api = Generate(assemblyName);
        var approvedPath = ApprovedPath(assemblyName);
        var receivedPath = Path.Combine(Path.GetDirectoryName(approvedPath)!, assemblyName + ".received.txt");

        if (Environment.GetEnvironmentVariable(ApproveVariable) == "1")
        {
            File.WriteAllText(approvedPath, api, new UTF8Encoding(false));
            File.Delete(receivedPath);
            return;
        }

        var approved = File.Exists(approvedPath) ? Normalize(File.ReadAllText(approvedPath)) : null;
        if (approved == api)
        {
            File.Delete(receivedPath);
            return;
        }

        File.WriteAllText(receivedPath, api, new UTF8Encoding(false));
        var rel = Path.GetRelativePath(RepoPaths.Root, approvedPath);
        var relReceived = Path.GetRelativePath(RepoPaths.Root, receivedPath);
        Assert.Fail(
            (approved is null
                ? $"{rel} does not exist yet."
                : $"The public API of {assemblyName} changed:\n{Diff(approved, api)}") +
            $"\nReview with: diff -u {rel} {relReceived}\n" +
            $"If the change is intended, accept it with: {ApproveVariable}=1 dotnet test tests/UsageSdk.Tests --filter FullyQualifiedName~PublicApi\n" +
            $"(or: mv {relReceived} {rel}) and commit the approved file.");
    }

    [Fact]
    public void Every_library_in_src_is_listed()
    {
        var inSrc = Directory.GetDirectories(Path.Combine(RepoPaths.Root, "src"))
            .Where(d => File.Exists(Path.Combine(d, Path.GetFileName(d) + ".csproj")))
            // Applications (the CLI) have no public API to approve.
            .Where(d => !File.ReadAllText(Path.Combine(d, Path.GetFileName(d) + ".csproj")).Contains("<OutputType>Exe</OutputType>", StringComparison.Ordinal))
            .Select(Path.GetFileName)
            .Order(StringComparer.Ordinal)
            .ToList();
        var listed = LibraryAssemblies.All.Select(a => a.GetName().Name).Order(StringComparer.Ordinal).ToList();

        Assert.True(inSrc.SequenceEqual(listed),
            $"src/ has [{string.Join(", ", inSrc)}] but LibraryAssemblies.All lists [{string.Join(", ", listed)}]: " +
            "add the missing library there (and a ProjectReference in UsageSdk.Tests.csproj), then approve its API.");
    }

    [Fact]
    public void Every_approved_file_belongs_to_a_listed_library()
    {
        var listed = LibraryAssemblies.All.Select(a => a.GetName().Name + ".approved.txt").ToHashSet(StringComparer.Ordinal);
        var stale = Directory.GetFiles(RepoPaths.SourceDirectory(), "*.approved.txt")
            .Select(Path.GetFileName)
            .Where(f => !listed.Contains(f!))
            .ToList();

        Assert.True(stale.Count == 0, $"Approved files without a library: {string.Join(", ", stale)}. Delete them.");
    }

    [Fact]
    public void Extension_methods_in_Microsoft_namespaces_are_kept()
    {
        // PublicApiGenerator drops extension methods of System.* and Microsoft.* namespaces unless told otherwise;
        // AddUsageClient (namespace Microsoft.Extensions.DependencyInjection) must be approved like the rest.
        var extensionTypes = LibraryAssemblies.PublicTypes
            .Where(t => t.Namespace?.StartsWith("Microsoft.", StringComparison.Ordinal) == true && t.IsAbstract && t.IsSealed)
            .ToList();
        foreach (var type in extensionTypes)
        {
            var api = Generate(type.Assembly.GetName().Name!);
            Assert.Contains($"public static class {type.Name}", api, StringComparison.Ordinal);
            foreach (var name in type.GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.DeclaredOnly).Select(m => m.Name).Distinct())
            {
                Assert.Contains($" {name}(this ", api, StringComparison.Ordinal);
            }
        }
    }

    internal static string Generate(string assemblyName) => Normalize(LibraryAssemblies.Get(assemblyName).GeneratePublicApi(Options));

    private static string ApprovedPath(string assemblyName) => Path.Combine(RepoPaths.SourceDirectory(), assemblyName + ".approved.txt");

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd() + "\n";

    /// <summary>A short line diff: what left the approved surface (-) and what is new (+), in file order.</summary>
    private static string Diff(string approved, string received)
    {
        var oldLines = approved.Split('\n');
        var newLines = received.Split('\n');
        var oldSet = oldLines.ToHashSet(StringComparer.Ordinal);
        var newSet = newLines.ToHashSet(StringComparer.Ordinal);
        var lines = oldLines.Where(l => !newSet.Contains(l)).Select(l => "- " + l.Trim())
            .Concat(newLines.Where(l => !oldSet.Contains(l)).Select(l => "+ " + l.Trim()))
            .ToList();
        if (lines.Count == 0)
        {
            return "  (same lines in a different order)";
        }
        var shown = string.Join("\n", lines.Take(40));
        return lines.Count > 40 ? shown + $"\n  … and {lines.Count - 40} more lines" : shown;
    }
}
