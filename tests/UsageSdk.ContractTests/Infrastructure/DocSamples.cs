using System.Text.RegularExpressions;

namespace UsageSdk.ContractTests.Infrastructure;

/// <summary>
/// The <c>```csharp</c> blocks of the README, of <c>docs/</c> and of the package readmes, turned into C# files that a
/// consumer of the packages compiles: each block becomes the body of its own method, its <c>using</c> lines go to the top
/// of its file, and the classes it declares go after the method. The names the blocks take from their surroundings
/// (<c>client</c>, <c>projectId</c>, <c>builder</c>, …) are static fields of the partial class, so a block that declares
/// one of them itself simply shadows the field.
/// </summary>
public static partial class DocSamples
{
    /// <summary>The usings every sample file gets, besides its own.</summary>
    private static readonly string[] CommonUsings =
    [
        "using Microsoft.Extensions.Configuration;",
        "using Microsoft.Extensions.DependencyInjection;",
        "using Microsoft.Extensions.Hosting;",
        "using Microsoft.Extensions.Time.Testing;",
        "using OpenTelemetry.Metrics;",
        "using OpenTelemetry.Trace;",
        "using UsageSdk;",
        "using UsageSdk.Archive;",
        "using UsageSdk.Archive.PostgreSql;",
        "using UsageSdk.Reports;",
        "using UsageSdk.Testing;",
    ];

    /// <summary>What the blocks use without declaring it (the file that holds the partial class's fields).</summary>
    public const string Context = """
        // The surroundings of the documentation's C# blocks: each block is a method of DocSamples (see DocSample*.cs).
        using Microsoft.Extensions.Hosting;
        using UsageSdk;
        using UsageSdk.Archive;

        return 0;

        internal static partial class DocSamples
        {
            static string[] args = [];
            static HostApplicationBuilder builder = null!;
            static UsageClient client = null!;
            static UsageArchive archive = null!;
            static IServiceProvider serviceProvider = null!;
            static string projectId = "", apiKey = "", key = "", stagingKey = "";
            static string? checkpoint;
            static RequestsQuery query = new();
            static DateTimeOffset from, to, jan1, dec31;
            static List<UsageRequest> storedRequests = [];
        }
        """;

    /// <summary>The files searched, relative to the repository root, and their C# blocks in order.</summary>
    public static IReadOnlyList<(string File, string Code)> Find(string root)
    {
        var files = new[] { Path.Combine(root, "README.md") }
            .Concat(Directory.GetFiles(Path.Combine(root, "docs"), "*.md").Order(StringComparer.Ordinal))
            .Concat(Directory.GetDirectories(Path.Combine(root, "src")).Order(StringComparer.Ordinal)
                .Select(d => Path.Combine(d, "README.md")).Where(File.Exists));
        return files
            .SelectMany(f => CSharpBlock().Matches(File.ReadAllText(f).Replace("\r\n", "\n"))
                .Select(m => (Path.GetRelativePath(root, f), m.Groups[1].Value)))
            .ToList();
    }

    /// <summary>The C# file of block <paramref name="index"/>.</summary>
    public static string ToSource(int index, (string File, string Code) sample)
    {
        var code = sample.Code.Replace("=> …)", "=> { })", StringComparison.Ordinal); // "new Progress<T>(p => …)"
        var lines = code.Split('\n');
        var usings = lines.Where(IsUsing).ToList();
        var body = string.Join('\n', lines.Where(l => !IsUsing(l)));
        var types = TypeDeclaration().Matches(body).Select(m => m.Value).ToList();
        foreach (var type in types)
        {
            body = body.Replace(type, "", StringComparison.Ordinal);
        }
        var header = usings.Concat(CommonUsings).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var indented = string.Join('\n', body.Split('\n').Select(l => l.Length == 0 ? l : "        " + l));
        return $$"""
            // {{sample.File}}, C# block {{index}}
            {{string.Join('\n', header)}}

            internal static partial class DocSamples
            {
                internal static async Task Sample{{index}}()
                {
            {{indented}}
                    await Task.CompletedTask;
                }
            }

            {{string.Join("\n\n", types)}}
            """;
    }

    private static bool IsUsing(string line) => line.StartsWith("using ", StringComparison.Ordinal) && line.EndsWith(';') && !line.Contains('=');

    [GeneratedRegex(@"```csharp\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();

    /// <summary>A class a block declares: one line ending in <c>{ /* … */ }</c>, or up to a <c>}</c> in the first column.</summary>
    [GeneratedRegex(@"^(public )?(sealed )?class [^\n]*?(\{ /\* … \*/ \}$|\n\{\n.*?\n\}$)", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex TypeDeclaration();
}
