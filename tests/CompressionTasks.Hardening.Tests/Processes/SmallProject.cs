using System.Security.Cryptography;

namespace CompressionTasks.Hardening.Tests.Processes;

/// <summary>
/// A temporary folder with a small manifest: the digits CNN, two variants (static int8, fp16), npy datasets and a
/// jetson-tx2 bundle, so one run exercises compression, evaluation, reports and deployment in about a second.
/// </summary>
internal sealed class SmallProject : IDisposable
{
    public const string Manifest = """
        version: 1
        target: host
        output: out
        datasets:
          test: { format: npy, path: data/test_x.npy, labels: data/test_y.npy }
          calib: { format: npy, path: data/calib_x.npy, labels: data/calib_y.npy }
        models:
          - name: digits-cnn
            path: models/digits_cnn.onnx
            dataset: test
            calibration: calib
            variants:
              - name: int8
                passes: [ { quantize: { mode: static, calibration: percentile } } ]
              - name: fp16
                passes: [ { convert: fp16 } ]
        deploy:
          - { target: jetson-tx2, variants: [fp16] }
        """;

    public SmallProject()
    {
        Folder = Path.Combine(Path.GetTempPath(), "cmp-harden-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(Path.Combine(Folder, "models"));
        Directory.CreateDirectory(Path.Combine(Folder, "data"));
        File.Copy(Repository.Path("models", "digits_cnn.onnx"), Path.Combine(Folder, "models", "digits_cnn.onnx"));
        foreach (var name in new[] { "test_x.npy", "test_y.npy", "calib_x.npy", "calib_y.npy" })
        {
            File.Copy(Repository.Path("data", "digits", name), Path.Combine(Folder, "data", name));
        }

        File.WriteAllText(ManifestPath, Manifest);
    }

    public string Folder { get; }

    public string ManifestPath => Path.Combine(Folder, "compression.yaml");

    public string Out => Path.Combine(Folder, "out");

    /// <summary>SHA-256 of every visible output file, by path relative to <paramref name="outputFolder"/>.</summary>
    public static SortedDictionary<string, string> Hashes(string outputFolder, Func<string, bool>? include = null)
    {
        var hashes = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(outputFolder, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(outputFolder, file).Replace('\\', '/');
            if (relative.Split('/').Any(part => part.StartsWith('.')) || (include is not null && !include(relative)))
            {
                continue;
            }

            hashes[relative] = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file)));
        }

        return hashes;
    }

    /// <summary>Models and deployment bundles: what must not depend on when or where the run happened.</summary>
    public static bool IsReproducible(string relative) => relative.EndsWith(".onnx", StringComparison.Ordinal) || relative.StartsWith("deploy/", StringComparison.Ordinal);

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
