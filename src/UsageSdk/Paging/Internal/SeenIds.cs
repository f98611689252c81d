using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace UsageSdk.Internal;

/// <summary>
/// The request ids a listing has yielded, kept as 64-bit XXH3 hashes of their UTF-16 in one open-addressing table
/// (linear probing, a power-of-two number of 8-byte slots, grown by doubling before it is 3/4 full). That is 10.7 to
/// 21.3 bytes per id (16.8 at 1,000,000 ids: 2^21 slots, 16 MiB), and twice as much for a moment while it grows.
/// Two different ids share a hash with a probability of about n²/2^65 (1 in 37 million at a million ids); the later
/// one would then be skipped.
/// </summary>
internal sealed class SeenIds
{
    private ulong[] _slots;
    private int _count;

    /// <summary>Makes a set sized for about <paramref name="expected"/> ids.</summary>
    public SeenIds(int expected)
    {
        var size = 16;
        while (size * 3 / 4 < expected)
        {
            size *= 2;
        }
        _slots = new ulong[size];
    }

    /// <summary>The ids added.</summary>
    public int Count => _count;

    /// <summary>The bytes the table holds.</summary>
    public long Bytes => (long)_slots.Length * sizeof(ulong);

    /// <summary>Adds the id; false when it (or an id with the same hash) was added before.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Add(string id)
    {
        var hash = XxHash3.HashToUInt64(MemoryMarshal.AsBytes(id.AsSpan()));
        if (hash == 0)
        {
            hash = 1; // 0 marks an empty slot
        }
        if (!Insert(_slots, hash))
        {
            return false;
        }
        if (++_count > _slots.Length / 4 * 3)
        {
            var bigger = new ulong[_slots.Length * 2];
            foreach (var h in _slots)
            {
                if (h != 0)
                {
                    Insert(bigger, h);
                }
            }
            _slots = bigger;
        }
        return true;
    }

    /// <summary>True when the id (or an id with the same hash) was added.</summary>
    public bool Contains(string id)
    {
        var hash = XxHash3.HashToUInt64(MemoryMarshal.AsBytes(id.AsSpan()));
        if (hash == 0)
        {
            hash = 1;
        }
        var mask = _slots.Length - 1;
        for (var i = (int)hash & mask; ; i = (i + 1) & mask)
        {
            var slot = _slots[i];
            if (slot == hash)
            {
                return true;
            }
            if (slot == 0)
            {
                return false;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool Insert(ulong[] slots, ulong hash)
    {
        var mask = slots.Length - 1;
        for (var i = (int)hash & mask; ; i = (i + 1) & mask)
        {
            var slot = slots[i];
            if (slot == hash)
            {
                return false;
            }
            if (slot == 0)
            {
                slots[i] = hash;
                return true;
            }
        }
    }
}
