using System.Globalization;
using System.Text;

namespace UsageSdk.Testing;

/// <summary>
/// Makes realistic request logs from a seed and a clock: several projects and keys, models, tags, methods and
/// endpoints, token and text-to-speech details, cost, durations, an hourly traffic pattern (busier in working hours and
/// on weekdays), failed, pending and lost requests, and callbacks. The same seed, clock and range give the same data.
/// </summary>
internal sealed class FakeDataGenerator
{
    private static readonly double[] HourWeights =
        [0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.8, 2.2, 2.2, 2.2, 2.2, 2.2, 2.2, 2.2, 2.2, 2.2, 2.2, 1.0, 1.0, 1.0, 1.0, 0.5, 0.5];

    private readonly Random _random;
    private int _pending;

    public FakeDataGenerator(int seed) => _random = new Random(seed);

    // ------------------------------------------------------------------ catalog (stable ids, independent of the seed)

    public static IReadOnlyList<FakeModel> Models { get; } =
    [
        new("1abfe86b-e047-4eed-858a-35e5625b41ee", "nova-3", "en", "2025-04-17.21547", Endpoint.Listen),
        new("30089e05-99d1-4376-b32e-c263170674af", "nova-2", "en", "2024-01-09.29447", Endpoint.Listen),
        new("7f3a1c9e-5b2d-4e8f-a6c1-0d9e8b7a6f54", "nova-3-medical", "en", "2025-03-10.18312", Endpoint.Listen),
        new("c5a2e4f1-8d3b-4a6c-9e7f-1b2d3c4e5f60", "whisper-large", "multi", "2023-11-14.3290", Endpoint.Listen),
        new("e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b", "aura-2-thalia-en", "en", "2025-04-15.1", Endpoint.Speak),
        new("f0e1d2c3-b4a5-4697-8889-7a6b5c4d3e2f", "aura-2-orion-en", "en", "2025-04-15.1", Endpoint.Speak),
        new("a9b8c7d6-e5f4-4321-9abc-def012345678", "text-intelligence", "en", "2024-09-01.2", Endpoint.Read),
        new("0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6", "agent-gpt-4o-mini", "en", "2025-06-01.1", Endpoint.Agent),
    ];

    public static FakeModel ModelByName(string name) => Models.First(m => m.Name == name);

    public IReadOnlyList<FakeProject> CreateProjects()
    {
        var projects = new List<FakeProject>
        {
            new(FakeUsageApi.DemoProjectId, "Acme Voice (production)"),
            new("9d3c2b1a-0f4e-4d5c-8b7a-6e5f4d3c2b1a", "Acme Voice (staging)"),
            new("2b7e151a-628a-4ed2-a6ab-f7158809cf4f", "Globex (contract)", isContract: true),
        };
        string[][] keyNames =
        [
            ["web-backend", "batch-transcriber", "voice-agent", "mobile-app"],
            ["ci-tests", "dev-laptop"],
            ["call-center", "analytics-etl", "ivr"],
        ];
        string[][][] tagSets =
        [
            [["prod"], ["prod", "customer:acme"], ["prod", "customer:initech"], ["prod", "tier:premium"]],
            [["dev"], ["ci", "nightly"], []],
            [["contract"], ["contract", "region:eu"], ["contract", "region:us"]],
        ];
        for (var p = 0; p < projects.Count; p++)
        {
            var keys = new List<FakeApiKey>();
            foreach (var name in keyNames[p])
            {
                // Every key gets two or three of the project's tag sets (some keys send no tags at all).
                var sets = tagSets[p].OrderBy(_ => _random.Next()).Take(2 + _random.Next(2)).Select(s => (IReadOnlyList<string>)s).ToList();
                keys.Add(new FakeApiKey(NewGuid(), NewGuid(), name, sets));
            }
            projects[p].ApiKeys = keys;
        }
        return projects;
    }

    // ------------------------------------------------------------------ requests

    /// <summary>Generates requests of one project from <paramref name="from"/> (inclusive) to <paramref name="now"/> (exclusive), oldest first.</summary>
    public List<UsageRequest> Generate(FakeProject project, double requestsPerDay, DateTimeOffset from, DateTimeOffset now)
    {
        var list = new List<UsageRequest>();
        if (project.ApiKeys.Count == 0 || requestsPerDay <= 0)
        {
            return list;
        }
        var weightSum = HourWeights.Sum();
        for (var hour = new DateTimeOffset(from.UtcDateTime.Date.AddHours(from.UtcDateTime.Hour), TimeSpan.Zero); hour < now; hour = hour.AddHours(1))
        {
            var weekend = hour.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
            var lambda = requestsPerDay * HourWeights[hour.Hour] / weightSum * (weekend ? 0.45 : 1.15);
            var count = Poisson(lambda);
            var times = new List<DateTimeOffset>(count);
            for (var i = 0; i < count; i++)
            {
                // Microsecond precision, like the API.
                var micros = (long)(_random.NextDouble() * 3_600_000_000L);
                var t = hour.AddTicks(micros * 10);
                if (t >= from && t < now)
                {
                    times.Add(t);
                }
            }
            times.Sort();
            foreach (var t in times)
            {
                list.Add(CreateRequest(project, t, now));
            }
        }
        return list;
    }

    private UsageRequest CreateRequest(FakeProject project, DateTimeOffset created, DateTimeOffset now)
    {
        var key = project.ApiKeys[WeightedIndex(project.ApiKeys.Count)];
        var tags = key.TagSets.Count == 0 ? [] : key.TagSets[_random.Next(key.TagSets.Count)];
        var endpointRoll = _random.NextDouble();
        var endpoint = key.Name is "voice-agent" or "ivr" ? (endpointRoll < 0.7 ? Endpoint.Agent : Endpoint.Listen)
            : key.Name is "analytics-etl" ? (endpointRoll < 0.6 ? Endpoint.Read : Endpoint.Listen)
            : endpointRoll < 0.64 ? Endpoint.Listen : endpointRoll < 0.80 ? Endpoint.Speak : endpointRoll < 0.92 ? Endpoint.Read : Endpoint.Agent;
        var deploymentRoll = _random.NextDouble();
        var deployment = deploymentRoll < 0.95 ? Deployment.Hosted : deploymentRoll < 0.98 ? Deployment.Beta : Deployment.SelfHosted;
        var requestId = NewGuid();
        var age = now - created;

        var shape = BuildShape(endpoint, project.IsContract);
        var path = shape.Path;
        RequestCallback? callback = shape.Method == ProcessingMethod.Async
            ? UsageModelFactory.RequestCallback(attempts: _random.NextDouble() < 0.05 ? 3 : 1, code: _random.NextDouble() < 0.03 ? 500 : 200, completed: Micro(created.AddSeconds(shape.ProcessingSeconds + 1.5)))
            : null;

        // Pending: the request is still running, or finished less than a few minutes ago and is not logged yet.
        // Its response is {} or null, alternately.
        var completed = Micro(created.AddSeconds(shape.ProcessingSeconds));
        if (completed.AddSeconds(30 + _random.Next(300)) > now)
        {
            var empty = _pending++ % 2 == 0;
            return UsageModelFactory.UsageRequest(requestId, project.ProjectId, created, path, key.ApiKeyId, key.Accessor, deployment,
                code: null, response: empty ? UsageModelFactory.RequestResponse() : null, callback: null, now: now);
        }
        // Lost: a few old requests whose outcome was never logged.
        if (age > TimeSpan.FromDays(1) && _random.NextDouble() < 0.004)
        {
            return UsageModelFactory.UsageRequest(requestId, project.ProjectId, created, path, key.ApiKeyId, key.Accessor, deployment,
                code: null, response: null, callback: null, now: now);
        }
        // Failed: about 3 % of requests.
        var failRoll = _random.NextDouble();
        if (failRoll < 0.03)
        {
            var (code, message) = (failRoll * 100) switch
            {
                < 1.2 => (400, "Bad Request: failed to process audio: corrupt or unsupported data"),
                < 1.6 => (402, "Insufficient credits: add funds to the project's balance"),
                < 2.0 => (408, "Request timeout: the audio source did not respond in time"),
                < 2.3 => (413, "Payload too large: the audio exceeds 2 GB"),
                _ => (500, "Internal server error: please retry the request"),
            };
            var failedResponse = UsageModelFactory.RequestResponse(code: code, completed: completed, message: message);
            return UsageModelFactory.UsageRequest(requestId, project.ProjectId, created, path, key.ApiKeyId, key.Accessor, deployment,
                code: code, response: failedResponse, callback: callback, now: now);
        }

        var details = UsageModelFactory.RequestDetails(
            usd: shape.Usd, duration: shape.Duration, totalAudio: shape.TotalAudio, channels: shape.Channels, streams: shape.Channels is null ? null : 1,
            models: shape.Models, method: shape.Method, tags: tags, features: shape.Features, configJson: shape.ConfigJson);
        var response = UsageModelFactory.RequestResponse(details, code: 200, completed: completed, tokenDetails: shape.Tokens, ttsDetails: shape.Tts);
        return UsageModelFactory.UsageRequest(requestId, project.ProjectId, created, path, key.ApiKeyId, key.Accessor, deployment,
            code: 200, response: response, callback: callback, now: now);
    }

    private sealed class Shape
    {
        public string Path = "";
        public ProcessingMethod Method;
        public double? Duration;
        public double? TotalAudio;
        public int? Channels;
        public decimal? Usd;
        public List<string> Models = [];
        public List<string> Features = [];
        public string ConfigJson = "{}";
        public List<TokenDetail>? Tokens;
        public TtsDetails? Tts;
        public double ProcessingSeconds = 1;
    }

    private Shape BuildShape(Endpoint endpoint, bool contract)
    {
        var s = new Shape();
        var config = new List<(string Key, string Json)>();
        decimal usd;
        if (endpoint == Endpoint.Listen)
        {
            var roll = _random.NextDouble();
            var model = roll < 0.6 ? ModelByName("nova-3") : roll < 0.85 ? ModelByName("nova-2") : roll < 0.93 ? ModelByName("nova-3-medical") : ModelByName("whisper-large");
            var mRoll = _random.NextDouble();
            s.Method = mRoll < 0.45 ? ProcessingMethod.Sync : mRoll < 0.6 ? ProcessingMethod.Async : ProcessingMethod.Streaming;
            var mean = s.Method == ProcessingMethod.Sync ? 95.0 : s.Method == ProcessingMethod.Async ? 840.0 : 420.0;
            s.Duration = Math.Round(Math.Clamp(Exponential(mean), 1.5, 7200), 6);
            s.Channels = _random.NextDouble() < 0.12 ? 2 : 1;
            s.TotalAudio = Math.Round(s.Duration.Value * s.Channels.Value, 6);
            s.Models.Add(model.ModelId);
            config.Add(("model", Json(model.Name)));
            config.Add(("language", Json(model.Language == "multi" ? "multi" : "en")));
            foreach (var (feature, p) in ListenFeatures)
            {
                if (_random.NextDouble() < p)
                {
                    s.Features.Add(feature);
                    config.Add(feature switch
                    {
                        "keywords" => ("keywords", "[\"Acme:2\",\"invoice\"]"),
                        "redact" => ("redact", "[\"pci\",\"ssn\"]"),
                        "summarize" => ("summarize", "\"v2\""),
                        // The API has been seen to send some booleans as strings.
                        "topics" => ("detect_topics", "\"true\""),
                        _ => (feature, "true"),
                    });
                }
            }
            if (s.Channels == 2)
            {
                s.Features.Add("multichannel");
                config.Add(("multichannel", "true"));
            }
            var perMinute = model.Name switch
            {
                "whisper-large" => 0.0048m,
                "nova-3-medical" => 0.0077m,
                _ => s.Method == ProcessingMethod.Streaming ? 0.0077m : 0.0043m,
            };
            if (s.Features.Contains("diarize"))
            {
                perMinute += 0.0020m;
            }
            usd = perMinute * (decimal)s.TotalAudio.Value / 60m;
            if (s.Features.Contains("summarize") || s.Features.Contains("topics"))
            {
                s.Tokens = [UsageModelFactory.TokenDetail(s.Features.Contains("summarize") ? "summarization" : "topics", 400 + _random.Next(6000), 40 + _random.Next(400), "text-intelligence")];
            }
            if (s.Method == ProcessingMethod.Async)
            {
                config.Add(("callback", Json("https://hooks.acme.example/deepgram")));
            }
            s.Path = "/v1/listen?" + string.Join("&", config.Where(c => c.Key is "model" or "smart_format" or "diarize" or "punctuate" or "callback")
                .Select(c => c.Key + "=" + Uri.EscapeDataString(c.Json.Trim('"'))));
            s.ProcessingSeconds = s.Method == ProcessingMethod.Streaming ? s.Duration.Value + 0.4 : 0.5 + s.Duration.Value / 120;
        }
        else if (endpoint == Endpoint.Speak)
        {
            var model = _random.NextDouble() < 0.7 ? ModelByName("aura-2-thalia-en") : ModelByName("aura-2-orion-en");
            s.Method = _random.NextDouble() < 0.8 ? ProcessingMethod.Sync : ProcessingMethod.Streaming;
            var segments = new List<SpeechSegment>();
            var n = 1 + _random.Next(3);
            for (var i = 0; i < n; i++)
            {
                segments.Add(UsageModelFactory.SpeechSegment(40 + _random.Next(1400), model.Name, "aura-2"));
            }
            var chars = segments.Sum(x => x.Characters ?? 0);
            s.Tts = UsageModelFactory.TtsDetails(Math.Round(chars / 15.0, 3), segments);
            s.Models.Add(model.ModelId);
            config.Add(("model", Json(model.Name)));
            config.Add(("encoding", Json("linear16")));
            s.Path = "/v1/speak?model=" + model.Name + "&encoding=linear16";
            usd = chars * 0.000030m;
            s.ProcessingSeconds = 0.2 + chars / 2000.0;
        }
        else if (endpoint == Endpoint.Read)
        {
            var model = ModelByName("text-intelligence");
            s.Method = ProcessingMethod.Sync;
            s.Models.Add(model.ModelId);
            config.Add(("language", Json("en")));
            var tokens = new List<TokenDetail>();
            foreach (var (feature, tokenFeature) in (ReadOnlySpan<(string, string)>)[("summarize", "summarization"), ("topics", "topics"), ("intents", "intents"), ("sentiment", "sentiment")])
            {
                if (_random.NextDouble() < 0.5 || (tokens.Count == 0 && feature == "sentiment"))
                {
                    s.Features.Add(feature);
                    config.Add((feature, feature == "summarize" ? "\"v2\"" : "true"));
                    tokens.Add(UsageModelFactory.TokenDetail(tokenFeature, 300 + _random.Next(9000), 30 + _random.Next(700), model.Name));
                }
            }
            s.Tokens = tokens;
            s.Path = "/v1/read?" + string.Join("&", s.Features.Select(f => f + (f == "summarize" ? "=v2" : "=true"))) + "&language=en";
            var tin = tokens.Sum(t => t.Input ?? 0);
            var tout = tokens.Sum(t => t.Output ?? 0);
            usd = tin * 0.0000006m + tout * 0.0000024m;
            s.ProcessingSeconds = 0.8 + (tin + tout) / 4000.0;
        }
        else
        {
            var model = ModelByName("agent-gpt-4o-mini");
            s.Method = ProcessingMethod.Streaming;
            s.Duration = Math.Round(Math.Clamp(Exponential(240), 8, 3600), 6);
            s.Channels = 1;
            s.TotalAudio = s.Duration;
            s.Models.Add(ModelByName("nova-3").ModelId);
            s.Models.Add(ModelByName("aura-2-thalia-en").ModelId);
            s.Models.Add(model.ModelId);
            config.Add(("model", Json(model.Name)));
            var turns = 2 + _random.Next(30);
            s.Tokens = [UsageModelFactory.TokenDetail("agent", turns * (200 + _random.Next(400)), turns * (30 + _random.Next(120)), "gpt-4o-mini")];
            s.Path = "/v1/agent/converse";
            usd = 0.08m * (decimal)s.Duration.Value / 60m;
            s.ProcessingSeconds = s.Duration.Value + 0.3;
        }
        s.Usd = contract ? (_random.NextDouble() < 0.15 ? 0m : null) : Math.Round(usd, 6);
        s.ConfigJson = "{" + string.Join(",", config.Select(c => Json(c.Key) + ":" + c.Json)) + "}";
        return s;
    }

    private static readonly (string Feature, double P)[] ListenFeatures =
    [
        ("punctuate", 0.7), ("smart_format", 0.6), ("diarize", 0.35), ("utterances", 0.2), ("paragraphs", 0.15),
        ("detect_language", 0.1), ("numerals", 0.1), ("keywords", 0.08), ("redact", 0.05), ("filler_words", 0.05),
        ("summarize", 0.05), ("topics", 0.04), ("intents", 0.03), ("sentiment", 0.03), ("profanity_filter", 0.03),
    ];

    // ------------------------------------------------------------------ helpers

    public string NewGuid()
    {
        Span<byte> b = stackalloc byte[16];
        _random.NextBytes(b);
        b[7] = (byte)((b[7] & 0x0F) | 0x40); // version 4 (Guid's little-endian field layout)
        b[8] = (byte)((b[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(b).ToString("D");
    }

    /// <summary>Drops sub-microsecond ticks: the wire carries microseconds.</summary>
    private static DateTimeOffset Micro(DateTimeOffset t) => new(t.UtcTicks - (t.UtcTicks % 10), TimeSpan.Zero);

    private int Poisson(double lambda)
    {
        if (lambda <= 0)
        {
            return 0;
        }
        if (lambda > 60)
        {
            // Normal approximation for large rates.
            var u1 = 1.0 - _random.NextDouble();
            var u2 = _random.NextDouble();
            var z = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
            return Math.Max(0, (int)Math.Round(lambda + (z * Math.Sqrt(lambda))));
        }
        var l = Math.Exp(-lambda);
        var k = 0;
        var p = 1.0;
        do
        {
            k++;
            p *= _random.NextDouble();
        }
        while (p > l);
        return k - 1;
    }

    private double Exponential(double mean) => -mean * Math.Log(1.0 - _random.NextDouble());

    /// <summary>Picks an index with weights 1, 1/2, 1/3, … (the first keys are the busiest).</summary>
    private int WeightedIndex(int count)
    {
        var total = 0.0;
        for (var i = 1; i <= count; i++)
        {
            total += 1.0 / i;
        }
        var roll = _random.NextDouble() * total;
        for (var i = 1; i <= count; i++)
        {
            roll -= 1.0 / i;
            if (roll <= 0)
            {
                return i - 1;
            }
        }
        return count - 1;
    }

    private static string Json(string s)
    {
        var sb = new StringBuilder(s.Length + 2).Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"':
                    sb.Append("\\\"");
                    break;
                case '\\':
                    sb.Append("\\\\");
                    break;
                default:
                    if (c < 0x20)
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }
                    break;
            }
        }
        return sb.Append('"').ToString();
    }
}
