namespace UsageSdk.Reports;

/// <summary>The prices of one model, in US dollars. A price left null does not apply to the model.</summary>
public sealed class UsageModelPrice
{
    /// <summary>US dollars per 1,000,000 input tokens.</summary>
    public decimal? PerMillionInputTokens { get; init; }

    /// <summary>US dollars per 1,000,000 output tokens.</summary>
    public decimal? PerMillionOutputTokens { get; init; }

    /// <summary>US dollars per audio hour (applied to <see cref="RequestDetails.TotalAudio"/>).</summary>
    public decimal? PerAudioHour { get; init; }

    /// <summary>US dollars per 1,000,000 text-to-speech characters.</summary>
    public decimal? PerMillionCharacters { get; init; }
}
