using System.Text;
using System.Text.Json;
using UsageSdk.Internal;

namespace UsageSdk;

/// <summary>Builds the output models for users' tests and mocks (their setters are not public).</summary>
public static class UsageModelFactory
{
    /// <summary>Builds a request log. <see cref="UsageRequest.State"/> is derived from the values with the default <see cref="RequestLogStateOptions"/> at <paramref name="now"/> (or the creation time).</summary>
    public static UsageRequest UsageRequest(
        string? requestId = null, string? projectId = null, DateTimeOffset created = default, string? path = null,
        string? apiKeyId = null, string? accessor = null, Deployment? deployment = null, int? code = null,
        RequestResponse? response = null, RequestCallback? callback = null, DateTimeOffset? now = null)
    {
        var r = new UsageRequest
        {
            RequestId = requestId,
            ProjectId = projectId,
            Created = created,
            Path = path,
            ApiKeyId = apiKeyId,
            Accessor = accessor,
            Deployment = deployment,
            Code = code,
            Response = response,
            Callback = callback,
        };
        r.State = new RequestLogStateOptions().Derive(r, now ?? created);
        return r;
    }

    /// <summary>Builds the <c>response</c> of a request log.</summary>
    public static RequestResponse RequestResponse(
        RequestDetails? details = null, int? code = null, DateTimeOffset? completed = null, string? message = null,
        IEnumerable<TokenDetail>? tokenDetails = null, TtsDetails? ttsDetails = null)
        => new()
        {
            Details = details,
            Code = code,
            Completed = completed,
            Message = message,
            TokenDetails = tokenDetails?.ToList() ?? [],
            TtsDetails = ttsDetails,
        };

    /// <summary>Builds the <c>response.details</c> of a request log. <paramref name="configJson"/> is a JSON object, for example <c>{"diarize":true}</c>.</summary>
    public static RequestDetails RequestDetails(
        decimal? usd = null, double? duration = null, double? totalAudio = null, int? channels = null, int? streams = null,
        IEnumerable<string>? models = null, ProcessingMethod? method = null, IEnumerable<string>? tags = null,
        IEnumerable<string>? features = null, string? configJson = null, string? tier = null)
    {
        if (configJson is not null)
        {
            using var doc = JsonDocument.Parse(configJson); // validates
        }
        return new()
        {
            Usd = usd,
            Duration = duration,
            TotalAudio = totalAudio,
            Channels = channels,
            Streams = streams,
            Models = models?.ToList() ?? [],
            Method = method,
            Tags = tags?.ToList() ?? [],
            Features = features?.ToList() ?? [],
            ConfigJson = configJson is null ? null : new RawJson(Encoding.UTF8.GetBytes(configJson)),
            Tier = tier,
        };
    }

    /// <summary>Builds a token count.</summary>
    public static TokenDetail TokenDetail(string? feature = null, long? input = null, long? output = null, string? model = null)
        => new() { Feature = feature, Input = input, Output = output, Model = model };

    /// <summary>Builds text-to-speech details.</summary>
    public static TtsDetails TtsDetails(double? duration = null, IEnumerable<SpeechSegment>? speechSegments = null)
        => new() { Duration = duration, SpeechSegments = speechSegments?.ToList() ?? [] };

    /// <summary>Builds a speech segment.</summary>
    public static SpeechSegment SpeechSegment(int? characters = null, string? model = null, string? tier = null)
        => new() { Characters = characters, Model = model, Tier = tier };

    /// <summary>Builds a callback.</summary>
    public static RequestCallback RequestCallback(string? url = null, int? attempts = null, int? code = null, DateTimeOffset? completed = null)
        => new() { Url = url, Attempts = attempts, Code = code, Completed = completed };

    /// <summary>Builds a usage summary.</summary>
    public static UsageSummary UsageSummary(DateOnly? start = null, DateOnly? end = null, UsageResolution? resolution = null, IEnumerable<UsageSummaryResult>? results = null)
        => new() { Start = start, End = end, Resolution = resolution, Results = results?.ToList() ?? [] };

    /// <summary>Builds a resolution.</summary>
    public static UsageResolution UsageResolution(string? units = "day", int? amount = 1) => new() { Units = units, Amount = amount };

    /// <summary>Builds a summary bucket.</summary>
    public static UsageSummaryResult UsageSummaryResult(DateOnly? start = null, DateOnly? end = null, double hours = 0, double totalHours = 0, long? requests = null, UsageTokens? tokens = null, UsageTts? tts = null)
        => new() { Start = start, End = end, Hours = hours, TotalHours = totalHours, Requests = requests, Tokens = tokens, Tts = tts };

    /// <summary>Builds token totals.</summary>
    public static UsageTokens UsageTokens(long? @in = null, long? @out = null) => new() { In = @in, Out = @out };

    /// <summary>Builds text-to-speech totals.</summary>
    public static UsageTts UsageTts(long? characters = null, long? requests = null) => new() { Characters = characters, Requests = requests };

    /// <summary>Builds a usage breakdown.</summary>
    public static UsageBreakdown UsageBreakdown(DateOnly? start = null, DateOnly? end = null, UsageResolution? resolution = null, IEnumerable<UsageBreakdownResult>? results = null)
        => new() { Start = start, End = end, Resolution = resolution, Results = results?.ToList() ?? [] };

    /// <summary>Builds a breakdown entry.</summary>
    public static UsageBreakdownResult UsageBreakdownResult(double hours = 0, double totalHours = 0, double agentHours = 0, long? tokensIn = null, long? tokensOut = null, long? ttsCharacters = null, long? requests = null, UsageBreakdownGrouping? grouping = null)
        => new() { Hours = hours, TotalHours = totalHours, AgentHours = agentHours, TokensIn = tokensIn, TokensOut = tokensOut, TtsCharacters = ttsCharacters, Requests = requests, Grouping = grouping };

    /// <summary>Builds a breakdown group key.</summary>
    public static UsageBreakdownGrouping UsageBreakdownGrouping(DateOnly? start = null, DateOnly? end = null, string? accessor = null, string? endpoint = null, string? featureSet = null, IEnumerable<string?>? models = null, string? method = null, IEnumerable<string>? tags = null, string? deployment = null)
        => new() { Start = start, End = end, Accessor = accessor, Endpoint = endpoint, FeatureSet = featureSet, Models = models?.ToList() ?? [], Method = method, Tags = tags?.ToList(), Deployment = deployment };

    /// <summary>Builds the usage fields.</summary>
    public static UsageFields UsageFields(IEnumerable<string>? tags = null, IEnumerable<UsageFieldModel>? models = null, IEnumerable<string>? processingMethods = null, IEnumerable<string>? languages = null, IEnumerable<string>? features = null)
        => new() { Tags = tags?.ToList() ?? [], Models = models?.ToList() ?? [], ProcessingMethods = processingMethods?.ToList() ?? [], Languages = languages?.ToList() ?? [], Features = features?.ToList() ?? [] };

    /// <summary>Builds a model of the usage fields.</summary>
    public static UsageFieldModel UsageFieldModel(string? name = null, string? language = null, string? version = null, string? modelId = null)
        => new() { Name = name, Language = language, Version = version, ModelId = modelId };

    // ---------------------------------------------------------------- the cost half: projects, keys, models, billing, balances

    /// <summary>Builds a project.</summary>
    public static UsageProject UsageProject(string? projectId = null, string? name = null)
        => new() { ProjectId = projectId, Name = name };

    /// <summary>Builds an API key of a project (never with a secret: the model has no place for one).</summary>
    public static ProjectKey ProjectKey(
        string? apiKeyId = null, string? comment = null, IEnumerable<string>? scopes = null, DateTimeOffset? created = null,
        string? memberId = null, string? memberEmail = null, IEnumerable<string>? tags = null, DateTimeOffset? expirationDate = null)
        => new()
        {
            KeyPart = new ProjectKeyDetails { ApiKeyId = apiKeyId, Comment = comment, Scopes = scopes?.ToList() ?? [], Created = created, Tags = tags?.ToList(), ExpirationDate = expirationDate },
            MemberPart = memberId is null && memberEmail is null ? null : new ProjectKeyMember { MemberId = memberId, Email = memberEmail },
        };

    /// <summary>Builds the models of a project.</summary>
    public static ProjectModels ProjectModels(IEnumerable<ProjectModel>? stt = null, IEnumerable<ProjectModel>? tts = null)
        => new() { Stt = stt?.ToList() ?? [], Tts = tts?.ToList() ?? [] };

    /// <summary>Builds a model of a project.</summary>
    public static ProjectModel ProjectModel(
        string? modelId = null, string? name = null, string? canonicalName = null, string? architecture = null,
        IEnumerable<string>? languages = null, string? version = null)
        => new() { ModelId = modelId, Name = name, CanonicalName = canonicalName, Architecture = architecture, Languages = languages?.ToList() ?? [], Version = version };

    /// <summary>Builds a billing breakdown.</summary>
    public static BillingBreakdown BillingBreakdown(DateOnly? start = null, DateOnly? end = null, UsageResolution? resolution = null, IEnumerable<BillingResult>? results = null)
        => new() { Start = start, End = end, Resolution = resolution, Results = results?.ToList() ?? [] };

    /// <summary>Builds a billing breakdown entry.</summary>
    public static BillingResult BillingResult(decimal dollars = 0, BillingBreakdownGrouping? grouping = null)
        => new() { Dollars = dollars, Grouping = grouping };

    /// <summary>Builds a billing breakdown group key.</summary>
    public static BillingBreakdownGrouping BillingBreakdownGrouping(
        DateOnly? start = null, DateOnly? end = null, string? accessor = null, string? deployment = null, string? lineItem = null, IEnumerable<string>? tags = null)
        => new() { Start = start, End = end, Accessor = accessor, Deployment = deployment, LineItem = lineItem, Tags = tags?.ToList() };

    /// <summary>Builds the billing fields.</summary>
    public static BillingFields BillingFields(
        IEnumerable<string>? accessors = null, IEnumerable<string>? deployments = null, IEnumerable<string>? tags = null,
        IEnumerable<KeyValuePair<string, string>>? lineItems = null)
        => new()
        {
            Accessors = accessors?.ToList() ?? [],
            Deployments = deployments?.ToList() ?? [],
            Tags = tags?.ToList() ?? [],
            LineItems = lineItems is null ? new Dictionary<string, string>() : lineItems.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal),
        };

    /// <summary>Builds a balance.</summary>
    public static ProjectBalance ProjectBalance(string? balanceId = null, decimal amount = 0, string? units = "usd", string? purchaseOrderId = null)
        => new() { BalanceId = balanceId, Amount = amount, Units = units, PurchaseOrderId = purchaseOrderId };

    /// <summary>Builds an API exception with every property set.</summary>
    public static UsageApiException UsageApiException(int status, string? errorCode = null, string? errorMessage = null, string? requestId = null, TimeSpan? retryAfter = null, string? responseContent = null, int attempts = 1, string? continuationToken = null)
        => new(global::UsageSdk.UsageApiException.Describe(status, errorCode, errorMessage, requestId, attempts), status, errorCode, requestId)
        {
            ErrorMessage = errorMessage,
            RetryAfter = retryAfter,
            ResponseContent = responseContent,
            Attempts = attempts,
            ContinuationToken = continuationToken,
        };
}
