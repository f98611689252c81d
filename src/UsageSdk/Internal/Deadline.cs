namespace UsageSdk.Internal;

/// <summary>
/// A time limit on a <see cref="TimeProvider"/>, joined with an outer token: <see cref="Token"/> is cancelled when either
/// is; <see cref="Expired"/> tells the limit apart from the outer token. An infinite limit makes no timer and hands out
/// the outer token itself.
/// </summary>
internal sealed class Deadline : IDisposable
{
    private readonly CancellationTokenSource? _timer;
    private readonly CancellationTokenSource? _linked;

    /// <param name="after">The limit, from now; <see cref="Timeout.InfiniteTimeSpan"/> for none, zero or less for one already passed.</param>
    /// <param name="time">The clock.</param>
    /// <param name="outer">The token the limit is joined with.</param>
    public Deadline(TimeSpan after, TimeProvider time, CancellationToken outer)
    {
        if (after == Timeout.InfiniteTimeSpan)
        {
            Token = outer;
            return;
        }
        _timer = new CancellationTokenSource(after > TimeSpan.Zero ? after : TimeSpan.Zero, time);
        _linked = CancellationTokenSource.CreateLinkedTokenSource(outer, _timer.Token);
        Token = _linked.Token;
    }

    /// <summary>Cancelled when the limit passes or the outer token is cancelled.</summary>
    public CancellationToken Token { get; }

    /// <summary>Whether the limit has passed.</summary>
    public bool Expired => _timer?.IsCancellationRequested == true;

    public void Dispose()
    {
        _linked?.Dispose();
        _timer?.Dispose();
    }
}
