using CompressionTasks.Tool.Tests.Manifest;

namespace CompressionTasks.Tool.Tests.Sharding;

/// <summary>
/// A temp folder with both digits models, the digits test and calibration arrays (npy) and a manifest with two
/// quantized variants per model: small enough to run whole, and sharded three ways, within seconds.
/// </summary>
internal sealed class ShardingFixture : IDisposable
{
    public const string Manifest = """
        version: 1
        target: host
        output: out
        measure:
          executionProvider: cpu
          intraOpThreads: 1
          energy: { sensor: none }
          operatorBreakdown: false
        datasets:
          digits-test: { format: npy, path: data/digits/test_x.npy, labels: data/digits/test_y.npy }
          digits-calib: { format: npy, path: data/digits/calib_x.npy, labels: data/digits/calib_y.npy }
        models:
          - name: digits-cnn
            path: models/digits_cnn.onnx
            dataset: digits-test
            calibration: digits-calib
            variants:
              - name: int8
                passes: [ { quantize: { mode: static } } ]
              - name: int8-dynamic
                passes: [ { quantize: { mode: dynamic } } ]
          - name: digits-resnet
            path: models/digits_resnet.onnx
            dataset: digits-test
            calibration: digits-calib
            variants:
              - name: int8-weights
                passes: [ { quantize: { mode: weights } } ]
              - name: int8-dynamic
                passes: [ { quantize: { mode: dynamic } } ]
        gates:
          - { metric: top1, maxDrop: 1.0, confidence: 0.95 }
          - { metric: size, maxSizeBytes: 100000 }
        """;

    private readonly TempFolder _folder = new();

    public ShardingFixture()
    {
        var root = RepositoryRoot.Path;
        foreach (var file in new[] { "models/digits_cnn.onnx", "models/digits_resnet.onnx", "data/digits/test_x.npy", "data/digits/test_y.npy", "data/digits/calib_x.npy", "data/digits/calib_y.npy" })
        {
            var destination = System.IO.Path.Combine(Path, file);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(destination)!);
            File.Copy(System.IO.Path.Combine(root, file), destination);
        }

        ManifestPath = _folder.File("compression.yaml", Manifest);
    }

    public string Path => _folder.Path;

    public string ManifestPath { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose() => _folder.Dispose();
}
