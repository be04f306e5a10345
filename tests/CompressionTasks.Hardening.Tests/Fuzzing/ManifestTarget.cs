using CompressionTasks.Diagnostics;
using CompressionTasks.Manifest;
using CompressionTasks.Passes;

namespace CompressionTasks.Hardening.Tests.Fuzzing;

/// <summary>
/// Loads fuzzed manifests from a folder that holds the files valid manifests name (models, datasets), so mutations
/// reach the binder and its file checks, not only the YAML reader.
/// </summary>
internal sealed class ManifestTarget : IDisposable
{
    private readonly PassCatalog _passes = PassRegistry.Catalog;
    private int _next;

    public ManifestTarget()
    {
        Folder = Path.Combine(Path.GetTempPath(), "cmp-fuzz-manifest-" + Guid.NewGuid().ToString("N")[..8]);
        foreach (var relative in new[] { "models/digits_cnn.onnx", "models/digits_resnet.onnx", "data/digits/calib_x.npy", "data/digits/calib_y.npy", "data/digits/test_x.npy", "data/digits/test_y.npy" })
        {
            var target = Path.Combine(Folder, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(Repository.Path(relative), target);
        }
    }

    public string Folder { get; }

    /// <summary>Valid manifests: the repository's own, and one that uses every section with npy datasets.</summary>
    public static IReadOnlyList<string> Seeds { get; } =
    [
        File.ReadAllText(Repository.Path("compression.yaml")),
        File.ReadAllText(Repository.Path("sample-project", "compression.yaml")),
        """
        version: 1
        target: jetson-tx2
        output: out
        measure:
          executionProvider: cpu
          latency: { confidence: 0.95, maxRelativeHalfWidth: 0.05, warmupRuns: 2, minRuns: 3, maxRuns: 10, timeBudgetSeconds: 5 }
          energy: { sensor: none }
        datasets:
          test: { format: npy, path: data/digits/test_x.npy, labels: data/digits/test_y.npy, preprocess: { scale: 1.0, layout: NCHW } }
          calib: { format: npy, path: data/digits/calib_x.npy, labels: data/digits/calib_y.npy }
        models:
          - name: cnn
            path: models/digits_cnn.onnx
            dataset: test
            calibration: calib
            variants:
              - name: int8
                passes: [ { quantize: { mode: static, calibration: percentile } } ]
              - name: fp16
                passes: [ { convert: fp16 } ]
              - name: pruned
                passes: [ { prune: { method: structured, ratio: 0.3 } }, { recover: { method: bn-recalibration } } ]
          - path: models/*.onnx
        gates:
          - { metric: top1, maxDrop: 1.0 }
          - { metric: size, maxSizeBytes: 1000000, variants: [int8] }
        deploy:
          - { target: jetson-tx2, variants: [fp16] }
        """,
    ];

    /// <summary>The first error's code when <paramref name="bytes"/> are loaded as a manifest, or null when it is valid.</summary>
    public string? FirstErrorCode(byte[] bytes)
    {
        var path = Path.Combine(Folder, "regression.yaml");
        File.WriteAllBytes(path, bytes);
        return ManifestLoader.TryLoad(path, _passes).Errors.FirstOrDefault()?.Code.Id;
    }

    public void Load(byte[] bytes)
    {
        var path = Path.Combine(Folder, $"case-{Interlocked.Increment(ref _next)}.yaml");
        File.WriteAllBytes(path, bytes);
        try
        {
            var result = ManifestLoader.TryLoad(path, _passes);
            foreach (var diagnostic in result.Diagnostics)
            {
                // TryLoad reports instead of throwing: its diagnostics are held to the same standard as exceptions.
                if (FuzzHarness.Classify(new CompressionException([diagnostic])) is { } problem)
                {
                    throw new InvalidOperationException("diagnostic not acceptable: " + problem);
                }
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is not a test failure.
        }
    }
}
