using System.Reflection;
using System.Text;

namespace UsageSdk.Tests.Conventions;

/// <summary>Builds the C# compiler's documentation ids (<c>T:</c>, <c>M:</c>, <c>P:</c>, <c>F:</c>, <c>E:</c>) from reflection.</summary>
internal static class DocumentationIds
{
    public static string Of(Type type) => "T:" + TypeName(type, forSignature: false);

    public static string Of(MemberInfo member) => member switch
    {
        Type t => Of(t),
        PropertyInfo p => "P:" + TypeName(p.DeclaringType!, false) + "." + Escape(p.Name) + Parameters(p.GetIndexParameters()),
        FieldInfo f => "F:" + TypeName(f.DeclaringType!, false) + "." + Escape(f.Name),
        EventInfo e => "E:" + TypeName(e.DeclaringType!, false) + "." + Escape(e.Name),
        ConstructorInfo c => "M:" + TypeName(c.DeclaringType!, false) + "." + (c.IsStatic ? "#cctor" : "#ctor") + Parameters(c.GetParameters()),
        MethodInfo m => "M:" + TypeName(m.DeclaringType!, false) + "." + Escape(m.Name)
            + (m.IsGenericMethodDefinition ? "``" + m.GetGenericArguments().Length : "")
            + Parameters(m.GetParameters())
            + (m.Name is "op_Implicit" or "op_Explicit" ? "~" + TypeName(m.ReturnType, true) : ""),
        _ => throw new NotSupportedException(member.GetType().Name),
    };

    private static string Escape(string name) => name.Replace('.', '#');

    private static string Parameters(ParameterInfo[] parameters)
        => parameters.Length == 0 ? "" : "(" + string.Join(",", parameters.Select(p => TypeName(p.ParameterType, true))) + ")";

    private static string TypeName(Type type, bool forSignature)
    {
        if (type.IsByRef)
        {
            return TypeName(type.GetElementType()!, forSignature) + "@";
        }
        if (type.IsPointer)
        {
            return TypeName(type.GetElementType()!, forSignature) + "*";
        }
        if (type.IsArray)
        {
            var rank = type.GetArrayRank();
            return TypeName(type.GetElementType()!, forSignature) + (rank == 1 ? "[]" : "[" + string.Join(",", Enumerable.Repeat("0:", rank)) + "]");
        }
        if (type.IsGenericParameter)
        {
            return type.DeclaringMethod is not null ? "``" + type.GenericParameterPosition : "`" + type.GenericParameterPosition;
        }

        var sb = new StringBuilder();
        if (type.IsNested)
        {
            sb.Append(TypeName(type.DeclaringType!, forSignature: false)).Append('.');
        }
        else if (!string.IsNullOrEmpty(type.Namespace))
        {
            sb.Append(type.Namespace).Append('.');
        }

        var name = type.Name;
        var tick = name.IndexOf('`', StringComparison.Ordinal);
        if (tick < 0)
        {
            return sb.Append(name).ToString();
        }
        sb.Append(name, 0, tick);
        if (forSignature && type.IsConstructedGenericType)
        {
            // Only the arguments that belong to this type (not to the declaring type) go inside the braces.
            var all = type.GetGenericArguments();
            var own = int.Parse(name[(tick + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            sb.Append('{').AppendJoin(",", all.Skip(all.Length - own).Select(a => TypeName(a, true))).Append('}');
        }
        else if (!forSignature || type.IsGenericTypeDefinition)
        {
            sb.Append(name, tick, name.Length - tick);
        }
        return sb.ToString();
    }
}
