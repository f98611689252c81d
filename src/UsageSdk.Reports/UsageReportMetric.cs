namespace UsageSdk.Reports;

/// <summary>A figure a report can rank, chart or watch.</summary>
public enum UsageReportMetric
{
    /// <summary>Requests.</summary>
    Requests = 0,
    /// <summary>Tokens in + out.</summary>
    Tokens = 1,
    /// <summary>Input tokens.</summary>
    TokensIn = 2,
    /// <summary>Output tokens.</summary>
    TokensOut = 3,
    /// <summary>Billed cost in US dollars.</summary>
    BilledUsd = 4,
    /// <summary>Estimated cost in US dollars.</summary>
    EstimatedUsd = 5,
    /// <summary>Audio hours.</summary>
    AudioHours = 6,
    /// <summary>Text-to-speech characters.</summary>
    TtsCharacters = 7,
    /// <summary>Failed requests.</summary>
    Errors = 8,
}
