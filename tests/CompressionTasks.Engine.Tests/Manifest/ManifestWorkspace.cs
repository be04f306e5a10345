namespace CompressionTasks.Engine.Tests.Manifest;

/// <summary>A temporary folder holding a manifest and the files it refers to; deleted on dispose.</summary>
internal sealed class ManifestWorkspace : IDisposable
{
    public ManifestWorkspace()
    {
        Folder = Path.Combine(Path.GetTempPath(), "cmp-manifest-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
    }

    public string Folder { get; }

    public string ManifestPath => Path.Combine(Folder, "compression.yaml");

    /// <summary>The files the test manifests (Invalid/*.yaml, Valid/*.yaml) refer to. Contents do not matter to the manifest.</summary>
    public ManifestWorkspace WithFixtureFiles()
    {
        File("models/digits_cnn.onnx");
        File("models/zoo/a.onnx");
        File("models/zoo/b.onnx");
        Directory.CreateDirectory(Path.Combine(Folder, "data/digits/test/0"));
        Directory.CreateDirectory(Path.Combine(Folder, "data/digits/train/0"));
        File("data/digits/calib_x.npy");
        File("data/digits/calib_y.npy");
        File("data/digits/labels.csv", "0/a.png,0\n");
        File("data/digits/all.npz");
        File("baseline/report.json", "{}");
        return this;
    }

    public string File(string relativePath, string contents = "")
    {
        var path = Path.Combine(Folder, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllText(path, contents);
        return path;
    }

    public string Manifest(string yaml) => File("compression.yaml", yaml);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}
