using CompressionTasks.Diagnostics;
using CompressionTasks.Reports;

namespace CompressionTasks.Engine.Tests.Reports;

[TestClass]
public sealed class ReportJsonTests
{
    private static CompressionReport Sample() => new()
    {
        Tool = new ToolInfo("dotnet-compress", "0.1.0"),
        Environment = new EnvironmentInfo
        {
            Os = "Linux",
            Cpu = "cpu",
            LogicalCores = 2,
            DotnetVersion = "10.0.0",
            OnnxRuntimeVersion = "1.31.0",
            StartedUtc = "2026-01-01T00:00:00Z",
        },
        Manifest = "compression.yaml",
        Models =
        [
            new ModelReport
            {
                Name = "digits-cnn",
                Source = "models/digits_cnn.onnx",
                Variants = [new VariantReport { Name = VariantReport.BaselineName, Path = "digits-cnn/baseline/digits-cnn.onnx", SizeBytes = 1234 }],
            },
        ],
    };

    [TestMethod]
    public void Serialize_UsesCamelCaseAndOmitsAbsentSections()
    {
        var json = ReportJson.Serialize(Sample());

        StringAssert.Contains(json, "\"schemaVersion\": 1");
        StringAssert.Contains(json, "\"sizeBytes\": 1234");
        Assert.DoesNotContain("latencyMs", json, "an area that produced nothing must be absent, not faked");
        Assert.DoesNotContain("null", json);
    }

    [TestMethod]
    public void WriteThenRead_RoundTrips()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("report-").FullName, "report.json");
        ReportJson.Write(Sample(), path);

        var read = ReportJson.Read(path);

        Assert.AreEqual(ReportJson.Serialize(Sample()), ReportJson.Serialize(read));
    }

    [TestMethod]
    public void Read_Garbage_ReportsCMP1901WithFile()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("report-").FullName, "report.json");
        File.WriteAllText(path, "{ \"schemaVersion\": 1,\n  oops }");

        var ex = Assert.ThrowsExactly<CompressionException>(() => ReportJson.Read(path));

        Assert.AreEqual("CMP1901", ex.Code.Id);
        Assert.AreEqual(path, ex.Diagnostics[0].Location.File);
        Assert.AreEqual(2, ex.Diagnostics[0].Location.Line);
    }
}
