namespace UsageSdk.Reports.Internal;

/// <summary>
/// What a roll-up's requests ended as: the two log states that never change with time, or open (no recorded response:
/// pending, unknown or lost, by its age when read). Stored as its number: never renumber.
/// </summary>
internal enum RollupOutcome : byte
{
    Open = 0,
    Error = 1,
    Success = 2,
}

/// <summary>Whether a roll-up's requests carry a billed <c>usd</c>, and whether it is 0. Stored as its number: never renumber.</summary>
internal enum RollupUsd : byte
{
    None = 0,
    Zero = 1,
    NonZero = 2,
}
