using System.Collections;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json.Serialization;
using System.Xml.Linq;
using UsageSdk.Tests.PublicApi;

namespace UsageSdk.Tests.Conventions;

/// <summary>Rules of the public surface, checked by reflection over every library in <see cref="LibraryAssemblies"/>.</summary>
public sealed class ConventionTests
{
    private const BindingFlags PublicInstance = BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly;
    private const BindingFlags PublicMembers = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    /// <summary>The output models the brief names; discovery must find at least these.</summary>
    private static readonly Type[] KnownOutputModels =
    [
        typeof(UsageRequest), typeof(RequestResponse), typeof(RequestDetails), typeof(TokenDetail), typeof(TtsDetails),
        typeof(SpeechSegment), typeof(RequestCallback), typeof(UsageSummary), typeof(UsageSummaryResult),
        typeof(UsageResolution), typeof(UsageTokens), typeof(UsageTts), typeof(UsageBreakdown), typeof(UsageBreakdownResult),
        typeof(UsageBreakdownGrouping), typeof(UsageFields), typeof(UsageFieldModel),
    ];

    [Fact]
    public void Every_public_UsageClient_member_is_virtual()
    {
        var offenders = new List<string>();
        foreach (var m in typeof(UsageClient).GetMethods(PublicInstance))
        {
            if (!m.IsVirtual || m.IsFinal)
            {
                offenders.Add(m.Name);
            }
        }
        Assert.True(offenders.Count == 0, "UsageClient members must be public virtual (so they can be mocked): " + string.Join(", ", offenders));
        Assert.NotEmpty(typeof(UsageClient).GetProperties(PublicInstance));
    }

    [Fact]
    public void UsageClient_has_a_protected_constructor_for_mocking()
    {
        var ctor = typeof(UsageClient).GetConstructor(BindingFlags.Instance | BindingFlags.NonPublic, Type.EmptyTypes);
        Assert.True(ctor is { IsFamily: true }, "UsageClient needs a protected parameterless constructor for mocks.");
    }

    [Fact]
    public void UsageClient_async_methods_end_in_Async_and_take_a_defaulted_CancellationToken_last()
    {
        var methods = typeof(UsageClient).GetMethods(PublicInstance).Where(m => !m.IsSpecialName).ToList();
        var asyncMethods = methods.Where(m => IsAsyncReturn(m.ReturnType) || m.Name.EndsWith("Async", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(asyncMethods);

        var offenders = asyncMethods.Select(CheckAsyncShape).Where(p => p is not null).ToList();
        Assert.True(offenders.Count == 0, string.Join("\n", offenders));
    }

    [Fact]
    public void Public_task_returning_methods_of_every_library_follow_the_async_rules()
    {
        // Beyond UsageClient: every public or protected method that returns a Task or ValueTask, except overrides and
        // implementations of framework members (Stream.ReadAsync, DisposeAsync, HttpMessageHandler.SendAsync, …).
        var offenders = new List<string>();
        foreach (var type in LibraryAssemblies.PublicTypes)
        {
            foreach (var m in type.GetMethods(PublicInstance | BindingFlags.Static))
            {
                if (m.IsSpecialName || !(m.IsPublic || m.IsFamily) || !IsTask(m.ReturnType) || IsFrameworkContract(m))
                {
                    continue;
                }
                if (CheckAsyncShape(m) is { } problem)
                {
                    offenders.Add(problem);
                }
            }
        }
        Assert.True(offenders.Count == 0, string.Join("\n", offenders));
    }

    [Fact]
    public void Output_models_are_discovered()
    {
        var models = OutputModels();
        var missing = KnownOutputModels.Where(t => !models.Contains(t)).Select(t => t.Name).ToList();
        Assert.True(missing.Count == 0, "The output-model discovery lost: " + string.Join(", ", missing));
    }

    [Fact]
    public void Output_models_have_no_public_setters()
    {
        var offenders = new List<string>();
        foreach (var type in OutputModels())
        {
            foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (p.SetMethod is { } set && (set.IsPublic || set.IsFamily || set.IsFamilyOrAssembly))
                {
                    offenders.Add($"{type.Name}.{p.Name} has a public {(IsInit(set) ? "init" : "set")} accessor");
                }
            }
            foreach (var f in type.GetFields(BindingFlags.Public | BindingFlags.Instance))
            {
                if (!f.IsInitOnly)
                {
                    offenders.Add($"{type.Name}.{f.Name} is a writable public field");
                }
            }
        }
        Assert.True(offenders.Count == 0, "Output models are read-only for users (the SDK fills them; UsageModelFactory builds them for tests):\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void Output_model_collections_are_read_only_interfaces()
    {
        var offenders = new List<string>();
        foreach (var type in OutputModels())
        {
            foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                var t = p.PropertyType;
                if (t == typeof(string) || !typeof(IEnumerable).IsAssignableFrom(t))
                {
                    continue;
                }
                var def = t.IsGenericType ? t.GetGenericTypeDefinition() : t;
                var ok = def == typeof(IReadOnlyList<>) || def == typeof(IReadOnlyCollection<>) || def == typeof(IReadOnlyDictionary<,>) || def == typeof(IEnumerable<>);
                if (!ok)
                {
                    offenders.Add($"{type.Name}.{p.Name} is {t.Name}; expose IReadOnlyList<T> / IReadOnlyDictionary<K,V>");
                }
            }
        }
        Assert.True(offenders.Count == 0, string.Join("\n", offenders));
    }

    [Theory]
    [MemberData(nameof(LibraryAssemblies.Names), MemberType = typeof(LibraryAssemblies))]
    public void Every_public_type_has_a_documented_summary(string assemblyName)
    {
        var docs = LoadDocs(assemblyName);
        var offenders = new List<string>();
        foreach (var type in LibraryAssemblies.Get(assemblyName).GetExportedTypes())
        {
            var id = DocumentationIds.Of(type);
            if (!docs.TryGetValue(id, out var member))
            {
                offenders.Add($"{id}: no <member> entry");
            }
            else if (!HasText(member, "summary") && member.Element("inheritdoc") is null)
            {
                offenders.Add($"{id}: empty or missing <summary>");
            }
        }
        Assert.True(offenders.Count == 0, $"Undocumented public types in {assemblyName}.xml:\n" + string.Join("\n", offenders));
    }

    [Theory]
    [MemberData(nameof(LibraryAssemblies.Names), MemberType = typeof(LibraryAssemblies))]
    public void Every_public_member_is_documented(string assemblyName)
    {
        var docs = LoadDocs(assemblyName);
        var offenders = new List<string>();
        var checkedCount = 0;
        foreach (var type in LibraryAssemblies.Get(assemblyName).GetExportedTypes())
        {
            foreach (var member in VisibleMembers(type))
            {
                checkedCount++;
                var id = DocumentationIds.Of(member);
                if (!docs.TryGetValue(id, out var doc))
                {
                    offenders.Add($"{id}: no <member> entry");
                }
                else if (!HasText(doc, "summary") && doc.Element("inheritdoc") is null)
                {
                    offenders.Add($"{id}: empty or missing <summary>");
                }
            }
        }
        Assert.True(checkedCount > 0, "No members were checked.");
        Assert.True(offenders.Count == 0, $"Undocumented public members in {assemblyName}.xml:\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void Documentation_ids_match_the_compiler()
    {
        // Guards the id builder the two tests above rely on, with shapes the compiler's ids are known for.
        Assert.Equal("T:UsageSdk.AsyncPageable`1", DocumentationIds.Of(typeof(AsyncPageable<>)));
        Assert.Equal("M:UsageSdk.UsageClient.GetFieldsAsync(System.String,System.Nullable{System.DateOnly},System.Nullable{System.DateOnly},System.Threading.CancellationToken)",
            DocumentationIds.Of(typeof(UsageClient).GetMethod(nameof(UsageClient.GetFieldsAsync))!));
        Assert.Equal("M:UsageSdk.AsyncPageable`1.FromPages(System.Collections.Generic.IEnumerable{UsageSdk.Page{`0}})",
            DocumentationIds.Of(typeof(AsyncPageable<>).GetMethod("FromPages")!));
        Assert.Equal("M:UsageSdk.UsageFeature.op_Implicit(System.String)~UsageSdk.UsageFeature",
            DocumentationIds.Of(typeof(UsageFeature).GetMethod("op_Implicit")!));
        Assert.Equal("P:UsageSdk.UsageClient.BaseAddress", DocumentationIds.Of(typeof(UsageClient).GetProperty(nameof(UsageClient.BaseAddress))!));
        Assert.Equal("M:UsageSdk.UsageClient.#ctor(System.String)", DocumentationIds.Of(typeof(UsageClient).GetConstructor([typeof(string)])!));
    }

    // ------------------------------------------------------------------ output-model discovery

    /// <summary>
    /// Output models: what the SDK hands out and users only read. Found without a fixed list: types the JSON layer
    /// builds through a non-public [JsonConstructor], the results of UsageModelFactory, the results of UsageClient's
    /// calls and of public extension methods over them (reports), and every library type reachable from those through
    /// public properties. Types users construct (a public constructor) are inputs and are left out.
    /// </summary>
    internal static HashSet<Type> OutputModels()
    {
        var libraries = LibraryAssemblies.All.ToHashSet();
        var found = new HashSet<Type>();
        var queue = new Queue<Type>();
        void Add(Type? t)
        {
            foreach (var candidate in Unwrap(t))
            {
                if (libraries.Contains(candidate.Assembly) && candidate.IsPublic | candidate.IsNestedPublic
                    && !candidate.IsEnum && !candidate.IsInterface && !typeof(Delegate).IsAssignableFrom(candidate)
                    && !IsInputOrService(candidate) && found.Add(candidate))
                {
                    queue.Enqueue(candidate);
                }
            }
        }

        foreach (var type in LibraryAssemblies.PublicTypes)
        {
            if (type.GetConstructors(BindingFlags.Instance | BindingFlags.NonPublic).Any(c => c.IsDefined(typeof(JsonConstructorAttribute))))
            {
                Add(type);
            }
        }
        foreach (var m in typeof(UsageModelFactory).GetMethods(BindingFlags.Public | BindingFlags.Static))
        {
            Add(m.ReturnType);
        }
        foreach (var m in typeof(UsageClient).GetMethods(PublicInstance))
        {
            Add(m.ReturnType);
        }
        while (queue.Count > 0)
        {
            var type = queue.Dequeue();
            foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                Add(p.PropertyType);
            }
            // Public extension methods over an output model (for example ToReportAsync over the requests) return output models too.
            foreach (var ext in ExtensionMethods().Where(e => Unwrap(e.GetParameters()[0].ParameterType).Contains(type)))
            {
                Add(ext.ReturnType);
            }
        }
        // Paging containers are abstract framework-style types checked by the approval file, not data models.
        found.RemoveWhere(t => t.IsAbstract);
        return found;
    }

    private static IEnumerable<MethodInfo> ExtensionMethods()
        => LibraryAssemblies.PublicTypes
            .Where(t => t.IsAbstract && t.IsSealed)
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static))
            .Where(m => m.IsDefined(typeof(ExtensionAttribute), false));

    /// <summary>
    /// Inputs and services: types users construct themselves (a public constructor: queries, options, budgets, open
    /// enums), clients, handlers and exceptions. Output models are built only by the SDK and UsageModelFactory.
    /// </summary>
    private static bool IsInputOrService(Type t)
        => t.GetConstructors(BindingFlags.Public | BindingFlags.Instance).Length > 0 ||
           t == typeof(UsageClient) || t.IsSubclassOf(typeof(Exception)) || t.IsSubclassOf(typeof(HttpMessageHandler))
           || t.Name.EndsWith("Options", StringComparison.Ordinal) || t.Name.EndsWith("Query", StringComparison.Ordinal)
           || t.Name.EndsWith("Client", StringComparison.Ordinal);

    private static IEnumerable<Type> Unwrap(Type? t)
    {
        if (t is null || t == typeof(void))
        {
            yield break;
        }
        if (t.IsArray || t.IsByRef)
        {
            foreach (var inner in Unwrap(t.GetElementType()))
            {
                yield return inner;
            }
            yield break;
        }
        if (t.IsGenericType)
        {
            if (!t.IsGenericTypeDefinition)
            {
                yield return t.GetGenericTypeDefinition();
            }
            foreach (var arg in t.GetGenericArguments())
            {
                foreach (var inner in Unwrap(arg))
                {
                    yield return inner;
                }
            }
            yield break;
        }
        if (!t.IsGenericParameter)
        {
            yield return t;
        }
    }

    // ------------------------------------------------------------------ helpers

    private static bool IsTask(Type t)
        => t == typeof(Task) || t == typeof(ValueTask)
           || (t.IsGenericType && (t.GetGenericTypeDefinition() == typeof(Task<>) || t.GetGenericTypeDefinition() == typeof(ValueTask<>)));

    private static bool IsAsyncReturn(Type t)
        => IsTask(t) || (t.IsGenericType && (t.GetGenericTypeDefinition() == typeof(AsyncPageable<>) || t.GetGenericTypeDefinition() == typeof(IAsyncEnumerable<>)));

    private static string? CheckAsyncShape(MethodInfo m)
    {
        var where = $"{m.DeclaringType!.Name}.{m.Name}({string.Join(", ", m.GetParameters().Select(p => p.ParameterType.Name))})";
        if (!m.Name.EndsWith("Async", StringComparison.Ordinal))
        {
            return $"{where}: an asynchronous method's name must end in Async";
        }
        var last = m.GetParameters().LastOrDefault();
        if (last is null || last.ParameterType != typeof(CancellationToken))
        {
            return $"{where}: the last parameter must be a CancellationToken";
        }
        if (!last.HasDefaultValue)
        {
            return $"{where}: the CancellationToken must default (CancellationToken cancellationToken = default)";
        }
        return null;
    }

    private static bool IsFrameworkContract(MethodInfo m)
    {
        if (m.GetBaseDefinition().DeclaringType is { } baseType && baseType != m.DeclaringType && !LibraryAssemblies.All.Contains(baseType.Assembly))
        {
            return true;
        }
        foreach (var itf in m.DeclaringType!.GetInterfaces().Where(i => !LibraryAssemblies.All.Contains(i.Assembly)))
        {
            if (m.DeclaringType.IsInterface)
            {
                continue;
            }
            var map = m.DeclaringType.GetInterfaceMap(itf);
            if (map.TargetMethods.Contains(m))
            {
                return true;
            }
        }
        return false;
    }

    private static bool IsInit(MethodInfo setter)
        => setter.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(IsExternalInit));

    private static IEnumerable<MemberInfo> VisibleMembers(Type type)
    {
        // What users see: public and protected members declared here. Compiler-made members (record plumbing, the
        // implicit default constructor, enum's value__) and accessors are not written in source and carry no docs.
        foreach (var m in type.GetMembers(PublicMembers))
        {
            var visible = m switch
            {
                MethodBase mb => (mb.IsPublic || mb.IsFamily || mb.IsFamilyOrAssembly) && (!mb.IsSpecialName || mb.Name.StartsWith("op_", StringComparison.Ordinal) || mb is ConstructorInfo),
                FieldInfo f => (f.IsPublic || f.IsFamily || f.IsFamilyOrAssembly) && !f.IsSpecialName,
                PropertyInfo p => p.GetAccessors(true).Any(a => a.IsPublic || a.IsFamily || a.IsFamilyOrAssembly),
                EventInfo e => e.AddMethod is { } add && (add.IsPublic || add.IsFamily),
                _ => false,
            };
            if (!visible || m.IsDefined(typeof(CompilerGeneratedAttribute), false) || IsImplicitConstructor(type, m))
            {
                continue;
            }
            yield return m;
        }
    }

    /// <summary>The compiler adds a parameterless constructor to a class that declares none; it has no source to document.</summary>
    private static bool IsImplicitConstructor(Type type, MemberInfo m)
        => m is ConstructorInfo { IsStatic: false } c && c.GetParameters().Length == 0 && !type.IsValueType
           && type.GetConstructors(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic).Length == 1;

    private static bool HasText(XElement member, string element)
        => member.Element(element) is { } e && (!string.IsNullOrWhiteSpace(e.Value) || e.Elements().Any());

    private static Dictionary<string, XElement> LoadDocs(string assemblyName)
    {
        var assembly = LibraryAssemblies.Get(assemblyName);
        var path = Path.ChangeExtension(assembly.Location, ".xml");
        Assert.True(File.Exists(path), $"No XML documentation next to {assembly.Location}: is GenerateDocumentationFile on for {assemblyName}?");
        return XDocument.Load(path).Descendants("member")
            .Where(m => m.Attribute("name") is not null)
            .GroupBy(m => m.Attribute("name")!.Value, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
    }
}
