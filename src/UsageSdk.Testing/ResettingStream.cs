namespace UsageSdk.Testing;

/// <summary>
/// A response body that delivers the first <c>failAfter</c> bytes of <c>data</c> and then throws an
/// <see cref="IOException"/>, as a connection reset by the peer does. <see cref="FakeFaults.ResetNext"/> uses it; a test
/// handler of your own can use it too (for example in <c>new StreamContent(new ResettingStream(body, 100))</c>).
/// </summary>
/// <param name="data">The whole body.</param>
/// <param name="failAfter">How many bytes are delivered before the reset.</param>
public sealed class ResettingStream(byte[] data, int failAfter) : Stream
{
    private int _position;

    /// <inheritdoc />
    public override bool CanRead => true;
    /// <inheritdoc />
    public override bool CanSeek => false;
    /// <inheritdoc />
    public override bool CanWrite => false;
    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();
    /// <inheritdoc />
    public override long Position { get => _position; set => throw new NotSupportedException(); }
    /// <inheritdoc />
    public override void Flush() { }
    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();
    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <inheritdoc />
    public override int Read(Span<byte> buffer)
    {
        if (_position >= failAfter)
        {
            throw new IOException("The connection was reset by the peer (injected by UsageSdk.Testing).");
        }
        var n = Math.Min(buffer.Length, failAfter - _position);
        data.AsSpan(_position, n).CopyTo(buffer);
        _position += n;
        return n;
    }

    /// <inheritdoc />
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(Read(buffer.Span));

    /// <inheritdoc />
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => Task.FromResult(Read(buffer.AsSpan(offset, count)));
}
