using System.Globalization;
using System.Text;

namespace UsageSdk.Benchmarks;

/// <summary>
/// Builds realistic <c>/requests</c> pages once, as UTF-8 bytes: about 1 KB per request with <c>response.details</c>
/// (models, tags, features, a drifting <c>config</c>), <c>token_details</c>, a classic <c>callback</c> object on some
/// items, failed and pending items. Every page is the same template with the page number written into each request id
/// (so ids are unique over the whole listing) and into the <c>page</c> field: serving a page is one copy and a few
/// digit writes, so the server is never the bottleneck. On a timeline, the server also moves every time on page N back
/// by N times the <see cref="Span"/> of a full page, so the listing runs newest first over distinct times, as a real one
/// does (1,000 logs cover about 12.6 hours); the archive's time indexes depend on that.
/// </summary>
public sealed class PageTemplate
{
    private const int PageDigits = 8;
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    private readonly byte[] _bytes;
    private readonly int[] _pageOffsets;
    private readonly (int Offset, DateTime Time)[] _times;

    private PageTemplate(byte[] bytes, int[] pageOffsets, (int, DateTime)[] times, int count)
    {
        _bytes = bytes;
        _pageOffsets = pageOffsets;
        _times = times;
        Span = times.Length == 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(Math.Ceiling((times.Max(t => t.Item2) - times.Min(t => t.Item2)).TotalSeconds) + 1);
        Count = count;
    }

    /// <summary>From the earliest time on the page to the latest, rounded up to a second, plus one.</summary>
    public TimeSpan Span { get; }

    /// <summary>Items on the page.</summary>
    public int Count { get; }

    /// <summary>Bytes of one page.</summary>
    public int Length => _bytes.Length;

    /// <summary>Writes page <paramref name="page"/> into <paramref name="destination"/> (at least <see cref="Length"/> bytes).</summary>
    /// <param name="page">The page number.</param>
    /// <param name="destination">Where the page goes.</param>
    /// <param name="back">How far to move every time on the page back (zero: as built).</param>
    public void Render(int page, Span<byte> destination, TimeSpan back = default)
    {
        _bytes.CopyTo(destination);
        Span<byte> digits = stackalloc byte[PageDigits];
        var v = page;
        for (var i = PageDigits - 1; i >= 0; i--)
        {
            digits[i] = (byte)('0' + (v % 10));
            v /= 10;
        }
        for (var i = 1; i < _pageOffsets.Length; i++)
        {
            digits.CopyTo(destination[_pageOffsets[i]..]);
        }
        // The page field: the same digits with leading zeros as spaces (JSON numbers have no leading zeros).
        var field = destination.Slice(_pageOffsets[0], PageDigits);
        digits.CopyTo(field);
        for (var i = 0; i < PageDigits - 1 && field[i] == '0'; i++)
        {
            field[i] = (byte)' ';
        }
        if (back != TimeSpan.Zero)
        {
            Span<byte> text = stackalloc byte[28];
            foreach (var (offset, time) in _times)
            {
                // "O" (yyyy-MM-ddTHH:mm:ss.fffffffZ) is the formatter's fast path; the template has six digits, then Z.
                (time - back).TryFormat(text, out _, "O", CultureInfo.InvariantCulture);
                text[..26].CopyTo(destination[offset..]);
                destination[offset + 26] = (byte)'Z';
            }
        }
    }

    /// <summary>Builds a page of <paramref name="count"/> items for page size <paramref name="limit"/> (seeded, deterministic).</summary>
    public static PageTemplate Build(int count, int limit, int seed = 20250701)
    {
        var rnd = new Random(seed);
        var sb = new StringBuilder(count * 1100 + 100);
        var offsets = new List<int>(count + 1);
        var times = new List<(int, DateTime)>(count * 3);
        StringBuilder Time(DateTimeOffset t)
        {
            times.Add((sb.Length, t.UtcDateTime));
            return sb.Append(t.ToString(TimeFormat, CultureInfo.InvariantCulture));
        }
        sb.Append("{\"page\":");
        offsets.Add(sb.Length);
        sb.Append(' ', PageDigits - 1).Append('0').Append(",\"limit\":").Append(limit.ToString(CultureInfo.InvariantCulture)).Append(",\"requests\":[");
        var created = new DateTimeOffset(2025, 6, 30, 23, 59, 59, TimeSpan.Zero);
        string[] projects = [Guid(rnd), Guid(rnd)];
        var keys = Enumerable.Range(0, 12).Select(_ => Guid(rnd)).ToArray();
        var accessors = Enumerable.Range(0, 12).Select(_ => Guid(rnd)).ToArray();
        string[] models = ["1abfe86b-e047-4eed-858a-35e5625b41ee", "30089e05-99d1-4376-b32e-c263170674af", "c3d6d4c4-5ac2-4b0c-9d7e-2f7a0d1c2b3a"];
        string[] tagSet = ["prod", "staging", "team-a", "team-b", "batch", "nightly", "eu", "us"];
        string[] featureSet = ["punctuate", "smart_format", "diarize", "utterances", "summarize", "topics", "keywords"];
        string[] modelNames = ["nova-3", "nova-2", "nova-2-phonecall", "whisper-large"];
        for (var i = 0; i < count; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }
            created = created.AddTicks(-rnd.NextInt64(TimeSpan.TicksPerSecond, 90 * TimeSpan.TicksPerSecond));
            var model = modelNames[rnd.Next(modelNames.Length)];
            var kind = rnd.Next(100); // 0-4 failed, 5-6 pending, else succeeded
            var key = rnd.Next(keys.Length);
            sb.Append("{\"request_id\":\"").Append(Guid(rnd)[..24]);
            offsets.Add(sb.Length);
            sb.Append('0', PageDigits).Append(i.ToString("D4", CultureInfo.InvariantCulture)).Append('"');
            sb.Append(",\"project_uuid\":\"").Append(projects[0]).Append('"');
            sb.Append(",\"created\":\"");
            Time(created).Append('"');
            sb.Append(",\"path\":\"/v1/listen?model=").Append(model).Append("&smart_format=true&diarize=true&language=en-US&punctuate=true&tag=").Append(tagSet[rnd.Next(tagSet.Length)]).Append('"');
            sb.Append(",\"api_key_id\":\"").Append(keys[key]).Append('"');
            sb.Append(",\"accessor\":\"").Append(accessors[key]).Append('"');
            sb.Append(",\"deployment\":\"hosted\"");
            var code = kind < 5 ? (kind < 3 ? 400 : 500) : kind < 7 ? 0 : 200;
            if (code != 0)
            {
                sb.Append(",\"code\":").Append(code.ToString(CultureInfo.InvariantCulture));
            }
            sb.Append(",\"response\":");
            if (kind < 5)
            {
                sb.Append("{\"code\":").Append(code.ToString(CultureInfo.InvariantCulture)).Append(",\"completed\":\"");
                Time(created.AddSeconds(1))
                  .Append("\",\"message\":\"Bad Request: failed to process audio: corrupt or unsupported data (request ").Append(i.ToString(CultureInfo.InvariantCulture)).Append(")\"}");
            }
            else if (kind < 7)
            {
                sb.Append(kind == 5 ? "null" : "{}");
            }
            else
            {
                var duration = Math.Round(rnd.NextDouble() * 120, 3);
                var channels = rnd.Next(1, 3);
                sb.Append("{\"details\":{\"usd\":").Append(Math.Round(duration / 60 * 0.0043 * channels, 6).ToString("0.######", CultureInfo.InvariantCulture))
                  .Append(",\"duration\":").Append(duration.ToString("0.###", CultureInfo.InvariantCulture))
                  .Append(",\"total_audio\":").Append((duration * channels).ToString("0.###", CultureInfo.InvariantCulture))
                  .Append(",\"channels\":").Append(channels.ToString(CultureInfo.InvariantCulture))
                  .Append(",\"streams\":1,\"models\":[\"").Append(models[rnd.Next(models.Length)]).Append("\"]")
                  .Append(",\"method\":\"").Append(rnd.Next(3) switch { 0 => "sync", 1 => "async", _ => "streaming" }).Append('"')
                  .Append(",\"tier\":\"nova\",\"tags\":[\"").Append(tagSet[rnd.Next(tagSet.Length)]).Append("\",\"").Append(tagSet[rnd.Next(tagSet.Length)]).Append("\"]")
                  .Append(",\"features\":[\"").Append(featureSet[rnd.Next(3)]).Append("\",\"").Append(featureSet[3 + rnd.Next(4)]).Append("\"]")
                  .Append(",\"config\":{\"model\":\"").Append(model).Append("\",\"language\":\"en-US\",\"punctuate\":true,\"smart_format\":true,\"diarize\":")
                  .Append(rnd.Next(2) == 0 ? "true" : "false")
                  .Append(",\"keywords\":[\"acme:2\",\"widget\"],\"utterances\":false,\"alternatives\":1,\"detect_topics\":\"true\",\"summarize\":\"v2\"}},")
                  .Append("\"code\":200,\"completed\":\"");
                Time(created.AddSeconds(duration / 4)).Append('"')
                  .Append(",\"token_details\":[{\"feature\":\"summarization\",\"input\":").Append(rnd.Next(200, 4000).ToString(CultureInfo.InvariantCulture))
                  .Append(",\"output\":").Append(rnd.Next(50, 400).ToString(CultureInfo.InvariantCulture)).Append(",\"model\":\"gpt-4o-mini\"}]}");
            }
            sb.Append(",\"callback\":");
            if (rnd.Next(10) < 4)
            {
                sb.Append("{\"attempts\":1,\"code\":200,\"completed\":\"");
                Time(created.AddSeconds(30)).Append("\"}");
            }
            else
            {
                sb.Append("null");
            }
            sb.Append('}');
        }
        sb.Append("]}");
        var text = sb.ToString();
        if (Encoding.UTF8.GetByteCount(text) != text.Length)
        {
            throw new InvalidOperationException("The template must be ASCII so character offsets are byte offsets.");
        }
        return new PageTemplate(Encoding.ASCII.GetBytes(text), [.. offsets], [.. times], count);
    }

    private static string Guid(Random rnd)
    {
        Span<byte> b = stackalloc byte[16];
        rnd.NextBytes(b);
        return new Guid(b).ToString();
    }
}
