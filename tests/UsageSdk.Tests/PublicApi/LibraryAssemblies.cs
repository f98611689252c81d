using System.Reflection;

namespace UsageSdk.Tests.PublicApi;

/// <summary>
/// The library packages whose public surface is approved and checked by the convention tests. Adding a library is one
/// line here (plus a ProjectReference); <see cref="PublicApiApprovalTests.Every_library_in_src_is_listed"/> fails until then.
/// </summary>
public static class LibraryAssemblies
{
    /// <summary>Every library assembly under src/.</summary>
    public static IReadOnlyList<Assembly> All { get; } =
    [
        typeof(UsageClient).Assembly,
        typeof(UsageSdk.Testing.FakeUsageApi).Assembly,
        typeof(UsageSdk.Archive.UsageArchive).Assembly,
        typeof(UsageSdk.Archive.PostgreSql.PostgresArchive).Assembly,
        typeof(UsageSdk.Reports.UsageReport).Assembly,
        typeof(UsageSdk.Dashboard.IUsageDashboardSource).Assembly,
    ];

    /// <summary>The names, for [MemberData].</summary>
    public static TheoryData<string> Names
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var a in All)
            {
                data.Add(a.GetName().Name!);
            }
            return data;
        }
    }

    /// <summary>The assembly of a name in <see cref="All"/>.</summary>
    public static Assembly Get(string name) => All.Single(a => a.GetName().Name == name);

    /// <summary>The public (and nested public) types of every library.</summary>
    public static IEnumerable<Type> PublicTypes => All.SelectMany(a => a.GetExportedTypes());
}
