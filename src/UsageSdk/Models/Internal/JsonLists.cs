namespace UsageSdk.Internal;

/// <summary>Lists of objects read from the wire: a <c>null</c> item (seen in drifting APIs) is dropped, so users never meet one.</summary>
internal static class JsonLists
{
    public static IReadOnlyList<T>? WithoutNulls<T>(IReadOnlyList<T>? list) where T : class
    {
        if (list is null)
        {
            return null;
        }
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is null)
            {
                return list.Where(static x => x is not null).ToList();
            }
        }
        return list;
    }
}
