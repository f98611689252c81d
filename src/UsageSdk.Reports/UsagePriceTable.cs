using System.Text.Json;
using System.Text.Json.Serialization;
using UsageSdk.Reports.Internal;

namespace UsageSdk.Reports;

/// <summary>
/// Prices per model, used by a <see cref="UsageReport"/> to <b>estimate</b> the cost of requests that carry no billed
/// <c>usd</c> (contract projects, requests not yet settled). Estimates are always reported apart from billed cost.
/// Load one from JSON:
/// <code>
/// {
///   "source": "list prices, August 2026",
///   "models": {
///     "4d892fb6-7cb1-4f33-bb66-a9be0d5b2ea7": { "per_audio_hour": 0.258 },
///     "gpt-4o-mini": { "per_million_input_tokens": 0.15, "per_million_output_tokens": 0.6 },
///     "aura-2":      { "per_million_characters": 30 },
///     "*":           { "per_audio_hour": 0.30 }
///   }
/// }
/// </code>
/// Model keys are model ids (as <see cref="RequestDetails.Models"/> carries them) or names (as
/// <see cref="TokenDetail.Model"/> and <see cref="SpeechSegment.Model"/> carry them, or as
/// <see cref="UsageNames.Models"/> names the ids), compared case-insensitively; <c>*</c> prices every
/// model not listed. A request's audio is priced at the highest <c>per_audio_hour</c> among its models (a voice agent
/// lists its speech, voice and agent models); each token detail and speech segment at its own model's price, else at
/// the first of the request's models with such a price, else at <c>*</c>. Unknown members are errors, so a misspelt price cannot silently price nothing.
/// A report also uses these parts to split the billed <c>usd</c> of a request that used several models among them
/// (see <see cref="UsageReport.ByModel"/>).
/// </summary>
public sealed class UsagePriceTable
{
    private readonly Dictionary<string, UsageModelPrice> _models;

    /// <summary>Creates a price table.</summary>
    /// <param name="models">Prices by model id or name (<c>*</c> for every other model).</param>
    /// <param name="source">Where the prices come from (shown in reports).</param>
    /// <exception cref="ArgumentException">A key is empty or a price is negative.</exception>
    public UsagePriceTable(IEnumerable<KeyValuePair<string, UsageModelPrice>> models, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(models);
        _models = new Dictionary<string, UsageModelPrice>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, price) in models)
        {
            if (string.IsNullOrWhiteSpace(key))
            {
                throw new ArgumentException("A model key of the price table is empty.", nameof(models));
            }
            ArgumentNullException.ThrowIfNull(price, nameof(models));
            if (price.PerMillionInputTokens < 0 || price.PerMillionOutputTokens < 0 || price.PerAudioHour < 0 || price.PerMillionCharacters < 0)
            {
                throw new ArgumentException($"The prices of model '{key}' must be zero or more.", nameof(models));
            }
            if (!_models.TryAdd(key, price))
            {
                throw new ArgumentException($"The model '{key}' is listed twice in the price table.", nameof(models));
            }
        }
        Source = source;
    }

    /// <summary>Where the prices come from, for example <c>list prices, August 2026</c>.</summary>
    public string? Source { get; }

    /// <summary>The prices by model id or name.</summary>
    public IReadOnlyDictionary<string, UsageModelPrice> Models => _models;

    /// <summary>The price of a model: its own entry, else the <c>*</c> entry, else null.</summary>
    /// <param name="model">A model id or name.</param>
    public UsageModelPrice? Find(string? model)
        => (model is not null && _models.TryGetValue(model, out var p)) || _models.TryGetValue("*", out p) ? p : null;

    /// <summary>Reads a price table from JSON text (see the class summary for the shape).</summary>
    /// <param name="json">The JSON text.</param>
    /// <exception cref="FormatException">The text is not a valid price table; the message says where.</exception>
    public static UsagePriceTable Parse(string json)
        => FromDocument(JsonFileReader.Parse(json, PriceTableJsonContext.Default.PriceTableDocument, "The price table"));

    /// <summary>Reads a price table from a JSON stream.</summary>
    /// <param name="utf8Json">The stream (UTF-8).</param>
    /// <param name="cancellationToken">Stops the reading.</param>
    /// <exception cref="FormatException">The content is not a valid price table; the message says where.</exception>
    public static async Task<UsagePriceTable> LoadAsync(Stream utf8Json, CancellationToken cancellationToken = default)
        => FromDocument(await JsonFileReader.ParseAsync(utf8Json, PriceTableJsonContext.Default.PriceTableDocument, "The price table", cancellationToken).ConfigureAwait(false));

    /// <summary>Reads a price table from a JSON file.</summary>
    /// <param name="path">The file path.</param>
    /// <exception cref="FormatException">The file is not a valid price table; the message names the file and the place.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static UsagePriceTable Load(string path) => JsonFileReader.Load(path, Parse);

    private static UsagePriceTable FromDocument(PriceTableDocument? doc)
    {
        if (doc?.Models is null)
        {
            throw new FormatException("The price table has no \"models\" object.");
        }
        if (doc.Currency is { } c && !string.Equals(c, "USD", StringComparison.OrdinalIgnoreCase))
        {
            throw new FormatException($"The price table's currency must be USD; got '{c}'.");
        }
        var models = new List<KeyValuePair<string, UsageModelPrice>>();
        foreach (var (key, entry) in doc.Models)
        {
            if (entry is null)
            {
                throw new FormatException($"The price of model '{key}' is null.");
            }
            var price = new UsageModelPrice
            {
                PerMillionInputTokens = entry.PerMillionInputTokens,
                PerMillionOutputTokens = entry.PerMillionOutputTokens,
                PerAudioHour = entry.PerAudioHour,
                PerMillionCharacters = entry.PerMillionCharacters,
            };
            if (price.PerMillionInputTokens < 0 || price.PerMillionOutputTokens < 0 || price.PerAudioHour < 0 || price.PerMillionCharacters < 0)
            {
                throw new FormatException($"The prices of model '{key}' must be zero or more.");
            }
            if (price.PerMillionInputTokens is null && price.PerMillionOutputTokens is null && price.PerAudioHour is null && price.PerMillionCharacters is null)
            {
                throw new FormatException($"Model '{key}' has no price (per_million_input_tokens, per_million_output_tokens, per_audio_hour or per_million_characters).");
            }
            if (string.IsNullOrWhiteSpace(key))
            {
                throw new FormatException("A model key of the price table is empty.");
            }
            models.Add(new(key, price));
        }
        try
        {
            return new UsagePriceTable(models, doc.Source);
        }
        catch (ArgumentException e)
        {
            throw new FormatException(e.Message.Split(" (Parameter", 2)[0], e);
        }
    }

    /// <summary>The price of a model id or name: its own entry, else the entry of one of its names in <paramref name="names"/> (never <c>*</c>).</summary>
    internal UsageModelPrice? PriceOf(string? model, UsageNames? names)
    {
        if (string.IsNullOrEmpty(model))
        {
            return null;
        }
        if (_models.TryGetValue(model, out var p))
        {
            return p;
        }
        if (names is not null)
        {
            foreach (var name in names.ModelNamesOf(model))
            {
                if (_models.TryGetValue(name, out p))
                {
                    return p;
                }
            }
        }
        return null;
    }

    private static bool HasTokenPrice(UsageModelPrice p) => p.PerMillionInputTokens is not null || p.PerMillionOutputTokens is not null;

    /// <summary>
    /// The estimate of one request: null when no price applies to it. With <paramref name="parts"/>, also says which
    /// part of the estimate each token detail, each speech segment and the audio come to (so a request's cost can be
    /// split among its models); the parts add up to the estimate.
    /// </summary>
    internal decimal? Estimate<TParts>(IReadOnlyList<string> models, in TParts input, double audioSeconds, UsageNames? names, EstimateParts? parts = null)
        where TParts : struct, IUsageParts
    {
        parts?.Reset(input.TokenCount, input.SegmentCount);
        UsageModelPrice? firstTokenPrice = null, firstCharPrice = null, dearestAudio = null;
        var dearestAudioIndex = -1;
        var pricedModel = false;
        for (var i = 0; i < models.Count; i++)
        {
            if (PriceOf(models[i], names) is not { } p)
            {
                continue;
            }
            pricedModel = true;
            firstTokenPrice ??= HasTokenPrice(p) ? p : null;
            firstCharPrice ??= p.PerMillionCharacters is not null ? p : null;
            if (p.PerAudioHour is { } h && (dearestAudio is null || h > dearestAudio.PerAudioHour))
            {
                dearestAudio = p;
                dearestAudioIndex = i;
            }
        }
        var any = Find(null);
        var priced = pricedModel || any is not null;
        decimal total = 0;
        // Audio at the highest per-hour price among the request's models (a voice agent lists its speech, voice and agent models).
        if (audioSeconds > 0 && (dearestAudio?.PerAudioHour ?? any?.PerAudioHour) is { } perHour)
        {
            var audio = (decimal)audioSeconds / 3600m * perHour;
            total += audio;
            if (parts is not null)
            {
                parts.Audio = audio;
                parts.AudioModelIndex = dearestAudio is null ? -1 : dearestAudioIndex;
            }
        }
        var tokenFallback = firstTokenPrice ?? any;
        for (var i = 0; i < input.TokenCount; i++)
        {
            var own = PriceOf(input.TokenModel(i), names);
            var price = own is not null && HasTokenPrice(own) ? own : tokenFallback;
            if (price is null)
            {
                continue;
            }
            priced = true;
            decimal cost = 0;
            if (input.TokenInput(i) is > 0 and var tin && price.PerMillionInputTokens is { } pin)
            {
                cost += tin * pin / 1_000_000m;
            }
            if (input.TokenOutput(i) is > 0 and var tout && price.PerMillionOutputTokens is { } pout)
            {
                cost += tout * pout / 1_000_000m;
            }
            total += cost;
            if (parts is not null)
            {
                parts.Tokens[i] = cost;
            }
        }
        var charFallback = firstCharPrice ?? any;
        for (var i = 0; i < input.SegmentCount; i++)
        {
            var own = PriceOf(input.SegmentModel(i), names);
            var price = own?.PerMillionCharacters is not null ? own : charFallback;
            if (price is null)
            {
                continue;
            }
            priced = true;
            if (input.SegmentCharacters(i) is > 0 and var chars && price.PerMillionCharacters is { } pc)
            {
                var cost = chars * pc / 1_000_000m;
                total += cost;
                if (parts is not null)
                {
                    parts.Segments[i] = cost;
                }
            }
        }
        return priced ? total : null;
    }

    /// <summary>The estimate of a breakdown result grouped by models; null when none of its models has a price.</summary>
    internal decimal? EstimateTotals(IReadOnlyList<string?> models, long tokensIn, long tokensOut, double audioSeconds, long characters, UsageNames? names)
    {
        var prices = models.Select(m => PriceOf(m, names)).OfType<UsageModelPrice>().ToList();
        var any = Find(null);
        if (prices.Count == 0 && any is null)
        {
            return null;
        }
        decimal total = 0;
        if (audioSeconds > 0 && (prices.Max(p => p.PerAudioHour) ?? any?.PerAudioHour) is { } perHour)
        {
            total += (decimal)audioSeconds / 3600m * perHour;
        }
        var tokenPrice = prices.FirstOrDefault(HasTokenPrice) ?? any;
        total += tokensIn * (tokenPrice?.PerMillionInputTokens ?? 0) / 1_000_000m;
        total += tokensOut * (tokenPrice?.PerMillionOutputTokens ?? 0) / 1_000_000m;
        total += characters * ((prices.FirstOrDefault(p => p.PerMillionCharacters is not null) ?? any)?.PerMillionCharacters ?? 0) / 1_000_000m;
        return total;
    }
}

/// <summary>Where the parts of one request's estimate come from (reused from request to request).</summary>
internal sealed class EstimateParts
{
    /// <summary>The cost of the audio.</summary>
    public decimal Audio;

    /// <summary>The index, in the request's models, of the model whose per-hour price priced the audio; -1 for the <c>*</c> price.</summary>
    public int AudioModelIndex = -1;

    /// <summary>The cost of each token detail.</summary>
    public decimal[] Tokens = [];

    /// <summary>The cost of each speech segment.</summary>
    public decimal[] Segments = [];

    public void Reset(int tokens, int segments)
    {
        Audio = 0;
        AudioModelIndex = -1;
        Tokens = Fill(Tokens, tokens);
        Segments = Fill(Segments, segments);
    }

    private static decimal[] Fill(decimal[] array, int count)
    {
        if (array.Length != count)
        {
            return count == 0 ? [] : new decimal[count];
        }
        Array.Clear(array);
        return array;
    }
}

internal sealed class PriceTableDocument
{
    public string? Source { get; set; }
    public string? Currency { get; set; }
    public Dictionary<string, PriceTableEntry?>? Models { get; set; }
}

internal sealed class PriceTableEntry
{
    public decimal? PerMillionInputTokens { get; set; }
    public decimal? PerMillionOutputTokens { get; set; }
    public decimal? PerAudioHour { get; set; }
    public decimal? PerMillionCharacters { get; set; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]

[JsonSerializable(typeof(PriceTableDocument))]
internal sealed partial class PriceTableJsonContext : JsonSerializerContext;
