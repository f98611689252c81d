namespace UsageSdk.Internal;

/// <summary>Implemented by the string-backed open enums so one JSON converter serves them all.</summary>
internal interface IOpenEnum<TSelf> where TSelf : struct, IOpenEnum<TSelf>
{
    static abstract TSelf Create(string value);
}
