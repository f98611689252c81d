using System.Globalization;

namespace UsageSdk.Reports;

/// <summary>Billed dollars (billing breakdown) next to the sum of the request logs' <c>usd</c> for the same UTC days.</summary>
/// <param name="Start">The first day.</param>
/// <param name="End">The last day (inclusive).</param>
/// <param name="BilledUsd">What the billing breakdown says for those days.</param>
/// <param name="RequestLogUsd">The sum of <c>usd</c> of the report's request logs (<see cref="UsageFigures.BilledUsd"/>).</param>
public sealed record UsageCostReconciliation(DateOnly Start, DateOnly End, decimal BilledUsd, decimal RequestLogUsd)
{
    /// <summary>Billed minus request logs: positive when the invoice says more than the logs.</summary>
    public decimal Difference => BilledUsd - RequestLogUsd;

    /// <summary>One line: <c>Billed $67.38 · request logs $67.38 · difference $0.00 (2026-11-26 to 2026-12-02)</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"Billed {UsageMoney.Format(BilledUsd)} · request logs {UsageMoney.Format(RequestLogUsd)} · difference {(Difference < 0 ? "−" : "")}{UsageMoney.Format(Math.Abs(Difference))} ({Start:yyyy-MM-dd} to {End:yyyy-MM-dd})");
}
