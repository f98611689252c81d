using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using UsageSdk.Tests.Infrastructure;
using UsageSdk.Tests.PublicApi;

namespace UsageSdk.Tests.Conventions;

/// <summary>
/// Where types live, checked on the sources of every library under src/ (the CLI, an app, is exempt), parsed with
/// Roslyn's syntax API:
/// <list type="bullet">
/// <item>a file holds at most one public top-level type, and that type's file is named after it (<c>Page&lt;T&gt;</c> in
/// <c>Page.cs</c>; a part of a partial type may add a suffix: <c>FakeUsageApi.Endpoints.cs</c>);</item>
/// <item>the namespace is the project's root namespace, plus <c>.Internal</c> exactly when the file is under a folder
/// named <c>Internal</c>. Other folders (Models, Queries, Paging, Export, …) group files without adding to the
/// namespace, so a public type's namespace never depends on where its file sits. The one exception is the
/// <c>*ServiceCollectionExtensions</c> file in <c>Microsoft.Extensions.DependencyInjection</c> (where <c>Add…</c>
/// methods are found by convention), and likewise the <c>*EndpointRouteBuilderExtensions</c> file in
/// <c>Microsoft.AspNetCore.Builder</c> (where <c>Map…</c> methods are found, as Hangfire and HealthChecks do).</item>
/// </list>
/// </summary>
public sealed class SourceLayoutTests
{
    /// <summary>The library projects under src/ (the same list the public API is approved for), by project folder.</summary>
    public static TheoryData<string> Libraries => LibraryAssemblies.Names;

    [Theory]
    [MemberData(nameof(Libraries))]
    public void Every_source_file_follows_the_layout(string project)
    {
        var dir = Path.Combine(RepoPaths.Root, "src", project);
        var rootNamespace = RootNamespace(dir, project);
        var files = SourceFiles(dir).ToList();
        Assert.True(files.Count >= 3, $"src/{project} has {files.Count} source files; the test is not looking where the code is.");

        var violations = files
            .SelectMany(f => Check(Path.GetRelativePath(dir, f), File.ReadAllText(f), rootNamespace))
            .Select(v => $"src/{project}/{v}")
            .ToList();

        Assert.True(violations.Count == 0, "Source layout rules broken:\n" + string.Join("\n", violations));
    }

    [Fact]
    public void Every_library_folder_under_src_is_checked()
    {
        var folders = Directory.GetDirectories(Path.Combine(RepoPaths.Root, "src"))
            .Where(d => Directory.EnumerateFiles(d, "*.csproj").Any())
            .Select(d => Path.GetFileName(d)!)
            .Where(n => n != "UsageSdk.Cli")
            .Order(StringComparer.Ordinal)
            .ToList();
        var checkedOnes = LibraryAssemblies.All.Select(a => a.GetName().Name!).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(folders, checkedOnes);
    }

    // ------------------------------------------------------------------ the checker, on files made up here

    [Fact]
    public void A_public_type_in_a_file_named_otherwise_is_reported()
    {
        var v = Assert.Single(Check("Models/UsageSummary.cs", "namespace UsageSdk; public sealed class UsageBreakdown { }", "UsageSdk"));
        Assert.Contains("Models/UsageSummary.cs", v);
        Assert.Contains("UsageBreakdown", v);
    }

    [Fact]
    public void Two_public_types_in_one_file_are_reported()
    {
        var v = Check("Models/UsageSummary.cs", "namespace UsageSdk; public sealed class UsageSummary { } public enum UsageTts { A }", "UsageSdk");
        Assert.Contains(v, x => x.Contains("2 public top-level types", StringComparison.Ordinal) && x.Contains("UsageTts", StringComparison.Ordinal));
    }

    [Fact]
    public void A_namespace_that_differs_from_the_folder_is_reported()
    {
        Assert.Contains("namespace UsageSdk.Internal", Assert.Single(Check("Queries/QueryValues.cs", "namespace UsageSdk.Internal; internal static class QueryValues { }", "UsageSdk")));
        Assert.Contains("namespace UsageSdk", Assert.Single(Check("Internal/Deadline.cs", "namespace UsageSdk; internal sealed class Deadline { }", "UsageSdk")));
        Assert.Single(Check("Export/UsageExport.cs", "namespace UsageSdk.Archive.Export { public static class UsageExport { } }", "UsageSdk.Archive"));
        Assert.Single(Check("Helpers.cs", "internal static class Helpers { }", "UsageSdk"));
    }

    [Fact]
    public void Files_that_follow_the_rules_pass()
    {
        Assert.Empty(Check("Paging/Page.cs", "namespace UsageSdk; public abstract class Page<T> { private sealed class ValuesPage : Page<T> { } }", "UsageSdk"));
        Assert.Empty(Check("FakeUsageApi.Endpoints.cs", "namespace UsageSdk.Testing; public sealed partial class FakeUsageApi { }", "UsageSdk.Testing"));
        Assert.Empty(Check("Models/Internal/JsonLists.cs", "namespace UsageSdk.Internal; internal static class JsonLists { } internal static class Tiny { }", "UsageSdk"));
        Assert.Empty(Check("DependencyInjection/UsageClientServiceCollectionExtensions.cs",
            "namespace Microsoft.Extensions.DependencyInjection; public static class UsageClientServiceCollectionExtensions { }", "UsageSdk"));
        Assert.Empty(Check("Handler.cs", "namespace UsageSdk; public delegate void Handler(); ", "UsageSdk"));
    }

    [Fact]
    public void The_DependencyInjection_exception_is_only_for_the_extensions_file()
    {
        Assert.Single(Check("Helpers.cs", "namespace Microsoft.Extensions.DependencyInjection; internal static class Helpers { }", "UsageSdk"));
    }

    /// <summary>The rule breaks in one file, each naming the file (an empty list when it follows the rules).</summary>
    internal static List<string> Check(string relativePath, string source, string rootNamespace)
    {
        var path = relativePath.Replace('\\', '/');
        var violations = new List<string>();
        var root = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Preview)).GetCompilationUnitRoot();
        var fileName = Path.GetFileNameWithoutExtension(path);

        var publicTypes = TopLevelTypes(root)
            .Where(t => t.Modifiers.Any(SyntaxKind.PublicKeyword))
            .Select(Name)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (publicTypes.Count > 1)
        {
            violations.Add($"{path}: {publicTypes.Count} public top-level types ({string.Join(", ", publicTypes)}); give each its own file named after it.");
        }
        foreach (var name in publicTypes)
        {
            if (fileName != name && !fileName.StartsWith(name + ".", StringComparison.Ordinal))
            {
                violations.Add($"{path}: public type {name} is in a file named otherwise; move it to {name}.cs.");
            }
        }

        var namespaces = root.DescendantNodes().OfType<BaseNamespaceDeclarationSyntax>().Select(n => n.Name.ToString()).Distinct().ToList();
        var underInternal = path.Split('/')[..^1].Contains("Internal", StringComparer.Ordinal);
        var expected = underInternal ? rootNamespace + ".Internal" : rootNamespace;
        var diExtensions = fileName.EndsWith("ServiceCollectionExtensions", StringComparison.Ordinal);
        var routeExtensions = fileName.EndsWith("EndpointRouteBuilderExtensions", StringComparison.Ordinal);
        if (namespaces.Count == 0 && TopLevelTypes(root).Any())
        {
            violations.Add($"{path}: types in the global namespace; use namespace {expected}.");
        }
        foreach (var ns in namespaces)
        {
            if (ns != expected && !(diExtensions && ns == "Microsoft.Extensions.DependencyInjection")
                && !(routeExtensions && ns == "Microsoft.AspNetCore.Builder"))
            {
                violations.Add($"{path}: namespace {ns} does not match its folder; expected namespace {expected} ({(underInternal ? "the file is under an Internal folder" : "only files under an Internal folder are in .Internal")}).");
            }
        }
        return violations;
    }

    private static IEnumerable<MemberDeclarationSyntax> TopLevelTypes(CompilationUnitSyntax root)
        => root.Members.Concat(root.DescendantNodes().OfType<BaseNamespaceDeclarationSyntax>().SelectMany(n => n.Members))
            .Where(m => m is BaseTypeDeclarationSyntax or DelegateDeclarationSyntax);

    private static string Name(MemberDeclarationSyntax type) => type switch
    {
        BaseTypeDeclarationSyntax t => t.Identifier.ValueText,
        DelegateDeclarationSyntax d => d.Identifier.ValueText,
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    private static IEnumerable<string> SourceFiles(string projectDir)
        => Directory.EnumerateFiles(projectDir, "*.cs", SearchOption.AllDirectories)
            .Where(f =>
            {
                var rel = Path.GetRelativePath(projectDir, f).Replace('\\', '/');
                return !rel.StartsWith("obj/", StringComparison.Ordinal) && !rel.StartsWith("bin/", StringComparison.Ordinal);
            });

    private static string RootNamespace(string projectDir, string project)
    {
        var csproj = Path.Combine(projectDir, project + ".csproj");
        var declared = XDocument.Load(csproj).Descendants("RootNamespace").FirstOrDefault()?.Value;
        return string.IsNullOrWhiteSpace(declared) ? project : declared;
    }
}
