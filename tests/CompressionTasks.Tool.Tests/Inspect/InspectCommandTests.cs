using System.Text.Json;
using CompressionTasks.Tool.Cli;

namespace CompressionTasks.Tool.Tests.Inspect;

[TestClass]
public sealed class InspectCommandTests
{
    /// <summary>
    /// ResNet18 from the Microsoft.ML.DnnImageFeaturizer.ResNet18 package, which the engine tests' PackageDownload puts
    /// in the NuGet cache when the solution is restored.
    /// </summary>
    private static readonly string ResNet18Path = Path.Combine(
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } cache
            ? cache
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
        "microsoft.ml.dnnimagefeaturizer.resnet18", "0.23.1", "tools", "DnnImageModels", "ResNet18Onnx", "ResNet18.onnx");

    [TestMethod]
    public async Task InspectJson_ResNet18_ReportsOperatorsParametersAndMacs()
    {
        Assert.IsTrue(File.Exists(ResNet18Path), $"{ResNet18Path} is missing: restore CompressionTasks.sln first");

        var (exitCode, stdout, stderr) = await RunAsync("inspect", ResNet18Path, "--json");

        Assert.AreEqual(0, exitCode, stderr);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.AreEqual(74, root.GetProperty("nodeCount").GetInt32());
        var ops = root.GetProperty("operators").EnumerateArray()
            .Select(o => $"{o.GetProperty("opType").GetString()}={o.GetProperty("nodeCount").GetInt32()}")
            .ToArray();
        CollectionAssert.AreEqual(new[] { "Add=9", "AveragePool=1", "BatchNormalization=22", "Conv=22", "MaxPool=1", "Relu=19" }, ops);
        Assert.AreEqual(3, root.GetProperty("irVersion").GetInt64());
        Assert.AreEqual("CNTK", root.GetProperty("producerName").GetString());
        Assert.AreEqual(8, root.GetProperty("opsets")[0].GetProperty("version").GetInt64());
        Assert.AreEqual(15_908_800, root.GetProperty("parameterCount").GetInt64());
        Assert.AreEqual(2_044_772_352, root.GetProperty("macs").GetInt64());
        Assert.AreEqual("[1,3,224,224]", root.GetProperty("inputs")[0].GetProperty("shape").GetRawText().Replace(" ", string.Empty, StringComparison.Ordinal).Replace("\n", string.Empty, StringComparison.Ordinal));
        Assert.AreEqual(new FileInfo(ResNet18Path).Length, root.GetProperty("fileSizeBytes").GetInt64());
        Assert.AreEqual(15_908_800 * 4, root.GetProperty("dataTypes")[0].GetProperty("bytes").GetInt64());
        Assert.AreEqual(0, root.GetProperty("externalDataFiles").GetArrayLength());
    }

    [TestMethod]
    public async Task InspectJson_SameModelTwice_GivesIdenticalText()
    {
        var model = Path.Combine(RepoRoot(), "models", "digits_cnn.onnx");

        var first = await RunAsync("inspect", model, "--json");
        var second = await RunAsync("inspect", model, "--json");

        Assert.AreEqual(first.Stdout, second.Stdout);
        StringAssert.StartsWith(first.Stdout, "{\n  \"path\":".Replace("\n", Environment.NewLine, StringComparison.Ordinal));
    }

    [TestMethod]
    public async Task Inspect_Text_ShowsSymbolicBatchAndMacsPerSample()
    {
        var (exitCode, stdout, _) = await RunAsync("inspect", Path.Combine(RepoRoot(), "models", "digits_resnet.onnx"));

        Assert.AreEqual(0, exitCode);
        StringAssert.Contains(stdout, "input  float [batch, 1, 8, 8]");
        StringAssert.Contains(stdout, "(with batch=1)");
        StringAssert.Contains(stdout, "Conv");
    }

    [TestMethod]
    public async Task Inspect_NotAModel_ExitsWith2AndCanonicalDiagnostic()
    {
        var path = Path.Combine(Path.GetTempPath(), $"not-a-model-{Guid.NewGuid():N}.onnx");
        await File.WriteAllBytesAsync(path, [0xFF, 0x01, 0x02]);
        try
        {
            var (exitCode, stdout, stderr) = await RunAsync("inspect", path);

            Assert.AreEqual(2, exitCode);
            Assert.AreEqual(string.Empty, stdout);
            StringAssert.StartsWith(stderr, $"{path}: error CMP2003: ");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public async Task Inspect_MissingFile_ReportsCMP2001()
    {
        var (exitCode, _, stderr) = await RunAsync("inspect", "no/such/model.onnx");

        Assert.AreEqual(2, exitCode);
        StringAssert.Contains(stderr, "error CMP2001:");
    }

    [TestMethod]
    public async Task Inspect_SymbolicSpatialDims_IsNotRefusedAndInputShapeCountsTheMacs()
    {
        var model = Path.Combine(RepoRoot(), "models", "realworld", "tiny_symbolic.onnx");

        var unbound = await RunAsync("inspect", model);
        var bound = await RunAsync("inspect", model, "--input-shape", "input=1x3x32x32");

        Assert.AreEqual(0, unbound.ExitCode, unbound.Stderr);
        StringAssert.Contains(unbound.Stdout, "not counted (unknown shapes)");
        Assert.AreEqual(0, bound.ExitCode, bound.Stderr);
        StringAssert.Contains(bound.Stdout, "MACs           674,544 (with H=32, N=1, W=32)");
    }

    [TestMethod]
    [DataRow("input=1x3")]
    [DataRow("image=1x3x32x32")]
    [DataRow("input=1x3xHx32")]
    public async Task Inspect_BadInputShape_IsCmp1064(string argument)
    {
        var model = Path.Combine(RepoRoot(), "models", "realworld", "tiny_symbolic.onnx");

        var (exitCode, _, stderr) = await RunAsync("inspect", model, "--input-shape", argument);

        Assert.AreEqual(2, exitCode);
        StringAssert.Contains(stderr, "CMP1064");
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exitCode = await CliApp.RunAsync(args, stdout, stderr);
        return (exitCode, stdout.ToString(), stderr.ToString());
    }

    private static string RepoRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "CompressionTasks.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("No CompressionTasks.sln above the test assembly.");
    }
}
