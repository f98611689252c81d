namespace UsageSdk.Archive.Internal;

/// <summary>The roll-up tables' units of time: hours and days since 1970-01-01 UTC (<c>datetime(hour * 3600, 'unixepoch')</c> in SQLite).</summary>
internal static class RollupTime
{
    private static readonly long EpochTicks = DateTimeOffset.UnixEpoch.UtcTicks;

    /// <summary>The hour of a time in UTC ticks.</summary>
    public static long Hour(long utcTicks) => FloorDiv(utcTicks - EpochTicks, TimeSpan.TicksPerHour);

    /// <summary>The hour of a time.</summary>
    public static long Hour(DateTimeOffset time) => Hour(time.UtcTicks);

    /// <summary>The first hour starting at or after a time.</summary>
    public static long CeilingHour(DateTimeOffset time) => -FloorDiv(-(time.UtcTicks - EpochTicks), TimeSpan.TicksPerHour);

    public static long DayOfHour(long hour) => FloorDiv(hour, 24);

    /// <summary>The start of an hour in UTC ticks.</summary>
    public static long HourTicks(long hour) => EpochTicks + (hour * TimeSpan.TicksPerHour);

    public static DateTimeOffset HourStart(long hour) => new(HourTicks(hour), TimeSpan.Zero);

    /// <summary>A day as the report builder counts days (<see cref="DateOnly.DayNumber"/>: from 0001-01-01).</summary>
    public static long DayNumber(long day) => day + DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;

    private static long FloorDiv(long a, long b) => a >= 0 ? a / b : ((a + 1) / b) - 1;
}
