using CompressionTasks.Tool.Tests.Manifest;

namespace CompressionTasks.Tool.Tests.Run;

/// <summary>
/// A temp folder with models/digits_cnn.onnx, data/digits (test images and calibration arrays) and a compression.yaml
/// that runs the model twice (two names, so <c>-j</c> has something to parallelise) into static int8, fp16 and dynamic
/// int8 variants, with a short measurement.
/// </summary>
internal sealed class DigitsFixture : IDisposable
{
    public const string Manifest = """
        version: 1
        target: host
        output: out
        measure:
          executionProvider: cpu
          intraOpThreads: 1
          latency: { warmupRuns: 1, minRuns: 3, maxRuns: 5, timeBudgetSeconds: 2 }
          energy: { sensor: none }
          operatorBreakdown: false
        datasets:
          digits-test:
            format: image-folder
            path: data/digits/test
            preprocess: { colorMode: grayscale, scale: 0.0039215686, layout: NCHW }
          digits-calib: { format: npy, path: data/digits/calib_x.npy, labels: data/digits/calib_y.npy }
        models:
          - name: cnn-a
            path: models/digits_cnn.onnx
            dataset: digits-test
            calibration: digits-calib
            variants:
              - name: int8
                passes: [ { quantize: { mode: static } } ]
              - name: fp16
                passes: [ { convert: fp16 } ]
          - name: cnn-b
            path: models/digits_cnn.onnx
            dataset: digits-test
            calibration: digits-calib
            variants:
              - name: dynamic
                passes: [ { quantize: { mode: dynamic } } ]
        gates:
          - { metric: top1, maxDrop: 1.0 }
        """;

    private readonly TempFolder _folder = new();

    public DigitsFixture()
    {
        var root = RepositoryRoot.Path;
        Directory.CreateDirectory(System.IO.Path.Combine(Path, "models"));
        File.Copy(System.IO.Path.Combine(root, "models", "digits_cnn.onnx"), System.IO.Path.Combine(Path, "models", "digits_cnn.onnx"));
        CopyFolder(System.IO.Path.Combine(root, "data", "digits", "test"), System.IO.Path.Combine(Path, "data", "digits", "test"));
        foreach (var file in new[] { "calib_x.npy", "calib_y.npy" })
        {
            File.Copy(System.IO.Path.Combine(root, "data", "digits", file), System.IO.Path.Combine(Path, "data", "digits", file));
        }

        ManifestPath = _folder.File("compression.yaml", Manifest);
    }

    public string Path => _folder.Path;

    public string ManifestPath { get; }

    public string Out(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose() => _folder.Dispose();

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var destination = System.IO.Path.Combine(to, System.IO.Path.GetRelativePath(from, file));
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
    }
}
