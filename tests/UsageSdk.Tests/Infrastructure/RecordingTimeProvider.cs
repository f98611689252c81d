using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace UsageSdk.Tests.Infrastructure;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that reports every timer (wait) the code under test asks for, so a test can assert
/// the requested wait and then advance the fake clock by exactly that much while the call is pending. Nothing sleeps.
/// </summary>
public sealed class RecordingTimeProvider : TimeProvider
{
    /// <summary>The per-try timeout used in these tests: distinctive, so its timers are told apart from back-off waits.</summary>
    public static readonly TimeSpan TryTimeout = TimeSpan.FromSeconds(17);

    /// <summary>The overall budget timer of the default <see cref="UsageClientOptions.Timeout"/> (one per call): not a wait either.</summary>
    public static readonly TimeSpan DefaultBudget = new UsageClientOptions().Timeout;

    private readonly Channel<TimeSpan> _waits = Channel.CreateUnbounded<TimeSpan>();
    private readonly Channel<TimeSpan> _budgets = Channel.CreateUnbounded<TimeSpan>();
    private readonly Channel<TimeSpan> _tryTimeouts = Channel.CreateUnbounded<TimeSpan>();

    public RecordingTimeProvider(DateTimeOffset? start = null)
    {
        Fake = new FakeTimeProvider(start ?? new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));
    }

    public FakeTimeProvider Fake { get; }

    /// <summary>Due times of overall-budget timers (<see cref="UsageClientOptions.Timeout"/>), told apart from waits.</summary>
    public HashSet<TimeSpan> Budgets { get; } = [DefaultBudget];

    public override DateTimeOffset GetUtcNow() => Fake.GetUtcNow();

    public override TimeZoneInfo LocalTimeZone => Fake.LocalTimeZone;

    public override long TimestampFrequency => Fake.TimestampFrequency;

    public override long GetTimestamp() => Fake.GetTimestamp();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = Fake.CreateTimer(callback, state, dueTime, period);
        (dueTime == TryTimeout ? _tryTimeouts : Budgets.Contains(dueTime) ? _budgets : _waits).Writer.TryWrite(dueTime);
        return timer;
    }

    public void Advance(TimeSpan by) => Fake.Advance(by);

    /// <summary>The next back-off or Retry-After wait the code asks for (fails the test after 20 s of real time instead of hanging).</summary>
    public Task<TimeSpan> NextWaitAsync() => ReadAsync(_waits, "a retry wait");

    /// <summary>The next overall-budget timer (one per call).</summary>
    public Task<TimeSpan> NextBudgetAsync() => ReadAsync(_budgets, "the overall budget");

    /// <summary>The next per-try timeout timer (one per try sent).</summary>
    public Task<TimeSpan> NextTryAsync() => ReadAsync(_tryTimeouts, "a try");

    /// <summary>Waits that were asked for and not read yet.</summary>
    public int PendingWaits => _waits.Reader.Count;

    private static async Task<TimeSpan> ReadAsync(Channel<TimeSpan> channel, string what)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            return await channel.Reader.ReadAsync(guard.Token);
        }
        catch (OperationCanceledException)
        {
            throw new Xunit.Sdk.XunitException($"The code under test never asked the TimeProvider for {what}.");
        }
    }
}
