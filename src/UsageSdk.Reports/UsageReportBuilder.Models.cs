using System.Runtime.CompilerServices;
using UsageSdk.Reports.Internal;

namespace UsageSdk.Reports;

/// <summary>
/// Per-model attribution: what of one request goes to which model's row, so that the per-model rows add up to the
/// totals (see <see cref="UsageReport.ByModel"/>).
/// </summary>
public sealed partial class UsageReportBuilder
{
    private readonly List<ModelShare> _shares = [];
    private readonly List<int> _tokenShare = [];
    private readonly List<int> _segmentShare = [];
    private readonly EstimateParts _parts = new();
    private Dictionary<string, string>? _modelIdByName;
    private decimal _unsplitModelUsd;
    private long _unsplitModelRequests;
    private bool _modelRequestsOverlap, _modelErrorsOverlap, _modelBreakdownOverlaps, _tagsOverlap;

    /// <summary>The part of one request that goes to one model's row.</summary>
    private struct ModelShare
    {
        public string? Key;
        public long TokensIn, TokensOut, Characters;
        public bool HasTokens, IsSpeech;
        public double AudioSeconds;
        public long AudioMicros;
        public decimal Estimate, Usd;
    }

    /// <summary>Model id by each of its names (see <see cref="UsageNames.ModelIdsByName"/>).</summary>
    private Dictionary<string, string> ModelIdByName() => _modelIdByName ??= _options.Names.ModelIdsByName();

    /// <summary>
    /// Adds a request to the model rows. Tokens go to the model their token detail names, text-to-speech characters
    /// to the model their speech segment names, audio to the speech-to-text model, and the cost is split by the price
    /// table; see <see cref="UsageReport.ByModel"/> for the rules.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AddToModels(UsageRequest request, in RequestFacts facts)
        => AddToModels(request.Response?.Details?.Models ?? [], new RequestParts(request), facts);

    /// <summary>
    /// Adds the figures of a request (or of a roll-up: its parts are then the sums of its requests' parts) to the model
    /// rows; see the overload above.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AddToModels<TParts>(IReadOnlyList<string> models, in TParts parts, in RequestFacts facts)
        where TParts : struct, IUsageParts
    {
        var map = Group(UsageReportDimension.Model);

        // Fast paths: one model (or none), and nothing that names another one.
        if (parts.TokenCount == 0 && parts.SegmentCount == 0 && models.Count <= 1)
        {
            var key = models.Count == 1 ? NullIfEmpty(models[0]) : null;
            map.Get(key ?? AskedModel(parts)).Add(facts);
            return;
        }
        if (models.Count == 1 && NullIfEmpty(models[0]) is { } only && OnlyThisModel(only, parts))
        {
            map.Get(only).Add(facts);
            return;
        }

        _shares.Clear();
        for (var m = 0; m < models.Count; m++)
        {
            if (!string.IsNullOrEmpty(models[m]) && IndexOf(models[m]) < 0)
            {
                _shares.Add(new ModelShare { Key = models[m] });
            }
        }
        if (_shares.Count == 0 && AskedModel(parts) is { } asked)
        {
            _shares.Add(new ModelShare { Key = asked });
        }
        var own = _shares.Count;

        _tokenShare.Clear();
        for (var k = 0; k < parts.TokenCount; k++)
        {
            var i = Resolve(parts.TokenModel(k), own, parts);
            var s = _shares[i];
            s.TokensIn += parts.TokenInput(k) ?? 0;
            s.TokensOut += parts.TokenOutput(k) ?? 0;
            s.HasTokens = true;
            _shares[i] = s;
            _tokenShare.Add(i);
        }
        _segmentShare.Clear();
        for (var k = 0; k < parts.SegmentCount; k++)
        {
            var i = Resolve(parts.SegmentModel(k), own, parts);
            var s = _shares[i];
            s.Characters += parts.SegmentCharacters(k) ?? 0;
            s.IsSpeech = true;
            _shares[i] = s;
            _segmentShare.Add(i);
        }
        if (facts.AudioSeconds > 0)
        {
            var i = SpeechToTextModel(own);
            var s = _shares[i];
            s.AudioSeconds += facts.AudioSeconds;
            s.AudioMicros += facts.AudioMicros;
            _shares[i] = s;
        }
        if (_shares.Count == 0)
        {
            map.Get(null).Add(facts);
            return;
        }
        if (_shares.Count == 1)
        {
            map.Get(_shares[0].Key).Add(facts);
            return;
        }

        _modelRequestsOverlap = true;
        if (facts.State == RequestLogState.Error)
        {
            _modelErrorsOverlap = true;
        }
        var prices = _options.Prices;
        var split = false;
        if (prices is not null && (facts.Estimate is not null || facts.Usd is { } u && u != 0))
        {
            prices.Estimate(models, parts, facts.AudioSeconds, _options.Names, _parts);
            for (var t = 0; t < _tokenShare.Count; t++)
            {
                AddEstimate(_tokenShare[t], _parts.Tokens[t]);
            }
            for (var g = 0; g < _segmentShare.Count; g++)
            {
                AddEstimate(_segmentShare[g], _parts.Segments[g]);
            }
            if (_parts.Audio != 0)
            {
                // The audio's cost goes to the model whose per-hour price priced it (a voice agent's agent model), else
                // to the model that has the audio.
                var i = _parts.AudioModelIndex >= 0 ? IndexOf(models[_parts.AudioModelIndex]) : -1;
                AddEstimate(i >= 0 ? i : SpeechToTextModel(own), _parts.Audio);
            }
        }
        if (facts.Usd is { } usd)
        {
            split = usd == 0 || SplitByEstimate(usd);
            if (!split)
            {
                _unsplitModelUsd += usd;
                _unsplitModelRequests += facts.Requests;
            }
        }
        foreach (var s in _shares)
        {
            var acc = map.Get(s.Key);
            acc.Add(new RequestFacts
            {
                Requests = facts.Requests,
                TokensIn = s.TokensIn,
                TokensOut = s.TokensOut,
                HasTokens = s.HasTokens,
                AudioSeconds = s.AudioSeconds,
                AudioMicros = s.AudioMicros,
                TtsCharacters = s.Characters,
                Usd = facts.Usd is { } billed ? (split ? s.Usd : billed) : null,
                Estimate = facts.Estimate is null ? null : s.Estimate,
                State = facts.State,
            });
            if (!split && facts.Usd is { } whole)
            {
                acc.UnsplitUsd += whole;
            }
        }
    }

    /// <summary>
    /// True when every token detail and speech segment of a one-model request stays with that model: it names no
    /// model, names it (by id or name), or names one no other id is known by (see <see cref="Resolve"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool OnlyThisModel<TParts>(string model, in TParts parts)
        where TParts : struct, IUsageParts
    {
        for (var i = 0; i < parts.TokenCount; i++)
        {
            if (!Stays(model, parts.TokenModel(i)))
            {
                return false;
            }
        }
        for (var i = 0; i < parts.SegmentCount; i++)
        {
            if (!Stays(model, parts.SegmentModel(i)))
            {
                return false;
            }
        }
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Stays(string model, string? named)
    {
        if (string.IsNullOrEmpty(named) || string.Equals(named, model, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        if (!ModelIdByName().TryGetValue(named, out var id))
        {
            return true; // a name no id is known by stays with the request's only model
        }
        return string.Equals(id, model, StringComparison.OrdinalIgnoreCase) || _options.Names.IsModelName(model, named);
    }

    private void AddEstimate(int share, decimal amount)
    {
        var s = _shares[share];
        s.Estimate += amount;
        _shares[share] = s;
    }

    /// <summary>Splits a billed amount in proportion to the estimate of each share; false when nothing is priced.</summary>
    private bool SplitByEstimate(decimal usd)
    {
        decimal sum = 0;
        var largest = -1;
        for (var i = 0; i < _shares.Count; i++)
        {
            var e = _shares[i].Estimate;
            sum += e;
            if (e > 0 && (largest < 0 || e > _shares[largest].Estimate))
            {
                largest = i;
            }
        }
        if (sum <= 0 || largest < 0)
        {
            return false;
        }
        decimal given = 0;
        for (var i = 0; i < _shares.Count; i++)
        {
            if (i == largest)
            {
                continue;
            }
            var s = _shares[i];
            s.Usd = s.Estimate <= 0 ? 0 : decimal.Round(usd * (s.Estimate / sum), 12, MidpointRounding.ToEven);
            given += s.Usd;
            _shares[i] = s;
        }
        var rest = _shares[largest];
        rest.Usd = usd - given; // the remainder, so the parts add up to the request's usd exactly
        _shares[largest] = rest;
        return true;
    }

    private int IndexOf(string? key)
    {
        for (var i = 0; i < _shares.Count; i++)
        {
            if (string.Equals(_shares[i].Key, key, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }
        return -1;
    }

    private int AddShare(string? key)
    {
        var i = IndexOf(key);
        if (i >= 0)
        {
            return i;
        }
        _shares.Add(new ModelShare { Key = key });
        return _shares.Count - 1;
    }

    /// <summary>
    /// The share a token detail's or speech segment's model names: one of the request's models (by id, or by name
    /// through <see cref="UsageNames.Models"/>), else the id that name is known by, else the request's only model,
    /// else the one of its models it asked for, else a row of its own named as the wire names it.
    /// </summary>
    private int Resolve<TParts>(string? model, int own, in TParts parts)
        where TParts : struct, IUsageParts
    {
        if (string.IsNullOrEmpty(model))
        {
            return Primary(own, parts);
        }
        var i = IndexOf(model);
        if (i >= 0)
        {
            return i;
        }
        for (var j = 0; j < own; j++)
        {
            if (_options.Names.IsModelName(_shares[j].Key, model))
            {
                return j;
            }
        }
        if (ModelIdByName().TryGetValue(model, out var id))
        {
            return AddShare(id);
        }
        if (own == 1)
        {
            return 0;
        }
        if (own > 1 && AskedModel(parts) is { } asked && IndexOf(asked) is var a && a >= 0 && a < own)
        {
            return a; // a voice agent's LLM tokens go to the agent model it asked for
        }
        return AddShare(model);
    }

    /// <summary>The model a part without a model belongs to: the one the request asked for, else its first, else none.</summary>
    private int Primary<TParts>(int own, in TParts parts)
        where TParts : struct, IUsageParts
    {
        if (own == 0)
        {
            return AddShare(AskedModel(parts));
        }
        if (own > 1 && AskedModel(parts) is { } asked)
        {
            var i = IndexOf(asked);
            if (i >= 0 && i < own)
            {
                return i;
            }
        }
        return 0;
    }

    /// <summary>
    /// The model the audio goes to: the first of the request's models that is not a text-to-speech model (one its
    /// speech segments name, an <c>aura</c> model, or one the price table prices only per character); else its first.
    /// </summary>
    private int SpeechToTextModel(int own)
    {
        if (own == 0)
        {
            return _shares.Count > 0 ? 0 : AddShare(null);
        }
        for (var i = 0; i < own; i++)
        {
            if (!IsTextToSpeech(_shares[i]))
            {
                return i;
            }
        }
        return 0;
    }

    private bool IsTextToSpeech(in ModelShare share)
    {
        if (share.IsSpeech)
        {
            return true;
        }
        if ((share.Key ?? "").StartsWith("aura", StringComparison.OrdinalIgnoreCase)
            || _options.Names.ModelNamesOf(share.Key).Any(n => n.StartsWith("aura", StringComparison.OrdinalIgnoreCase)))
        {
            return true;
        }
        return _options.Prices?.PriceOf(share.Key, _options.Names) is { PerMillionCharacters: not null, PerAudioHour: null, PerMillionInputTokens: null, PerMillionOutputTokens: null };
    }

    /// <summary>
    /// The model a request asked for, as its model row's key: <c>config.model</c>, else the <c>model=</c> of its
    /// request path; the id when <see cref="UsageNames.Models"/> knows the name, else the name. Null when neither says.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private string? AskedModel<TParts>(in TParts parts)
        where TParts : struct, IUsageParts
    {
        var asked = parts.AskedModel();
        if (asked is null)
        {
            return null;
        }
        return ModelIdByName().TryGetValue(asked, out var id) ? id : asked;
    }

    /// <summary>The first <c>model=</c> value of a request path's query, decoded; null when there is none.</summary>
    /// <remarks>
    /// Read on spans: it runs for every request without models (failed and pending ones), and splitting the query
    /// allocated about 700 bytes per such request. Only the value is a new string.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static string? ModelOfPath(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }
        var q = path.IndexOf('?', StringComparison.Ordinal);
        if (q < 0)
        {
            return null;
        }
        var query = path.AsSpan(q + 1);
        var hash = query.IndexOf('#');
        if (hash >= 0)
        {
            query = query[..hash];
        }
        while (true)
        {
            var amp = query.IndexOf('&');
            var pair = amp < 0 ? query : query[..amp];
            if (pair.StartsWith("model=", StringComparison.OrdinalIgnoreCase))
            {
                var raw = pair["model=".Length..];
                var value = raw.ToString();
                if (raw.IndexOfAny('+', '%') >= 0)
                {
                    value = value.Replace('+', ' ');
                    try
                    {
                        value = Uri.UnescapeDataString(value);
                    }
                    catch (UriFormatException)
                    {
                        // keep it as sent
                    }
                }
                return NullIfEmpty(value.Trim());
            }
            if (amp < 0)
            {
                return null;
            }
            query = query[(amp + 1)..];
        }
    }
}
