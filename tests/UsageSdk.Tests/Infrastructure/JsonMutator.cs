using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace UsageSdk.Tests.Infrastructure;

/// <summary>
/// Seeded mutations of a real response body: truncation, type swaps, huge numbers, deep nesting, invalid UTF-8,
/// giant strings, random byte flips, wrong top-level types, dropped, nulled and duplicated properties, and non-JSON
/// syntax. Every mutation is a pure function of the seed body and the <see cref="Random"/>.
/// </summary>
public static class JsonMutator
{
    public static readonly string[] Kinds =
    [
        "truncate", "byte-flip", "type-swap", "huge-number", "deep-nesting", "invalid-utf8", "giant-string",
        "wrong-top-level", "drop-property", "null-property", "duplicate-key", "bad-syntax", "stacked",
    ];

    private const string Marker = "\u0001MUTATE\u0001";
    private static readonly byte[] MarkerJson = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(Marker));

    private static readonly string[] HugeNumbers =
    [
        "1e400", "-1e400", "1.7976931348623157e309", "99999999999999999999999999999999", "-99999999999999999999999999999999",
        "9223372036854775808", "-9223372036854775809", "2147483648", "79228162514264337593543950336", "1e-400", "0.0000000000000000000000000000001",
        "123456789012345678901234567890.5", "-0", "1E+2147483647", "4.9e-324", "18446744073709551616",
        "\"1e400\"", "\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "\"99999999999999999999999\"", "\"0x10\"", "\" 5 \"",
    ];

    private static readonly string[] TopLevel =
    [
        "", " ", "\n\t ", "null", "true", "false", "0", "-1", "1e400", "\"text\"", "\"\"", "[]", "[null]", "{}", "[[]]", "[{}]",
        "<html><body>502 Bad Gateway</body></html>", "Internal Server Error", "{", "}", "[", "\"", "\uFEFF", "nul", "tru",
    ];

    private static readonly string[] BadSyntax =
    [
        "NaN", "Infinity", "-Infinity", "undefined", "'single'", "/* c */ 1", "// c\n1", "[1,]", "{\"a\":1,}", "0x1F", "01", "+1", ".5", "1.",
        "\"\\x41\"", "\"\\u12\"", "\"\\uD800\"", "\"\\uDC00\\uD800\"", "\"tab\there\"", "\"nul\0here\"",
    ];

    /// <summary>Applies one mutation (its kind chosen by <paramref name="random"/>, or given).</summary>
    public static (string Kind, byte[] Body) Mutate(byte[] seed, Random random, string? kind = null)
    {
        kind ??= Kinds[random.Next(Kinds.Length)];
        var body = kind switch
        {
            "truncate" => seed[..random.Next(seed.Length)],
            "byte-flip" => FlipBytes(seed, random),
            "type-swap" => Replace(seed, random, n => RandomValueUnlike(n, random)),
            "huge-number" => Replace(seed, random, _ => JsonNode.Parse(HugeNumbers[random.Next(HugeNumbers.Length)])),
            "deep-nesting" => Splice(seed, random, Deep(random)),
            "invalid-utf8" => Splice(seed, random, InvalidUtf8(random)),
            "giant-string" => Splice(seed, random, GiantString(random)),
            "wrong-top-level" => WrongTopLevel(seed, random),
            "drop-property" => Edit(seed, random, (o, name) => o.Remove(name)),
            "null-property" => Edit(seed, random, (o, name) => o[name] = null),
            "duplicate-key" => DuplicateKey(seed, random),
            "bad-syntax" => Splice(seed, random, Encoding.UTF8.GetBytes(BadSyntax[random.Next(BadSyntax.Length)])),
            "stacked" => Stacked(seed, random),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
        return (kind, body);
    }

    private static byte[] Stacked(byte[] seed, Random random)
    {
        var body = seed;
        var n = 2 + random.Next(3);
        for (var i = 0; i < n; i++)
        {
            var k = Kinds[random.Next(Kinds.Length - 1)]; // not "stacked" again
            if (k is "giant-string" && body.Length > 100_000)
            {
                k = "byte-flip";
            }
            body = Mutate(body, random, k).Body;
        }
        return body;
    }

    private static byte[] FlipBytes(byte[] seed, Random random)
    {
        var copy = (byte[])seed.Clone();
        if (copy.Length == 0)
        {
            return [(byte)random.Next(256)];
        }
        var n = 1 + random.Next(8);
        for (var i = 0; i < n; i++)
        {
            var at = random.Next(copy.Length);
            copy[at] = random.Next(3) == 0 ? (byte)random.Next(256) : (byte)(copy[at] ^ (1 << random.Next(8)));
        }
        return copy;
    }

    private static byte[] WrongTopLevel(byte[] seed, Random random)
    {
        switch (random.Next(6))
        {
            case 0:
            case 1:
                return Encoding.UTF8.GetBytes(TopLevel[random.Next(TopLevel.Length)]);
            case 2:
                return [.. "["u8, .. seed, .. "]"u8]; // the right object inside an array
            case 3:
                return [.. seed, .. " garbage"u8.ToArray()]; // trailing data
            case 4:
                return [.. seed, .. seed]; // two documents
            default:
                return Node(seed) is JsonObject o && o.Count > 0
                    ? Encoding.UTF8.GetBytes(o.ElementAt(random.Next(o.Count)).Value?.ToJsonString() ?? "null") // a member instead of the whole
                    : Encoding.UTF8.GetBytes("[]");
        }
    }

    private static byte[] DuplicateKey(byte[] seed, Random random)
    {
        // JsonObject cannot hold duplicate keys: add a marked member, then rename it in the text.
        return Edit(seed, random, (o, name) => o["\u0002dup"] = RandomValue(random), rename: true);
    }

    /// <summary>Replaces a random value (not the root) with what <paramref name="make"/> returns.</summary>
    private static byte[] Replace(byte[] seed, Random random, Func<JsonNode?, JsonNode?> make)
    {
        var root = Node(seed);
        if (root is null)
        {
            return FlipBytes(seed, random);
        }
        var slots = Slots(root);
        if (slots.Count == 0)
        {
            return FlipBytes(seed, random);
        }
        var (parent, key, index) = slots[random.Next(slots.Count)];
        var current = key is not null ? ((JsonObject)parent)[key] : ((JsonArray)parent)[index];
        var value = make(current?.DeepClone());
        if (key is not null)
        {
            ((JsonObject)parent)[key] = value;
        }
        else
        {
            ((JsonArray)parent)[index] = value;
        }
        return Encoding.UTF8.GetBytes(root.ToJsonString());
    }

    /// <summary>Replaces a random value with raw bytes (which need not be JSON): the value is first set to a marker string.</summary>
    private static byte[] Splice(byte[] seed, Random random, byte[] raw)
    {
        var root = Node(seed);
        if (root is null || Slots(root).Count == 0)
        {
            var at = random.Next(seed.Length + 1);
            return [.. seed.AsSpan(0, at), .. raw, .. seed.AsSpan(at)];
        }
        var marked = Replace(seed, random, _ => JsonValue.Create(Marker));
        var i = marked.AsSpan().IndexOf(MarkerJson);
        return [.. marked.AsSpan(0, i), .. raw, .. marked.AsSpan(i + MarkerJson.Length)];
    }

    private static byte[] Edit(byte[] seed, Random random, Action<JsonObject, string> edit, bool rename = false)
    {
        var root = Node(seed);
        var objects = root is null ? [] : Objects(root);
        if (objects.Count == 0)
        {
            return FlipBytes(seed, random);
        }
        var o = objects[random.Next(objects.Count)];
        if (o.Count == 0)
        {
            o["x"] = RandomValue(random);
            return Encoding.UTF8.GetBytes(root!.ToJsonString());
        }
        var name = o.ElementAt(random.Next(o.Count)).Key;
        edit(o, name);
        var text = root!.ToJsonString();
        if (rename)
        {
            text = text.Replace("\"\\u0002dup\"", JsonSerializer.Serialize(name), StringComparison.Ordinal);
        }
        return Encoding.UTF8.GetBytes(text);
    }

    private static JsonNode? Node(byte[] seed)
    {
        try
        {
            var node = JsonNode.Parse(seed, documentOptions: new JsonDocumentOptions { MaxDepth = 256 });
            if (node is not null)
            {
                _ = Slots(node); // materializes it: duplicate keys (from an earlier mutation) throw here
                _ = node.ToJsonString(); // and bad escapes (a lone surrogate) throw here
            }
            return node;
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }

    private static List<(JsonNode Parent, string? Key, int Index)> Slots(JsonNode root)
    {
        var list = new List<(JsonNode, string?, int)>();
        void Walk(JsonNode? n, int depth)
        {
            if (depth > 64)
            {
                return;
            }
            switch (n)
            {
                case JsonObject o:
                    foreach (var (k, v) in o)
                    {
                        list.Add((o, k, -1));
                        Walk(v, depth + 1);
                    }
                    break;
                case JsonArray a:
                    for (var i = 0; i < a.Count; i++)
                    {
                        list.Add((a, null, i));
                        Walk(a[i], depth + 1);
                    }
                    break;
            }
        }
        Walk(root, 0);
        return list;
    }

    private static List<JsonObject> Objects(JsonNode root)
    {
        var list = new List<JsonObject>();
        void Walk(JsonNode? n, int depth)
        {
            if (depth > 64)
            {
                return;
            }
            if (n is JsonObject o)
            {
                list.Add(o);
                foreach (var (_, v) in o)
                {
                    Walk(v, depth + 1);
                }
            }
            else if (n is JsonArray a)
            {
                foreach (var v in a)
                {
                    Walk(v, depth + 1);
                }
            }
        }
        Walk(root, 0);
        return list;
    }

    private static JsonNode? RandomValueUnlike(JsonNode? current, Random random)
    {
        var kind = current?.GetValueKind();
        for (var i = 0; i < 8; i++)
        {
            var v = RandomValue(random);
            if (v?.GetValueKind() != kind)
            {
                return v;
            }
        }
        return kind == JsonValueKind.Object ? new JsonArray() : new JsonObject();
    }

    private static JsonNode? RandomValue(Random random) => random.Next(10) switch
    {
        0 => null,
        1 => JsonValue.Create(random.Next(2) == 0),
        2 => JsonValue.Create(random.Next(-1000, 1000)),
        3 => JsonValue.Create(random.NextDouble() * 1e6),
        4 => JsonValue.Create(""),
        5 => JsonValue.Create(random.Next(2) == 0 ? "2025-13-45" : "not a value \u2603"),
        6 => new JsonArray(),
        7 => new JsonArray(JsonValue.Create(1), JsonValue.Create("x"), null, new JsonObject()),
        8 => new JsonObject(),
        _ => new JsonObject { ["a"] = JsonValue.Create(1), ["b"] = new JsonArray() },
    };

    private static byte[] Deep(Random random)
    {
        // Beyond any sensible MaxJsonDepth (the client's default is 64), sometimes far beyond.
        int[] depths = [65, 100, 1000, 5000, 20_000];
        var depth = depths[random.Next(depths.Length)];
        var sb = new StringBuilder(depth * 6);
        var objects = random.Next(2) == 0;
        for (var i = 0; i < depth; i++)
        {
            sb.Append(objects ? "{\"a\":" : "[");
        }
        sb.Append('1');
        for (var i = 0; i < depth; i++)
        {
            sb.Append(objects ? '}' : ']');
        }
        if (random.Next(4) == 0)
        {
            sb.Length -= depth / 2; // and unterminated
        }
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    private static byte[] InvalidUtf8(Random random)
    {
        byte[][] bad =
        [
            [0xFF], [0xFE], [0xC3, 0x28], [0xC0, 0xAF], [0xE0, 0x80, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80],
            [0xF8, 0x88, 0x80, 0x80, 0x80], [0x80], [0xE2, 0x82], [0xF0, 0x9F, 0x98],
        ];
        var b = bad[random.Next(bad.Length)];
        return random.Next(3) switch
        {
            0 => [(byte)'"', .. b, (byte)'"'],
            1 => [.. "\"ok "u8, .. b, .. " ok\""u8],
            _ => b, // outside a string
        };
    }

    private static byte[] GiantString(Random random)
    {
        int[] sizes = [70_000, 200_000, 600_000];
        var size = sizes[random.Next(sizes.Length)];
        var body = new byte[size + 2];
        body[0] = (byte)'"';
        body[^1] = (byte)'"';
        var fill = random.Next(3) switch
        {
            0 => (byte)'a',
            1 => (byte)'9',
            _ => (byte)' ',
        };
        body.AsSpan(1, size).Fill(fill);
        if (random.Next(3) == 0)
        {
            // escapes every few bytes
            for (var i = 1; i + 6 < size; i += 997)
            {
                "\\u0041"u8.CopyTo(body.AsSpan(i));
            }
        }
        return body;
    }
}
