using System.ComponentModel;
using System.Text.Json.Serialization;
using UsageSdk.Internal;

namespace UsageSdk;

/// <summary>
/// A feature filter of <c>/usage</c> and <c>/usage/breakdown</c> (sent as <c>name=true</c> or <c>name=false</c>).
/// Open: names the server adds later can be used with <see cref="UsageFeature(string)"/>; a name is lowercase
/// letters, digits and underscores, so it can never change the meaning of the query string.
/// </summary>
[JsonConverter(typeof(OpenEnumJsonConverter<UsageFeature>))]
public readonly struct UsageFeature : IEquatable<UsageFeature>, IOpenEnum<UsageFeature>
{
    private readonly string? _value;

    /// <summary>Creates a feature filter from its wire name.</summary>
    /// <param name="value">The wire name, for example <c>diarize</c>.</param>
    /// <exception cref="ArgumentException">The name is empty or has characters other than a-z, 0-9 and _.</exception>
    public UsageFeature(string value)
    {
        OpenEnum.Check(value, nameof(value));
        foreach (var c in value)
        {
            if (!(c is >= 'a' and <= 'z' or >= '0' and <= '9' or '_'))
            {
                throw new ArgumentException($"A feature name may contain only lowercase letters, digits and '_'; got '{OpenEnum.Printable(value)}'.", nameof(value));
            }
        }
        _value = value;
    }

    /// <summary>The <c>alternatives</c> feature filter.</summary>
    public static UsageFeature Alternatives { get; } = new("alternatives");
    /// <summary>The <c>callback_method</c> feature filter.</summary>
    public static UsageFeature CallbackMethod { get; } = new("callback_method");
    /// <summary>The <c>callback</c> feature filter.</summary>
    public static UsageFeature Callback { get; } = new("callback");
    /// <summary>The <c>channels</c> feature filter.</summary>
    public static UsageFeature Channels { get; } = new("channels");
    /// <summary>The <c>custom_intent_mode</c> feature filter.</summary>
    public static UsageFeature CustomIntentMode { get; } = new("custom_intent_mode");
    /// <summary>The <c>custom_intent</c> feature filter.</summary>
    public static UsageFeature CustomIntent { get; } = new("custom_intent");
    /// <summary>The <c>custom_topic_mode</c> feature filter.</summary>
    public static UsageFeature CustomTopicMode { get; } = new("custom_topic_mode");
    /// <summary>The <c>custom_topic</c> feature filter.</summary>
    public static UsageFeature CustomTopic { get; } = new("custom_topic");
    /// <summary>The <c>detect_entities</c> feature filter.</summary>
    public static UsageFeature DetectEntities { get; } = new("detect_entities");
    /// <summary>The <c>detect_language</c> feature filter.</summary>
    public static UsageFeature DetectLanguage { get; } = new("detect_language");
    /// <summary>The <c>diarize</c> feature filter.</summary>
    public static UsageFeature Diarize { get; } = new("diarize");
    /// <summary>The <c>dictation</c> feature filter.</summary>
    public static UsageFeature Dictation { get; } = new("dictation");
    /// <summary>The <c>encoding</c> feature filter.</summary>
    public static UsageFeature Encoding { get; } = new("encoding");
    /// <summary>The <c>extra</c> feature filter.</summary>
    public static UsageFeature Extra { get; } = new("extra");
    /// <summary>The <c>filler_words</c> feature filter.</summary>
    public static UsageFeature FillerWords { get; } = new("filler_words");
    /// <summary>The <c>intents</c> feature filter.</summary>
    public static UsageFeature Intents { get; } = new("intents");
    /// <summary>The <c>keyterm</c> feature filter.</summary>
    public static UsageFeature Keyterm { get; } = new("keyterm");
    /// <summary>The <c>keywords</c> feature filter.</summary>
    public static UsageFeature Keywords { get; } = new("keywords");
    /// <summary>The <c>language</c> feature filter.</summary>
    public static UsageFeature Language { get; } = new("language");
    /// <summary>The <c>measurements</c> feature filter.</summary>
    public static UsageFeature Measurements { get; } = new("measurements");
    /// <summary>The <c>multichannel</c> feature filter.</summary>
    public static UsageFeature Multichannel { get; } = new("multichannel");
    /// <summary>The <c>numerals</c> feature filter.</summary>
    public static UsageFeature Numerals { get; } = new("numerals");
    /// <summary>The <c>paragraphs</c> feature filter.</summary>
    public static UsageFeature Paragraphs { get; } = new("paragraphs");
    /// <summary>The <c>profanity_filter</c> feature filter.</summary>
    public static UsageFeature ProfanityFilter { get; } = new("profanity_filter");
    /// <summary>The <c>punctuate</c> feature filter.</summary>
    public static UsageFeature Punctuate { get; } = new("punctuate");
    /// <summary>The <c>redact</c> feature filter.</summary>
    public static UsageFeature Redact { get; } = new("redact");
    /// <summary>The <c>replace</c> feature filter.</summary>
    public static UsageFeature Replace { get; } = new("replace");
    /// <summary>The <c>sample_rate</c> feature filter.</summary>
    public static UsageFeature SampleRate { get; } = new("sample_rate");
    /// <summary>The <c>search</c> feature filter.</summary>
    public static UsageFeature Search { get; } = new("search");
    /// <summary>The <c>sentiment</c> feature filter.</summary>
    public static UsageFeature Sentiment { get; } = new("sentiment");
    /// <summary>The <c>smart_format</c> feature filter.</summary>
    public static UsageFeature SmartFormat { get; } = new("smart_format");
    /// <summary>The <c>summarize</c> feature filter.</summary>
    public static UsageFeature Summarize { get; } = new("summarize");
    /// <summary>The <c>topics</c> feature filter.</summary>
    public static UsageFeature Topics { get; } = new("topics");
    /// <summary>The <c>utt_split</c> feature filter.</summary>
    public static UsageFeature UttSplit { get; } = new("utt_split");
    /// <summary>The <c>utterances</c> feature filter.</summary>
    public static UsageFeature Utterances { get; } = new("utterances");
    /// <summary>The <c>version</c> feature filter.</summary>
    public static UsageFeature Version { get; } = new("version");

    /// <summary>Every feature filter the API documents (36).</summary>
    public static IReadOnlyList<UsageFeature> All { get; } = [Alternatives, CallbackMethod, Callback, Channels, CustomIntentMode, CustomIntent, CustomTopicMode, CustomTopic, DetectEntities, DetectLanguage, Diarize, Dictation, Encoding, Extra, FillerWords, Intents, Keyterm, Keywords, Language, Measurements, Multichannel, Numerals, Paragraphs, ProfanityFilter, Punctuate, Redact, Replace, SampleRate, Search, Sentiment, SmartFormat, Summarize, Topics, UttSplit, Utterances, Version];

    static UsageFeature IOpenEnum<UsageFeature>.Create(string value) => new(value);
    /// <summary>Converts a wire name.</summary>
    /// <param name="value">The wire name.</param>
    public static implicit operator UsageFeature(string value) => new(value);
    /// <summary>Compares two values (ordinal).</summary>
    public static bool operator ==(UsageFeature left, UsageFeature right) => left.Equals(right);
    /// <summary>Compares two values (ordinal).</summary>
    public static bool operator !=(UsageFeature left, UsageFeature right) => !left.Equals(right);
    /// <inheritdoc />
    public bool Equals(UsageFeature other) => string.Equals(_value, other._value, StringComparison.Ordinal);
    /// <inheritdoc />
    [EditorBrowsable(EditorBrowsableState.Never)]
    public override bool Equals(object? obj) => obj is UsageFeature other && Equals(other);
    /// <inheritdoc />
    [EditorBrowsable(EditorBrowsableState.Never)]
    public override int GetHashCode() => _value is null ? 0 : StringComparer.Ordinal.GetHashCode(_value);
    /// <summary>The wire name.</summary>
    public override string ToString() => _value ?? string.Empty;
}
