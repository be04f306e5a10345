using CompressionTasks.Manifest;
using CompressionTasks.Passes;
using CompressionTasks.Pipeline;
using CompressionTasks.Reports;

namespace CompressionTasks.Engine.Tests.Pipeline;

/// <summary>
/// Every change to what a model's results depend on in its datasets changes the model's fingerprint, so a cached
/// result is never reused for data it was not computed on.
/// </summary>
[TestClass]
public sealed class DatasetFingerprintMutationTests
{
    private static readonly EnvironmentInfo Machine = new() { Os = "os", Cpu = "cpu", LogicalCores = 2, DotnetVersion = "10", OnnxRuntimeVersion = "1", StartedUtc = "2026-01-01T00:00:00Z" };

    private string _folder = null!;

    public TestContext TestContext { get; set; } = null!;

    [TestInitialize]
    public void CreateProject()
    {
        _folder = Directory.CreateTempSubdirectory("dataset-fingerprint-").FullName;
        Directory.CreateDirectory(Path.Combine(_folder, "models"));
        File.Copy(Repository.DigitsCnn, Path.Combine(_folder, "models", "cnn.onnx"));
        var digits = Repository.Path("data", "digits", "test");
        foreach (var (name, digit) in new[] { ("cat", "3"), ("dog", "7") })
        {
            Directory.CreateDirectory(Path.Combine(_folder, "folders", name));
            foreach (var file in Directory.GetFiles(Path.Combine(digits, digit)).Order(StringComparer.Ordinal).Take(3))
            {
                File.Copy(file, Path.Combine(_folder, "folders", name, Path.GetFileName(file)));
            }
        }

        // A labels CSV naming images inside its folder and one outside it.
        Directory.CreateDirectory(Path.Combine(_folder, "csv"));
        Directory.CreateDirectory(Path.Combine(_folder, "elsewhere"));
        var images = Directory.GetFiles(Path.Combine(digits, "1")).Order(StringComparer.Ordinal).Take(3).ToArray();
        File.Copy(images[0], Path.Combine(_folder, "csv", "a.png"));
        File.Copy(images[1], Path.Combine(_folder, "csv", "b.png"));
        File.Copy(images[2], Path.Combine(_folder, "elsewhere", "c.png"));
        File.WriteAllText(Path.Combine(_folder, "labels.csv"), $"path,label\na.png,1\nb.png,1\n{Path.Combine(_folder, "elsewhere", "c.png")},1\n");

        // Arrays reached through links, as data versioning tools and CI caches hand them out.
        Directory.CreateDirectory(Path.Combine(_folder, "store"));
        File.Copy(Repository.Path("data", "digits", "calib_x.npy"), Path.Combine(_folder, "store", "x1.npy"));
        File.Copy(Repository.Path("data", "digits", "test_x.npy"), Path.Combine(_folder, "store", "x2.npy"));
        File.Copy(Repository.Path("data", "digits", "calib_y.npy"), Path.Combine(_folder, "store", "y.npy"));
        File.CreateSymbolicLink(Path.Combine(_folder, "calib_x.npy"), Path.Combine(_folder, "store", "x1.npy"));
        File.CreateSymbolicLink(Path.Combine(_folder, "calib_y.npy"), Path.Combine(_folder, "store", "y.npy"));
        Directory.CreateDirectory(Path.Combine(_folder, "folders2", "cat"));
        Directory.CreateDirectory(Path.Combine(_folder, "folders2", "dog"));
        Directory.CreateSymbolicLink(Path.Combine(_folder, "linked"), Path.Combine(_folder, "folders"));
        WriteManifest(preprocess: "{ colorMode: grayscale, scale: 0.0039215686, layout: NCHW }", sampling: "limit: 5, sampling: random, seed: 1");
    }

    [TestCleanup]
    public void DeleteProject() => Directory.Delete(_folder, recursive: true);

    private void WriteManifest(string preprocess, string sampling, string except = "except: calib") => File.WriteAllText(Path.Combine(_folder, "compression.yaml"), $$"""
        version: 1
        datasets:
          folders: { format: image-folder, path: folders, preprocess: {{preprocess}} }
          csv: { format: image-folder, path: csv, labels: labels.csv, preprocess: {{preprocess}} }
          calib: { format: npy, path: calib_x.npy, labels: calib_y.npy, {{sampling}} }
          linked: { format: image-folder, path: linked, preprocess: {{preprocess}} }
          rest: { format: npy, path: calib_x.npy, labels: calib_y.npy, {{except}} }
        models:
          - { name: a, path: models/cnn.onnx, dataset: folders, calibration: calib, variants: [ { name: int8, passes: [ { quantize: { mode: static } } ] } ] }
          - { name: b, path: models/cnn.onnx, dataset: csv, variants: [ { name: fp16, passes: [ { convert: fp16 } ] } ] }
          - { name: c, path: models/cnn.onnx, dataset: linked, variants: [ { name: fp16, passes: [ { convert: fp16 } ] } ] }
          - { name: d, path: models/cnn.onnx, dataset: rest, variants: [ { name: fp16, passes: [ { convert: fp16 } ] } ] }
        """);

    private string[] Fingerprints()
    {
        var manifest = ManifestLoader.Load(Path.Combine(_folder, "compression.yaml"), PassRegistry.Catalog);
        return manifest.Models.Select(m => JobFingerprint.Compute(manifest, m, [], new RunOptions { Measure = false }, Machine, TestContext.CancellationToken)).ToArray();
    }

    private string P(string relative) => Path.Combine(_folder, relative);

    /// <summary>Each mutation with the models whose fingerprint it must change.</summary>
    private IEnumerable<(string Name, Action Mutate, string[] Changed)> Mutations() =>
    [
        ("add an empty class folder that sorts first", () => Directory.CreateDirectory(P("folders/aaa")), ["a", "c"]),
        ("add an empty class folder that sorts last", () => Directory.CreateDirectory(P("folders/zzz")), ["a", "c"]),
        ("remove a class folder", () => Directory.Delete(P("folders/dog"), recursive: true), ["a", "c"]),
        ("rename a class folder", () => Directory.Move(P("folders/dog"), P("folders/ant")), ["a", "c"]),
        ("move an image to another class", () => File.Move(Directory.GetFiles(P("folders/dog"))[0], P("folders/cat/moved.png")), ["a", "c"]),
        ("rename an image", () => File.Move(Directory.GetFiles(P("folders/dog"))[0], P("folders/dog/renamed.png")), ["a", "c"]),
        ("edit a label in the labels CSV", () => File.WriteAllText(P("labels.csv"), File.ReadAllText(P("labels.csv")).Replace("b.png,1", "b.png,2", StringComparison.Ordinal)), ["b"]),
        ("edit an image the CSV names outside its folder", () => File.Copy(Directory.GetFiles(P("folders/dog"))[0], P("elsewhere/c.png"), overwrite: true), ["b"]),
        ("change preprocessing", () => WriteManifest("{ colorMode: grayscale, scale: 0.5, layout: NCHW }", "limit: 5, sampling: random, seed: 1"), ["a", "b", "c"]),
        ("change the seed", () => WriteManifest("{ colorMode: grayscale, scale: 0.0039215686, layout: NCHW }", "limit: 5, sampling: random, seed: 2"), ["a", "d"]),
        ("change the limit", () => WriteManifest("{ colorMode: grayscale, scale: 0.0039215686, layout: NCHW }", "limit: 6, sampling: random, seed: 1"), ["a", "d"]),
        ("change the sampling", () => WriteManifest("{ colorMode: grayscale, scale: 0.0039215686, layout: NCHW }", "limit: 5, sampling: first, seed: 1"), ["a", "d"]),
        ("drop the except", () => WriteManifest("{ colorMode: grayscale, scale: 0.0039215686, layout: NCHW }", "limit: 5, sampling: random, seed: 1", "seed: 0"), ["d"]),
        ("swap a file link's target", () => Relink(P("calib_x.npy"), P("store/x2.npy")), ["a", "d"]),
        ("edit the file behind a link", () => File.Copy(P("store/x2.npy"), P("store/x1.npy"), overwrite: true), ["a", "d"]),
        ("swap a folder link's target", () => { Directory.Delete(P("linked")); Directory.CreateSymbolicLink(P("linked"), P("folders2")); }, ["c"]),
    ];

    private static void Relink(string link, string target)
    {
        File.Delete(link);
        File.CreateSymbolicLink(link, target);
    }

    [TestMethod]
    public void EveryDatasetMutation_ChangesTheFingerprintOfEveryModelReadingIt()
    {
        var stale = new List<string>();
        foreach (var (name, mutate, changed) in Mutations())
        {
            DeleteProject();
            CreateProject();
            var before = Fingerprints();
            Assert.IsTrue(before.SequenceEqual(Fingerprints()), "a fingerprint is stable when nothing changes");
            mutate();
            var after = Fingerprints();
            string[] models = ["a", "b", "c", "d"];
            for (var i = 0; i < models.Length; i++)
            {
                var expectChange = changed.Contains(models[i]);
                if (expectChange && before[i] == after[i])
                {
                    stale.Add($"{name}: model {models[i]} would reuse a stale result");
                }
                else if (!expectChange && before[i] != after[i])
                {
                    stale.Add($"{name}: model {models[i]} re-runs though none of its data changed");
                }
            }
        }

        Assert.AreEqual(0, stale.Count, string.Join("\n", stale));
    }
}
