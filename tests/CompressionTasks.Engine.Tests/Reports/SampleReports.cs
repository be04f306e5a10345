using CompressionTasks.Reports;

namespace CompressionTasks.Engine.Tests.Reports;

/// <summary>
/// Realistic reports for renderer tests: two models, each with a baseline and three variants, one model without an
/// operator breakdown, a variant without accuracy, energy both measured and unavailable, and one failed gate.
/// Everything is fixed (no clock, no randomness) so renders can be compared with committed expected files.
/// </summary>
internal static class SampleReports
{
    public static CompressionReport TwoModels(string firstModelName = "digits-cnn") => new()
    {
        Tool = new ToolInfo("dotnet-compress", "0.1.0"),
        Environment = new EnvironmentInfo
        {
            Os = "Debian GNU/Linux 12 (bookworm)",
            Cpu = "Intel(R) Xeon(R) CPU @ 2.20GHz",
            LogicalCores = 2,
            DotnetVersion = ".NET 10.0.0",
            OnnxRuntimeVersion = "1.31.0",
            GitCommit = "0123456789abcdef0123456789abcdef01234567",
            StartedUtc = "2026-11-24T12:00:00Z",
        },
        Manifest = "compression.yaml",
        Target = "host",
        Models = [Cnn(firstModelName), Mlp()],
    };

    private static ModelReport Cnn(string name) => new()
    {
        Name = name,
        Source = "models/digits_cnn.onnx",
        Variants =
        [
            Variant(name, "baseline", 94_532, 23_210, 1_412_000, Latency(0.412, 0.006, 60, seed: 1), Accuracy(98.33, 98.31), null,
                new EnergyReport { Unavailable = "no power sensor found (RAPL not readable, no NVML, no INA3221)" },
                Ops(("Conv", 0.21), ("Gemm", 0.09), ("BatchNormalization", 0.05), ("Relu", 0.03), ("MaxPool", 0.02), ("Flatten", 0.005)),
                gates: null),
            Variant(name, "int8", 27_904, 23_210, 1_412_000, Latency(0.305, 0.005, 60, seed: 2), Accuracy(98.05, 98.02), new AgreementReport(99.17, 0.9991, 360),
                new EnergyReport { Unavailable = "no power sensor found (RAPL not readable, no NVML, no INA3221)" },
                Ops(("QLinearConv", 0.12), ("DequantizeLinear", 0.05), ("QuantizeLinear", 0.04), ("Gemm", 0.06), ("MaxPool", 0.02), ("Relu", 0.01)),
                gates: [new GateReport("top1-drop", true, 0.28, 1.0) { Code = "CMP5001" }]),
            Variant(name, "fp16", 48_120, 23_210, 1_412_000, Latency(0.398, 0.007, 60, seed: 3), Accuracy(98.33, 98.31), new AgreementReport(100, 1.0, 360),
                new EnergyReport { Unavailable = "no power sensor found (RAPL not readable, no NVML, no INA3221)" },
                Ops(("Conv", 0.2), ("Gemm", 0.09), ("Cast", 0.06), ("Relu", 0.03), ("MaxPool", 0.015)),
                gates: [new GateReport("top1-drop", true, 0, 1.0) { Code = "CMP5001" }]),
            Variant(name, "pruned", 61_008, 15_087, 917_800, Latency(0.298, 0.005, 60, seed: 4), Accuracy(96.21, 96.10), new AgreementReport(96.94, 0.987, 360),
                new EnergyReport { Unavailable = "no power sensor found (RAPL not readable, no NVML, no INA3221)" },
                Ops(("Conv", 0.14), ("Gemm", 0.07), ("Relu", 0.02), ("MaxPool", 0.015), ("Flatten", 0.004)),
                gates:
                [
                    new GateReport("top1-drop", false, 2.12, 1.0) { Code = "CMP5001", Detail = "top-1 fell 2.12 pp below the baseline (98.33% → 96.21%)" },
                    new GateReport("latency", true, 0.298, 0.5) { Code = "CMP5002" },
                ]),
        ],
    };

    private static ModelReport Mlp() => new()
    {
        Name = "digits-mlp",
        Source = "models/digits_mlp.onnx",
        Variants =
        [
            Variant("digits-mlp", "baseline", 1_258_291, 313_610, 313_000, Latency(0.081, 0.002, 120, seed: 5, keepSamples: false), Accuracy(97.5, 97.48), null,
                new EnergyReport { JoulesPerInference = 0.00213, Sensor = "rapl:package-0" }, null, gates: null),
            Variant("digits-mlp", "int8", 330_000, 313_610, 313_000, Latency(0.064, 0.002, 120, seed: 6, keepSamples: false), Accuracy(97.22, 97.2), new AgreementReport(99.44, 0.9995, 360),
                new EnergyReport { JoulesPerInference = 0.00171, Sensor = "rapl:package-0" }, null,
                gates: [new GateReport("top1-drop", true, 0.28, 1.0) { Code = "CMP5001" }]),
            Variant("digits-mlp", "weights-int8", 333_112, 313_610, 313_000, Latency(0.09, 0.003, 120, seed: 7, keepSamples: false), Accuracy(97.5, 97.48), new AgreementReport(100, 1, 360),
                new EnergyReport { JoulesPerInference = 0.00225, Sensor = "rapl:package-0" }, null,
                gates: [new GateReport("top1-drop", true, 0, 1.0) { Code = "CMP5001" }]),
            // A variant whose evaluation did not run: accuracy and agreement are absent and must render as "—".
            Variant("digits-mlp", "sparse-ft", 1_258_291, 313_610, 313_000, Latency(0.079, 0.002, 120, seed: 8, keepSamples: false), null, null,
                null, null, gates: null) with { GzipSizeBytes = 402_113, Warnings = ["fine-tuning skipped: no training dataset"] },
        ],
    };

    private static VariantReport Variant(
        string model, string name, long sizeBytes, long parameters, long macs, LatencyReport latency, AccuracyReport? accuracy,
        AgreementReport? agreement, EnergyReport? energy, IReadOnlyList<OperatorTime>? ops, IReadOnlyList<GateReport>? gates) => new()
        {
            Name = name,
            Path = $"{model}/{name}/{model}.onnx",
            SizeBytes = sizeBytes,
            Params = parameters,
            Macs = macs,
            LatencyMs = latency,
            Accuracy = accuracy,
            Agreement = agreement,
            Energy = energy,
            OpBreakdown = ops,
            Gates = gates,
        };

    private static AccuracyReport Accuracy(double top1, double f1) => new(top1, 99.9, top1 - 0.02, top1 + 0.01, f1, 360);

    private static IReadOnlyList<OperatorTime> Ops(params (string OpType, double Ms)[] ops)
    {
        var total = ops.Sum(o => o.Ms);
        return ops.Select(o => new OperatorTime(o.OpType, o.Ms, o.Ms / total)).ToList();
    }

    /// <summary>A latency summary with deterministic, right-skewed samples around <paramref name="mean"/> (as real timings are).</summary>
    internal static LatencyReport Latency(double mean, double ciHalfWidth, int runs, int seed, bool keepSamples = true)
    {
        var samples = Samples(mean, mean * 0.04, runs, seed);
        var sorted = samples.Order().ToArray();
        return new LatencyReport(mean, sorted[runs / 2], sorted[(int)(runs * 0.9)], sorted[(int)(runs * 0.99)], ciHalfWidth, runs, "cpu")
        {
            Samples = keepSamples ? samples : null,
            StopReason = "ci-half-width",
        };
    }

    /// <summary>
    /// <paramref name="count"/> values with the given mean (exactly) and roughly the given spread, from a fixed
    /// linear congruential sequence, with a long right tail like scheduler hiccups give.
    /// </summary>
    internal static IReadOnlyList<double> Samples(double mean, double spread, int count, int seed)
    {
        var state = (uint)(seed * 2654435761u + 12345u);
        var raw = new double[count];
        for (var i = 0; i < count; i++)
        {
            state = state * 1664525u + 1013904223u;
            var u = (state >> 8) / (double)(1 << 24);
            raw[i] = spread * (u < 0.95 ? (u - 0.5) * 3.4 : 3 + 20 * (u - 0.95));
        }

        var offset = mean - raw.Average();
        return raw.Select(r => Math.Round(r + offset, 6)).ToArray();
    }
}
