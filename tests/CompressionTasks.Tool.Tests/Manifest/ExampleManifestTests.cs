using System.Reflection;
using CompressionTasks.Diagnostics;

namespace CompressionTasks.Tool.Tests.Manifest;

/// <summary>
/// The committed example manifests stay valid: each is validated in a temp copy of the layout it expects, with the
/// model its script puts beside it, so the check neither needs nor leaves the git-ignored model in the checkout.
/// </summary>
[TestClass]
public sealed class ExampleManifestTests
{
    private static readonly string ResNet18Path = typeof(ExampleManifestTests).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "ResNet18Path").Value!;

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Validate_ResNet18Example_WithTheNuGetModelBesideIt_IsValid()
    {
        Assert.IsTrue(File.Exists(ResNet18Path), $"{ResNet18Path} missing: restore the solution first");
        using var folder = new TempFolder();
        var example = Path.Combine(folder.Path, "examples", "resnet18");
        Directory.CreateDirectory(example);
        var manifest = Path.Combine(example, "compression.yaml");
        File.Copy(Path.Combine(RepositoryRoot.Path, "examples", "resnet18", "compression.yaml"), manifest);
        File.Copy(ResNet18Path, Path.Combine(example, "ResNet18.onnx"));
        var photos = Path.Combine(folder.Path, "data", "photos");
        Directory.CreateDirectory(photos);
        foreach (var photo in Directory.GetFiles(Path.Combine(RepositoryRoot.Path, "data", "photos"), "*.jpg"))
        {
            File.Copy(photo, Path.Combine(photos, Path.GetFileName(photo)));
        }

        var (exitCode, output, error) = await CliRunner.RunAsync(TestContext.CancellationToken, "validate", "-m", manifest);

        Assert.AreEqual(ExitCodes.Success, exitCode, error);
        Assert.AreEqual(string.Empty, error);
        Assert.AreEqual($"{manifest}: valid: 1 model, 2 variants, 1 dataset, 1 gate; target host{Environment.NewLine}", output);
    }

    [TestMethod]
    public async Task Validate_ResNet18Example_WithoutTheModel_NamesTheMissingFile()
    {
        using var folder = new TempFolder();
        var manifest = Path.Combine(folder.Path, "examples", "resnet18", "compression.yaml");
        Directory.CreateDirectory(Path.GetDirectoryName(manifest)!);
        File.Copy(Path.Combine(RepositoryRoot.Path, "examples", "resnet18", "compression.yaml"), manifest);
        Directory.CreateDirectory(Path.Combine(folder.Path, "data", "photos"));

        var (exitCode, _, error) = await CliRunner.RunAsync(TestContext.CancellationToken, "validate", "-m", manifest);

        Assert.AreEqual(ExitCodes.InvalidInput, exitCode);
        StringAssert.Contains(error, $"error CMP1021: 'models[0].path': file not found: {Path.Combine(folder.Path, "examples", "resnet18", "ResNet18.onnx")}");
    }
}
