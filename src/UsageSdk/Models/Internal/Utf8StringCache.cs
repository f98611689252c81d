using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace UsageSdk.Internal;

/// <summary>
/// A bounded, lock-free cache of short strings keyed by their UTF-8 bytes, for values that repeat across request logs
/// (project, API key and accessor ids, model ids, tags, features, tiers): reading one again costs a hash and a compare
/// instead of a new string. Values with many spellings (request ids, paths) never come here. When the table is full,
/// new spellings are simply not cached; strings are immutable, so sharing them changes nothing for the reader.
/// </summary>
internal static class Utf8StringCache
{
    private const int Size = 4096; // a power of two
    private const int Probes = 8;

    /// <summary>Longest spelling cached, in bytes.</summary>
    public const int MaxLength = 64;

    private static readonly Entry?[] Table = new Entry?[Size];

    /// <summary>The string of an unescaped string token, shared when it was seen before.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxLength)
        {
            return Encoding.UTF8.GetString(utf8);
        }
        var hash = Hash(utf8);
        var slot = hash & (Size - 1);
        for (var i = 0; i < Probes; i++)
        {
            var index = (slot + i) & (Size - 1);
            var entry = Volatile.Read(ref Table[index]);
            if (entry is null)
            {
                var created = new Entry(hash, utf8.ToArray(), Encoding.UTF8.GetString(utf8));
                var raced = Interlocked.CompareExchange(ref Table[index], created, null);
                if (raced is null)
                {
                    return created.Value;
                }
                entry = raced;
            }
            if (entry.Hash == hash && utf8.SequenceEqual(entry.Utf8))
            {
                return entry.Value;
            }
        }
        return Encoding.UTF8.GetString(utf8); // the neighbourhood is full: not cached
    }

    /// <summary>Reads a string token through the cache (escaped or split tokens are read as usual).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static string? Read(ref Utf8JsonReader reader)
        => reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped && !reader.HasValueSequence
            ? Get(reader.ValueSpan)
            : reader.GetString();

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Hash(ReadOnlySpan<byte> utf8)
    {
        // Eight bytes per step (multiply and rotate, as in FNV/xxHash), then the tail: a 36-byte id costs 5 steps instead
        // of 36. Only used inside this process, so no seed is needed.
        var h = 0x9E3779B97F4A7C15UL ^ (ulong)utf8.Length;
        while (utf8.Length >= 8)
        {
            h = BitOperations.RotateLeft((h ^ BinaryPrimitives.ReadUInt64LittleEndian(utf8)) * 0x100000001B3UL, 29);
            utf8 = utf8[8..];
        }
        foreach (var b in utf8)
        {
            h = (h ^ b) * 0x100000001B3UL;
        }
        h ^= h >> 33;
        h *= 0xFF51AFD7ED558CCDUL;
        h ^= h >> 33;
        return (int)(h & 0x7fffffff);
    }

    private sealed class Entry(int hash, byte[] utf8, string value)
    {
        public int Hash { get; } = hash;
        public byte[] Utf8 { get; } = utf8;
        public string Value { get; } = value;
    }
}
