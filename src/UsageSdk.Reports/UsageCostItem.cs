namespace UsageSdk.Reports;

/// <summary>One row of a <see cref="UsageCostView"/> table: a key, line item or tag and its billed USD.</summary>
/// <param name="Key">The accessor, line item or tag as the API sends it; null for the cost without one.</param>
/// <param name="Name">A display name (a key's name when known), else the key, else <c>(none)</c>.</param>
/// <param name="Usd">Billed USD (exact).</param>
public sealed record UsageCostItem(string? Key, string Name, decimal Usd);
