using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace UsageSdk.Internal;

/// <summary>
/// A read-only stream that fails once more than a set number of bytes was read (a broken or hostile server cannot exhaust
/// memory), and fails with a <see cref="JsonException"/> on bytes that are not UTF-8 (so no string the client hands out
/// can fail later when read).
/// </summary>
internal sealed class LimitedReadStream(Stream inner, long max) : Stream
{
    private long _read;
    private readonly byte[] _pending = new byte[4];
    private int _pendingLength;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _read; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override int Read(byte[] buffer, int offset, int count)
    {
        var n = Count(inner.Read(buffer, offset, Allowed(count)));
        CheckUtf8(buffer.AsSpan(offset, n));
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = Count(await inner.ReadAsync(buffer[..Allowed(buffer.Length)], cancellationToken).ConfigureAwait(false));
        CheckUtf8(buffer.Span[..n]);
        return n;
    }

    /// <summary>Checks that the bytes read so far are UTF-8; a sequence cut by the end of a read is finished with the next one.</summary>
    private void CheckUtf8(ReadOnlySpan<byte> data)
    {
        if (_pendingLength > 0 && !data.IsEmpty)
        {
            Span<byte> joined = stackalloc byte[8];
            _pending.AsSpan(0, _pendingLength).CopyTo(joined);
            var take = Math.Min(4 - _pendingLength, data.Length);
            data[..take].CopyTo(joined[_pendingLength..]);
            var length = _pendingLength + take;
            var status = Rune.DecodeFromUtf8(joined[..length], out _, out var consumed);
            if (status == OperationStatus.NeedMoreData && take == data.Length)
            {
                joined[..length].CopyTo(_pending);
                _pendingLength = length;
                return;
            }
            if (status != OperationStatus.Done)
            {
                throw NotUtf8();
            }
            data = data[(consumed - _pendingLength)..];
            _pendingLength = 0;
        }
        // A body that ends inside a sequence is left to the JSON reader, which reports it as cut short.
        var tail = IncompleteTail(data);
        if (!Utf8.IsValid(data[..^tail]))
        {
            throw NotUtf8();
        }
        data[^tail..].CopyTo(_pending);
        _pendingLength = tail;
    }

    /// <summary>The length (0 to 3) of a multi-byte sequence that starts in the last bytes but does not end there.</summary>
    private static int IncompleteTail(ReadOnlySpan<byte> data)
    {
        for (var i = 1; i <= Math.Min(3, data.Length); i++)
        {
            var b = data[^i];
            if ((b & 0xC0) != 0x80)
            {
                var need = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
                return need > i ? i : 0;
            }
        }
        return 0;
    }

    private JsonException NotUtf8() => new($"The response body is not valid UTF-8 (near byte {_read}).");

    /// <summary>Never asks for more than one byte past the cap, whatever buffer the reader offers.</summary>
    private int Allowed(int count) => (int)Math.Min(count, Math.Max(1, max - _read + 1));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private int Count(int n)
    {
        _read += n;
        if (_read > max)
        {
            throw new ResponseTooLargeException(max);
        }
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
