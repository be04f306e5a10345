using CompressionTasks.Engine.Tests.Evaluation;
using CompressionTasks.Engine.Tests.Onnx;
using CompressionTasks.Evaluation;
using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Graph;
using CompressionTasks.Onnx.Protobuf;
using CompressionTasks.Passes;
using Microsoft.ML.OnnxRuntime;

// Not "...Tests.Passes": that would hide CompressionTasks.Passes from the sibling test folders that write Passes.PassCatalog.
namespace CompressionTasks.Engine.Tests.CompressionPasses;

/// <summary>Datasets, pass application and ONNX Runtime helpers for the pass tests (real fixtures, real runtime).</summary>
internal static class PassFixtures
{
    public static DatasetSource DigitsCalibration => new("digits-calib", DatasetFormat.Npy, Path.Combine(TestData.Digits, "calib_x.npy"));

    public static DatasetSource DigitsLabelledCalibration => DigitsCalibration with { LabelsPath = Path.Combine(TestData.Digits, "calib_y.npy") };

    public static DatasetSource DigitsTest => new("digits-test", DatasetFormat.Npy, Path.Combine(TestData.Digits, "test_x.npy"), Path.Combine(TestData.Digits, "test_y.npy"));

    /// <summary>The natural photographs, preprocessed as ImageNet models expect (shorter side 256, centre 224, mean/std).</summary>
    public static DatasetSource Photos => new("photos", DatasetFormat.ImageFolder, Path.Combine(TestData.RepoRoot, "data", "photos"), Preprocess: new PreprocessOptions
    {
        ColorMode = ColorMode.Rgb,
        Resize = ResizeOptions.Shorter(256),
        CenterCrop = (224, 224),
        Scale = 1 / 255.0,
        Mean = [0.485, 0.456, 0.406],
        Std = [0.229, 0.224, 0.225],
    });

    public static EvaluationOptions Evaluation { get; } = new() { IntraOpNumThreads = 2, BatchSize = 64 };

    public static PassContext Context(string model, DatasetSource? calibration = null) =>
        new(model, CancellationToken.None) { Calibration = calibration, IntraOpThreads = 2 };

    public static (string Path, PassResult Result, ModelProto Model) Apply(string modelPath, string pass, IReadOnlyDictionary<string, object?> options, PassContext context)
    {
        var graph = OnnxGraph.Import(OnnxModelFile.Load(modelPath));
        var result = PassRegistry.Create(pass, options, CompressionTasks.Diagnostics.SourceLocation.None).Apply(graph, context);
        var model = graph.Export();
        var path = Path.Combine(TestModels.TempFolder(), Path.GetFileName(modelPath));
        OnnxModelFile.Save(model, path);
        return (path, result, model);
    }

    public static Task<EvaluationResult> EvaluateAsync(string modelPath, DatasetSource data) =>
        ModelEvaluator.EvaluateAsync(modelPath, data, Evaluation, CancellationToken.None);

    /// <summary>The operator types of the graph ONNX Runtime actually runs, after its optimisations (QDQ fusion included).</summary>
    public static IReadOnlySet<string> OptimizedOpTypes(string modelPath)
    {
        var optimized = Path.Combine(TestModels.TempFolder(), "optimized.onnx");
        using (var options = new SessionOptions { IntraOpNumThreads = 1, OptimizedModelFilePath = optimized, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL })
        using (new InferenceSession(modelPath, options))
        {
        }

        return OnnxModelFile.Load(optimized).Graph.Node.Select(n => n.OpType).ToHashSet(StringComparer.Ordinal);
    }

    public static long SizeBytes(string path) => new FileInfo(path).Length;
}
