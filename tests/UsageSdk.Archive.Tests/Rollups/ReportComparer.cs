using UsageSdk.Reports;

namespace UsageSdk.Archive.Tests.Rollups;

/// <summary>
/// Compares two reports figure by figure: counts, tokens, characters, audio and billed dollars exactly; estimated
/// dollars (a price per audio hour divides a sum of seconds, where the logs divide each one) to 1e-9 relative.
/// </summary>
public static class ReportComparer
{
    /// <param name="modelBilled">False when a price table splits multi-model requests' billed cost (a roll-up splits its sum, not each request).</param>
    /// <param name="timeSeries">False when <paramref name="actual"/> was built without time series: they are empty, the rest is compared.</param>
    public static void Equal(UsageReport expected, UsageReport actual, string context, bool modelBilled = true, bool timeSeries = true)
    {
        if (timeSeries)
        {
            Assert.True(Equal(expected.Start, actual.Start), $"{context}: Start {expected.Start:O} vs {actual.Start:O}");
            Assert.True(Equal(expected.End, actual.End), $"{context}: End {expected.End:O} vs {actual.End:O}");
        }
        Assert.True(Equal(expected.FirstRequest, actual.FirstRequest), $"{context}: FirstRequest {expected.FirstRequest:O} vs {actual.FirstRequest:O}");
        Assert.True(Equal(expected.LastRequest, actual.LastRequest), $"{context}: LastRequest {expected.LastRequest:O} vs {actual.LastRequest:O}");
        Figures(expected.Totals, actual.Totals, $"{context}: totals");
        foreach (var d in Enum.GetValues<UsageReportDimension>())
        {
            var e = expected.GetGroups(d);
            var a = actual.GetGroups(d);
            Assert.True(e.Count == a.Count, $"{context}: {d} groups {string.Join(", ", e.Select(g => g.Key))} vs {string.Join(", ", a.Select(g => g.Key))}");
            var billed = modelBilled || d != UsageReportDimension.Model;
            // Groups with equal requests may come in either order when a billed-cost tie-break is not exact: match by key.
            foreach (var eg in e)
            {
                var ag = a.SingleOrDefault(g => g.Key == eg.Key);
                Assert.True(ag is not null, $"{context}: {d} group {eg.Key} missing");
                Assert.Equal(eg.Name, ag!.Name);
                Figures(eg.Figures, ag.Figures, $"{context}: {d} {eg.Key}", billed);
                if (billed)
                {
                    Assert.True(eg.UnsplitUsd == ag.UnsplitUsd, $"{context}: {d} {eg.Key} unsplit {eg.UnsplitUsd} vs {ag.UnsplitUsd}");
                }
            }
            Assert.Equal(e.Select(g => g.Key), a.Select(g => g.Key));
            Assert.Equal(expected.GetOverlappingMetrics(d), actual.GetOverlappingMetrics(d));
        }
        if (modelBilled)
        {
            Assert.True(expected.UnsplitModelUsd == actual.UnsplitModelUsd, $"{context}: unsplit model usd {expected.UnsplitModelUsd} vs {actual.UnsplitModelUsd}");
            Assert.Equal(expected.UnsplitModelRequests, actual.UnsplitModelRequests);
        }
        if (!timeSeries)
        {
            Assert.True(actual.Hourly.Count == 0 && actual.Daily.Count == 0 && actual.HourOfDay.Count == 0, $"{context}: a report without time series has buckets");
            Assert.Empty(actual.Spikes);
            Assert.Empty(actual.BudgetBreaches);
            return;
        }
        Buckets(expected.Hourly, actual.Hourly, $"{context}: hourly");
        Buckets(expected.Daily, actual.Daily, $"{context}: daily");
        Assert.Equal(expected.HourOfDay.Count, actual.HourOfDay.Count);
        for (var h = 0; h < expected.HourOfDay.Count; h++)
        {
            Figures(expected.HourOfDay[h], actual.HourOfDay[h], $"{context}: hour of day {h}");
        }
        Assert.Equal(expected.Spikes.Select(s => (s.Metric, s.Hour)), actual.Spikes.Select(s => (s.Metric, s.Hour)));
        Assert.Equal(expected.BudgetBreaches.Select(b => (b.Metric, b.Day, b.ApiKey)), actual.BudgetBreaches.Select(b => (b.Metric, b.Day, b.ApiKey)));
    }

    public static void Figures(UsageFigures e, UsageFigures a, string context, bool billed = true)
    {
        void Same<T>(T x, T y, string what)
        {
            Assert.True(EqualityComparer<T>.Default.Equals(x, y), $"{context}: {what} {x} vs {y}");
        }
        Same(e.Requests, a.Requests, "requests");
        Same(e.TokensIn, a.TokensIn, "tokens in");
        Same(e.TokensOut, a.TokensOut, "tokens out");
        Same(e.RequestsWithTokens, a.RequestsWithTokens, "requests with tokens");
        Same(e.TtsCharacters, a.TtsCharacters, "TTS characters");
        if (billed)
        {
            Same(e.BilledUsd, a.BilledUsd, "billed usd");
        }
        Same(e.BilledRequests, a.BilledRequests, "billed requests");
        Same(e.RequestsWithoutUsd, a.RequestsWithoutUsd, "requests without usd");
        Same(e.EstimatedRequests, a.EstimatedRequests, "estimated requests");
        Same(e.UnpricedRequests, a.UnpricedRequests, "unpriced requests");
        Same((e.States.Pending, e.States.Unknown, e.States.Lost, e.States.Error, e.States.Success), (a.States.Pending, a.States.Unknown, a.States.Lost, a.States.Error, a.States.Success), "states");
        Same(e.AudioSeconds, a.AudioSeconds, "audio seconds"); // summed in whole microseconds: exact
        Assert.True(Math.Abs(e.EstimatedUsd - a.EstimatedUsd) <= 1e-9m * Math.Max(1, Math.Abs(e.EstimatedUsd)), $"{context}: estimated {e.EstimatedUsd} vs {a.EstimatedUsd}");
    }

    private static void Buckets(IReadOnlyList<UsageTimeBucket> e, IReadOnlyList<UsageTimeBucket> a, string context)
    {
        Assert.True(e.Count == a.Count, $"{context}: {e.Count} buckets vs {a.Count}");
        for (var i = 0; i < e.Count; i++)
        {
            Assert.Equal(e[i].Start, a[i].Start);
            Figures(e[i].Figures, a[i].Figures, $"{context} {e[i].Start:O}");
        }
    }

    private static bool Equal(DateTimeOffset? a, DateTimeOffset? b) => a?.UtcTicks == b?.UtcTicks;
}
