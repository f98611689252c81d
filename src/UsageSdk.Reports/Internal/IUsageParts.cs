namespace UsageSdk.Reports.Internal;

/// <summary>
/// The priced parts of one request, or of a roll-up of requests of one shape: its token details (model, input, output)
/// and speech segments (model, characters). Implemented by structs, so the price table and the per-model attribution
/// read a request's lists and a roll-up's sums through one generic code path at no cost.
/// </summary>
internal interface IUsageParts
{
    int TokenCount { get; }

    string? TokenModel(int index);

    long? TokenInput(int index);

    long? TokenOutput(int index);

    int SegmentCount { get; }

    string? SegmentModel(int index);

    long? SegmentCharacters(int index);

    /// <summary>The model the request asked for as the wire says it (<c>config.model</c>, else the path's <c>model=</c>), before names are mapped.</summary>
    string? AskedModel();
}

/// <summary>The parts of one request log.</summary>
internal readonly struct RequestParts(UsageRequest request) : IUsageParts
{
    private readonly IReadOnlyList<TokenDetail> _tokens = request.Response?.TokenDetails ?? [];
    private readonly IReadOnlyList<SpeechSegment> _segments = request.Response?.TtsDetails?.SpeechSegments ?? [];

    public int TokenCount => _tokens.Count;

    public string? TokenModel(int index) => _tokens[index].Model;

    public long? TokenInput(int index) => _tokens[index].Input;

    public long? TokenOutput(int index) => _tokens[index].Output;

    public int SegmentCount => _segments.Count;

    public string? SegmentModel(int index) => _segments[index].Model;

    public long? SegmentCharacters(int index) => _segments[index].Characters;

    public string? AskedModel()
        => (request.Response?.Details?.GetConfigString("model") is { Length: > 0 } m ? m : null) ?? UsageReportBuilder.ModelOfPath(request.Path);
}

/// <summary>The parts of a roll-up: one per distinct token model and voice of its shape, with the sums of its requests.</summary>
internal readonly struct RollupParts(RollupShape shape, RollupFigures figures) : IUsageParts
{
    public int TokenCount => shape.TokenModels.Length;

    public string? TokenModel(int index) => shape.TokenModels[index];

    public long? TokenInput(int index) => figures.Parts is { } p ? p[2 * index] : figures.TokensIn;

    public long? TokenOutput(int index) => figures.Parts is { } p ? p[(2 * index) + 1] : figures.TokensOut;

    public int SegmentCount => shape.SpeechModels.Length;

    public string? SegmentModel(int index) => shape.SpeechModels[index];

    public long? SegmentCharacters(int index) => figures.Parts is { } p ? p[(2 * shape.TokenModels.Length) + index] : figures.TtsCharacters;

    public string? AskedModel() => shape.RequestedModel;
}
