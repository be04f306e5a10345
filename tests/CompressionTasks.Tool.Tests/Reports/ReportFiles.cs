using CompressionTasks.Reports;

namespace CompressionTasks.Tool.Tests.Reports;

/// <summary>Small real report.json files for the report and compare verbs.</summary>
internal static class ReportFiles
{
    public static CompressionReport Report(double latencyScale = 1, long sizeDelta = 0, string modelName = "digits-cnn") => new()
    {
        Tool = new ToolInfo("dotnet-compress", "0.1.0"),
        Environment = new EnvironmentInfo
        {
            Os = "Linux",
            Cpu = "test cpu",
            LogicalCores = 2,
            DotnetVersion = ".NET 10.0.0",
            OnnxRuntimeVersion = "1.31.0",
            StartedUtc = "2026-11-24T12:00:00Z",
        },
        Manifest = "compression.yaml",
        Models =
        [
            new ModelReport
            {
                Name = modelName,
                Source = "models/digits_cnn.onnx",
                Variants =
                [
                    Variant("baseline", 94_532 + sizeDelta, 0.41 * latencyScale, 98.3, null),
                    Variant("int8", 27_904 + sizeDelta, 0.30 * latencyScale, 98.0, [new GateReport("top1-drop", true, 0.3, 1.0)]),
                ],
            },
        ],
    };

    private static VariantReport Variant(string name, long sizeBytes, double meanMs, double top1, IReadOnlyList<GateReport>? gates) => new()
    {
        Name = name,
        Path = $"digits-cnn/{name}/digits-cnn.onnx",
        SizeBytes = sizeBytes,
        // Raw samples with a small, fixed spread: scaling them scales the mean and keeps the test deterministic.
        LatencyMs = new LatencyReport(meanMs, meanMs, meanMs * 1.02, meanMs * 1.03, meanMs * 0.01, 20, "cpu")
        {
            Samples = Enumerable.Range(0, 20).Select(i => meanMs * (1 + (i % 5 - 2) * 0.01)).ToArray(),
        },
        Accuracy = new AccuracyReport(top1, 99.9, top1, top1, top1, 360),
        Gates = gates,
    };

    public static string Write(CompressionReport report, string name)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("compare-").FullName, name);
        ReportJson.Write(report, path);
        return path;
    }
}
