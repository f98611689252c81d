namespace UsageSdk.Tests.Infrastructure.Chaos;

/// <summary>
/// A clock that stands still and whose finite timers fire at once: back-off and <c>Retry-After</c> waits are asked for
/// (and counted) but nothing sleeps. Infinite timers never fire. Use it with <c>Timeout</c> and <c>Retry.TryTimeout</c>
/// set to <see cref="Timeout.InfiniteTimeSpan"/> (the overall budget and the per-try timeout would otherwise fire at once too).
/// </summary>
public sealed class InstantTimeProvider(DateTimeOffset now) : TimeProvider
{
    private long _waits;
    private long _waitTicks;

    public override DateTimeOffset GetUtcNow() => now;

    /// <summary>Finite timers started (each a wait the code asked for).</summary>
    public long Waits => Interlocked.Read(ref _waits);

    /// <summary>The sum of the waits asked for.</summary>
    public TimeSpan WaitedFor => TimeSpan.FromTicks(Interlocked.Read(ref _waitTicks));

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new InstantTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    private void Count(TimeSpan due)
    {
        Interlocked.Increment(ref _waits);
        Interlocked.Add(ref _waitTicks, due.Ticks);
    }

    private sealed class InstantTimer(InstantTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        private int _disposed;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            if (Volatile.Read(ref _disposed) == 1)
            {
                return false;
            }
            if (dueTime == Timeout.InfiniteTimeSpan)
            {
                return true;
            }
            owner.Count(dueTime);
            ThreadPool.UnsafeQueueUserWorkItem(_ =>
            {
                if (Volatile.Read(ref _disposed) == 0)
                {
                    callback(state);
                }
            }, null);
            return true;
        }

        public void Dispose() => Interlocked.Exchange(ref _disposed, 1);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
