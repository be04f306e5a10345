using CompressionTasks.Tasks;

namespace CompressionTasks.Integration.Tests;

[TestClass]
public sealed class ReadCompressionReportTests
{
    private string _folder = string.Empty;

    [TestInitialize]
    public void CreateFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), "cmp-read-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path.Combine(_folder, "digits-cnn", "baseline"));
        Directory.CreateDirectory(Path.Combine(_folder, "digits-cnn", "int8"));
        File.WriteAllBytes(Path.Combine(_folder, "digits-cnn", "baseline", "digits-cnn.onnx"), [1, 2, 3]);
        File.WriteAllBytes(Path.Combine(_folder, "digits-cnn", "int8", "digits-cnn.onnx"), [4, 5]);
        File.WriteAllText(Path.Combine(_folder, "report.md"), "# Compression report");
    }

    [TestCleanup]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    [TestMethod]
    public void Execute_Report_ReturnsOneItemPerVariantAndTheReportsThatExist()
    {
        WriteReport("digits-cnn/baseline/digits-cnn.onnx", "digits-cnn/int8/digits-cnn.onnx");
        var (task, engine) = Create();

        Assert.IsTrue(task.Execute(), string.Join("\n", engine.Errors.Select(e => e.Message)));

        Assert.HasCount(2, task.Models);
        var int8 = task.Models[1];
        Assert.AreEqual(Path.Combine(_folder, "digits-cnn", "int8", "digits-cnn.onnx"), int8.ItemSpec);
        Assert.AreEqual("digits-cnn", int8.GetMetadata("Model"));
        Assert.AreEqual("int8", int8.GetMetadata("Variant"));
        Assert.AreEqual("104143", int8.GetMetadata("SizeBytes"));
        Assert.AreEqual("98.886827", int8.GetMetadata("Top1"));
        Assert.AreEqual("compression/digits-cnn/int8/digits-cnn.onnx", int8.GetMetadata("TargetPath"));
        Assert.AreEqual(string.Empty, task.Models[0].GetMetadata("Top1"));
        CollectionAssert.AreEquivalent(
            new[] { "compression/report.json", "compression/report.md" },
            task.Reports.Select(r => r.GetMetadata("TargetPath")).ToArray());
    }

    [TestMethod]
    public void Execute_ReportNamesPathOutsideItsFolder_ReportsCMP7004()
    {
        WriteReport("digits-cnn/baseline/digits-cnn.onnx", "../../etc/passwd");
        var (task, engine) = Create();

        Assert.IsFalse(task.Execute());

        Assert.HasCount(1, engine.Errors);
        Assert.AreEqual("CMP7004", engine.Errors[0].Code);
        StringAssert.Contains(engine.Errors[0].Message, "outside its folder");
    }

    [TestMethod]
    public void Execute_ModelFileDeleted_ReportsCMP7004NamingIt()
    {
        WriteReport("digits-cnn/baseline/digits-cnn.onnx", "digits-cnn/int8/digits-cnn.onnx");
        File.Delete(Path.Combine(_folder, "digits-cnn", "int8", "digits-cnn.onnx"));
        var (task, engine) = Create();

        Assert.IsFalse(task.Execute());

        Assert.AreEqual("CMP7004", engine.Errors.Single().Code);
        StringAssert.Contains(engine.Errors[0].Message, "digits-cnn/int8/digits-cnn.onnx");
    }

    [TestMethod]
    public void Execute_ReportNotJson_ReportsCMP7004WithTheReportsPath()
    {
        File.WriteAllText(Path.Combine(_folder, "report.json"), "{ \"models\": [ ");
        var (task, engine) = Create();

        Assert.IsFalse(task.Execute());

        Assert.AreEqual("CMP7004", engine.Errors.Single().Code);
        Assert.AreEqual(Path.Combine(_folder, "report.json"), engine.Errors[0].File);
    }

    private (ReadCompressionReport Task, RecordingBuildEngine Engine) Create()
    {
        var engine = new RecordingBuildEngine();
        var task = new ReadCompressionReport
        {
            BuildEngine = engine,
            ReportPath = Path.Combine(_folder, "report.json"),
            TargetFolder = "compression",
        };
        return (task, engine);
    }

    /// <summary>A report.json in the engine's shape (trimmed to the fields the task reads, plus some it skips).</summary>
    private void WriteReport(string baselinePath, string int8Path) =>
        File.WriteAllText(Path.Combine(_folder, "report.json"), $$"""
            {
              "schemaVersion": 1,
              "tool": { "name": "dotnet-compress", "version": "0.1.0" },
              "models": [
                {
                  "name": "digits-cnn",
                  "source": "models/digits_cnn.onnx",
                  "variants": [
                    { "name": "baseline", "path": "{{baselinePath}}", "sizeBytes": 363311, "params": 89882 },
                    { "name": "int8", "path": "{{int8Path}}", "sizeBytes": 104143,
                      "accuracy": { "top1": 98.886827, "samples": 539 },
                      "gates": [ { "name": "top1-maxDrop", "passed": true, "observed": 0.186, "threshold": 1 } ] }
                  ]
                }
              ]
            }
            """);
}
