using System.Buffers;

namespace UsageSdk.Internal;

/// <summary>
/// Reads a whole response body into a pooled buffer, then deserializes it in one synchronous pass (<see cref="TolerantJson"/>). Used for pages of
/// request logs: System.Text.Json reading a stream must look ahead over (and so parse twice) every value that has a
/// custom converter — the lenient lists, <c>config</c>, <c>callback</c> — which costs about a fifth of the parse time.
/// The buffer goes back to the pool at once; the body size is already capped by the stream it reads from.
/// </summary>
internal static class BufferedJson
{
    private const int InitialSize = 128 * 1024;

    /// <summary>Reads the whole body, then hands it to <paramref name="read"/> (the bytes are valid only during that call).</summary>
    public static async ValueTask<T> ReadAsync<T>(Stream stream, Func<ReadOnlyMemory<byte>, T> read, CancellationToken cancellationToken)
    {
        var pool = ArrayPool<byte>.Shared;
        var buffer = pool.Rent(InitialSize);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    var bigger = pool.Rent(checked(buffer.Length * 2));
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    pool.Return(buffer);
                    buffer = bigger;
                }
                var n = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }
                length += n;
            }
            return read(buffer.AsMemory(0, length));
        }
        finally
        {
            pool.Return(buffer);
        }
    }
}
