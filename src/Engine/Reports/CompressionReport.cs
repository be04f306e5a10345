using System.Text.Json.Serialization;

namespace CompressionTasks.Reports;

/// <summary>
/// The content of <c>report.json</c> (DESIGN.md, "Contracts"): per model, per variant (the original is variant
/// <c>baseline</c>). A section an area did not produce is absent (null, omitted from JSON), never faked.
/// </summary>
public sealed record CompressionReport
{
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    public required ToolInfo Tool { get; init; }

    public required EnvironmentInfo Environment { get; init; }

    /// <summary>The manifest the run read, as given on the command line.</summary>
    public required string Manifest { get; init; }

    public string? Target { get; init; }

    public required IReadOnlyList<ModelReport> Models { get; init; }

    /// <summary>Set on a partial report written by <c>run --shard</c> or <c>run --job</c>; absent from whole and merged reports.</summary>
    public Merging.PartialReportInfo? Partial { get; init; }

    /// <summary>True when every gate of every variant passed.</summary>
    public bool Passed => Models.All(m => m.Variants.All(v => v.Gates is null || v.Gates.All(g => g.Passed)));
}

public sealed record ToolInfo(string Name, string Version);

public sealed record EnvironmentInfo
{
    public required string Os { get; init; }

    public required string Cpu { get; init; }

    public required int LogicalCores { get; init; }

    public required string DotnetVersion { get; init; }

    public required string OnnxRuntimeVersion { get; init; }

    /// <summary>The CPU's int8-relevant instruction sets (<see cref="InstructionSet"/>), e.g. "avx2 avx512 avx512vnni".</summary>
    public string? InstructionSets { get; init; }

    public string? GitCommit { get; init; }

    /// <summary>UTC time the run started (ISO 8601). Kept out of every hashed artifact.</summary>
    public required string StartedUtc { get; init; }
}

public sealed record ModelReport
{
    public required string Name { get; init; }

    /// <summary>The source model, relative to the manifest's folder (forward slashes).</summary>
    public required string Source { get; init; }

    public required IReadOnlyList<VariantReport> Variants { get; init; }
}

public sealed record VariantReport
{
    public const string BaselineName = "baseline";

    public required string Name { get; init; }

    /// <summary>The variant's model, relative to the report's folder (forward slashes).</summary>
    public required string Path { get; init; }

    public required long SizeBytes { get; init; }

    /// <summary>Size of the model file compressed with gzip: what storage or download costs when sparsity is present.</summary>
    public long? GzipSizeBytes { get; init; }

    public long? Params { get; init; }

    public long? Macs { get; init; }

    public IReadOnlyList<PassReport>? Passes { get; init; }

    public LatencyReport? LatencyMs { get; init; }

    public AccuracyReport? Accuracy { get; init; }

    public AgreementReport? Agreement { get; init; }

    /// <summary>How closely each output that is not class scores follows the baseline's; null when there is none or no baseline evaluation.</summary>
    public IReadOnlyList<OutputFitReport>? OutputFit { get; init; }

    public EnergyReport? Energy { get; init; }

    public IReadOnlyList<OperatorTime>? OpBreakdown { get; init; }

    public BaselineRatios? VsBaseline { get; init; }

    /// <summary>The speed-up over the baseline from blocks sampled interleaved with it; null for the baseline and when not measured.</summary>
    public SpeedupReport? Speedup { get; init; }

    public IReadOnlyList<GateReport>? Gates { get; init; }

    public IReadOnlyList<string>? Warnings { get; init; }

    /// <summary>Numbers measured on the deployment target by the on-device runner, merged in by <c>deploy --merge</c>.</summary>
    public Deployment.DeviceMeasurementReport? Device { get; init; }

    /// <summary>The shard and machine that produced this variant, in sharded runs and their merged report.</summary>
    public Merging.VariantOrigin? Origin { get; init; }
}

/// <summary>One applied pass: its manifest name, the options it ran with and what it reports about its own work.</summary>
public sealed record PassReport(string Name, IReadOnlyDictionary<string, string> Options, double DurationMs)
{
    public IReadOnlyDictionary<string, string>? Details { get; init; }

    /// <summary>Static int8: the quantized activations furthest from the fp32 model's, worst first (at most 20; <c>details.layerErrorTensors</c> counts them all).</summary>
    public IReadOnlyList<LayerErrorReport>? LayerErrors { get; init; }

    /// <summary>The pass's warnings with their codes (the variant's <c>warnings</c> list holds the same text).</summary>
    public IReadOnlyList<PassWarningReport>? Warnings { get; init; }
}

/// <summary>
/// One quantized activation of a static int8 model: the fp32 model's tensor, the node that produces it and the
/// signal-to-quantization-noise ratio 10·log10(Σx² / Σ(x − x̂)²) in dB between the fp32 model's value x and the int8
/// model's dequantized value x̂ at the same point, on calibration samples. The error of every quantized layer before it
/// is included, as in ONNX Runtime's <c>qdq_loss_debug</c>. Null <see cref="SqnrDb"/>: the two are equal.
/// </summary>
public sealed record LayerErrorReport(string Tensor, string? Node, string? OpType, double? SqnrDb);

/// <summary>One warning of a pass: its code (<c>CMP2151</c>) and message.</summary>
public sealed record PassWarningReport(string Code, string Message);

/// <summary>
/// Latency in ms. <see cref="Confidence"/> and <see cref="MaxRelativeHalfWidth"/> say what <see cref="CiHalfWidth"/>
/// means and what it was held to (the manifest's <c>measure.latency</c>), so they are written right after it; both are
/// null in reports written before they existed.
/// </summary>
public sealed record LatencyReport(
    double Mean,
    double Median,
    double P90,
    double P99,
    double CiHalfWidth,
    [property: JsonPropertyOrder(LatencyReport.AfterInterval)] int Runs,
    [property: JsonPropertyOrder(LatencyReport.AfterInterval)] string ExecutionProvider)
{
    // Positional members serialize first; the interval's two qualifiers (order 0, declared after them) follow
    // ciHalfWidth only when everything after the interval is moved behind them.
    private const int AfterInterval = 1;

    /// <summary>The interval's confidence level (0.95 = 95%).</summary>
    public double? Confidence { get; init; }

    /// <summary>The stopping rule's target: <see cref="CiHalfWidth"/> / <see cref="Mean"/> at most this (0.05 = 5%) unless <see cref="StopReason"/> says the rule ran out of runs or time.</summary>
    public double? MaxRelativeHalfWidth { get; init; }

    /// <summary><c>converged</c>, <c>maxruns</c> or <c>timebudget</c>.</summary>
    [JsonPropertyOrder(AfterInterval)]
    public string? StopReason { get; init; }

    [JsonPropertyOrder(AfterInterval)]
    public int? IntraOpThreads { get; init; }

    [JsonPropertyOrder(AfterInterval)]
    public double? LoadMs { get; init; }

    /// <summary>
    /// How many times this variant's ONNX Runtime session was created for the latency blocks (one per session epoch,
    /// <c>measure.latency.sessionEpochs</c>); absent in older reports.
    /// </summary>
    [JsonPropertyOrder(AfterInterval)]
    public int? Sessions { get; init; }

    /// <summary>
    /// With session epochs asked for and several variants: the epochs asked for, planned under the re-creation cost rule
    /// and run, and what re-creating the sessions cost (the same for every variant of the model); absent otherwise and
    /// in older reports.
    /// </summary>
    [JsonPropertyOrder(AfterInterval)]
    public SessionEpochsReport? SessionEpochs { get; init; }

    /// <summary>The machine's load while this model's variants were sampled (the same for all of them); absent in older reports.</summary>
    [JsonPropertyOrder(AfterInterval)]
    public ContentionReport? Contention { get; init; }

    /// <summary>Raw per-run samples (ms): kept so that merged shards recompute statistics exactly.</summary>
    [JsonPropertyOrder(AfterInterval)]
    public IReadOnlyList<double>? Samples { get; init; }
}

/// <summary>
/// Session epochs of one interleaved measurement (docs/measurement.md, "What re-creation may cost"): <see cref="Requested"/>
/// (<c>measure.latency.sessionEpochs</c>), <see cref="Planned"/> (fewer when re-creating every variant's session
/// <see cref="Requested"/> − 1 times would take more than <see cref="AllowanceSeconds"/>; 1 when not even the minimum
/// of 3 fit, then warning CMP4012), <see cref="Run"/> (the stop can come first), <see cref="ReopenSeconds"/> spent
/// re-creating and re-warming in all and <see cref="SecondsPerReopen"/>, the cost of one re-creation of all sessions
/// the plan was last made with (measured, or estimated from the first sessions when none ran).
/// </summary>
public sealed record SessionEpochsReport(int Requested, int Planned, int Run, double ReopenSeconds, double SecondsPerReopen, double AllowanceSeconds);

/// <summary>
/// How contended the machine was during the interleaved measurement: wall and process CPU seconds, the 1-minute load
/// average at start and end, the machine's busy and hypervisor-steal shares (Linux /proc/stat), the sample clock
/// (<c>wall</c> or <c>cpu</c>) and whether the run counts as contended (then warning CMP4010 says why).
/// </summary>
public sealed record ContentionReport
{
    public double WallSeconds { get; init; }

    public double ProcessCpuSeconds { get; init; }

    public double? LoadAverageStart { get; init; }

    public double? LoadAverageEnd { get; init; }

    public double? MachineBusyShare { get; init; }

    public double? StealShare { get; init; }

    public int LogicalCores { get; init; }

    public string? Clock { get; init; }

    public bool Contended { get; init; }

    public string? Reason { get; init; }
}

public sealed record AccuracyReport(double Top1, double Top5, double Precision, double Recall, double F1, int Samples)
{
    /// <summary>Unreadable dataset images left out (manifest <c>maxInvalid</c>); null when none were.</summary>
    public int? Skipped { get; init; }
}

public sealed record AgreementReport(double Top1, double Cosine, int Samples);

/// <summary>
/// One output's fit to the baseline's: mean per-sample cosine, SQNR over all values in dB (null when identical), and
/// the largest and mean absolute differences.
/// </summary>
public sealed record OutputFitReport(string Output, double Cosine, double? SqnrDb, double MaxAbsError, double MeanAbsError, int Samples);

public sealed record EnergyReport
{
    public double? JoulesPerInference { get; init; }

    public string? Sensor { get; init; }

    public string? Unavailable { get; init; }
}

public sealed record OperatorTime(string OpType, double Ms, double Share);

/// <summary>Variant / baseline ratios (size 0.25 = a quarter of the baseline) and accuracy deltas in percentage points.</summary>
public sealed record BaselineRatios
{
    public double? Size { get; init; }

    public double? Latency { get; init; }

    public double? Speedup { get; init; }

    public double? Macs { get; init; }

    public double? Energy { get; init; }

    public double? Top1Delta { get; init; }

    public double? Top5Delta { get; init; }

    public double? F1Delta { get; init; }
}

/// <summary>
/// A variant's speed-up over the baseline (baseline latency / variant latency, 2 = twice as fast) from the paired
/// blocks of one interleaved measurement: <see cref="Estimate"/> is the geometric mean of the paired block ratios and
/// [<see cref="Low"/>, <see cref="High"/>] its <see cref="Confidence"/> interval (a log-ratio t-interval, docs/measurement.md);
/// <see cref="Verdict"/> is <c>faster</c> (the interval lies above 1), <c>slower</c> (below 1) or <c>indistinguishable</c>.
/// </summary>
public sealed record SpeedupReport(double Estimate, double Low, double High, string Verdict)
{
    public double? Confidence { get; init; }

    /// <summary>The stopping rule's target for the interval: (high − low) / 2 at most this share of the estimate.</summary>
    public double? MaxRelativeHalfWidth { get; init; }

    /// <summary>Paired blocks (rounds) the interval is formed from.</summary>
    public int? Pairs { get; init; }

    /// <summary>Timed runs per block.</summary>
    public int? BlockRuns { get; init; }

    /// <summary>Session epochs the interval is formed over (their mean log-ratios); 1: over the pairs, one session per variant.</summary>
    public int? Epochs { get; init; }

    /// <summary>With two or more epochs: each epoch's ratio (geometric mean of its paired ratios).</summary>
    public IReadOnlyList<double>? EpochEstimates { get; init; }

    /// <summary>With two or more epochs: the interval over the pairs as if independent (what the epochs widened).</summary>
    public double? PairsLow { get; init; }

    /// <inheritdoc cref="PairsLow"/>
    public double? PairsHigh { get; init; }
}

public sealed record GateReport(string Name, bool Passed, double Observed, double Threshold)
{
    [JsonPropertyName("code")]
    public string? Code { get; init; }

    public string? Detail { get; init; }
}
