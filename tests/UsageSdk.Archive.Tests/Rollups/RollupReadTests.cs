using System.Globalization;
using Microsoft.Data.Sqlite;
using SQLitePCL;
using UsageSdk.Archive.Internal;

namespace UsageSdk.Archive.Tests.Rollups;

/// <summary>The pieces of the SQLite roll-up reads: the direct native calls and the sums of dollars read as integers.</summary>
public sealed class RollupReadTests
{
    [Fact]
    public void Direct_calls_reach_the_library_of_Microsoft_Data_Sqlite()
    {
        // The fast path of the roll-up reads; false would mean every column goes through SafeHandle marshalling again.
        using var c = new SqliteConnection("Data Source=:memory:"); // the roll-ups read through an open connection: SQLitePCLRaw is set up
        c.Open();
        Assert.True(SqliteNative.Direct);
    }

    [Fact]
    public void Reads_integers_nulls_and_text_of_a_row()
    {
        using var c = new SqliteConnection("Data Source=:memory:");
        c.Open();
        Assert.Equal(raw.SQLITE_OK, raw.sqlite3_prepare_v2(c.Handle!, "SELECT 9007199254740993, NULL, 'naïve', -7 UNION ALL SELECT 1, 2, NULL, 0;", out var stmt));
        using (stmt)
        {
            var row = new SqliteNative(stmt);
            Assert.Equal(raw.SQLITE_ROW, row.Step());
            Assert.Equal(9007199254740993L, row.Int64(0));
            Assert.True(row.IsNull(1));
            Assert.Equal(0, row.Int64(1));
            Assert.Equal("naïve", row.Text(2));
            Assert.Equal(-7, row.Int64(3));
            Assert.Equal(raw.SQLITE_ROW, row.Step());
            Assert.False(row.IsNull(1));
            Assert.Null(row.Text(2));
            Assert.Equal(raw.SQLITE_DONE, row.Step());
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Dollars_summed_as_integers_equal_the_sum_of_each_row_with_its_scale(int seed)
    {
        var rnd = new Random(seed);
        Int128 nano = 0, atto = 0;
        decimal rest = 0, expected = 0;
        byte scale = 0;
        for (var i = 0; i < 5_000; i++)
        {
            // Amounts as requests carry them: a few decimals, sometimes many (beyond 18), sometimes negative or huge.
            var decimals = rnd.Next(0, 6) == 0 ? rnd.Next(19, 25) : rnd.Next(0, 9);
            var usd = Math.Round((decimal)rnd.NextDouble() * (rnd.Next(0, 50) == 0 ? 20_000_000_000m : 3m), decimals) * (rnd.Next(0, 10) == 0 ? -1 : 1);
            var rowScale = (byte)(decimals + rnd.Next(0, 4));
            usd += new decimal(0, 0, 0, false, rowScale); // the row's usd_scale: at least its amount's decimals
            var (n, a, r) = RollupUsdColumns.Split(usd);
            expected += RollupUsdColumns.Join(n, a, r, rowScale);
            nano += n;
            atto += a;
            rest += RollupUsdColumns.Rests(r);
            scale = Math.Max(scale, rowScale);
        }
        var actual = RollupUsdColumns.Join(nano, atto, rest, scale);
        Assert.Equal(expected, actual);
        Assert.Equal(expected.ToString(CultureInfo.InvariantCulture), actual.ToString(CultureInfo.InvariantCulture)); // the same decimals too
    }
}
