using CompressionTasks.Manifest;
using CompressionTasks.Passes;

namespace CompressionTasks.Hardening.Tests.PathSafety;

/// <summary>Model and variant names become paths under the output folder: the manifest check refuses unsafe ones at their line.</summary>
[TestClass]
public sealed class UnsafeNameTests
{
    private static string s_folder = null!;

    [ClassInitialize]
    public static void CreateFolder(TestContext context)
    {
        s_folder = Path.Combine(Path.GetTempPath(), "cmp-harden-names-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path.Combine(s_folder, "models"));
        File.Copy(Repository.Path("models", "digits_cnn.onnx"), Path.Combine(s_folder, "models", "digits_cnn.onnx"));
        File.Copy(Repository.Path("models", "digits_cnn.onnx"), Path.Combine(s_folder, "models", "my model.onnx"));
    }

    [ClassCleanup]
    public static void DeleteFolder() => Directory.Delete(s_folder, recursive: true);

    [TestMethod]
    [DataRow("../evil")]
    [DataRow("..")]
    [DataRow("a/b")]
    [DataRow("/etc/cron.d/x")]
    [DataRow("C:\\\\temp\\\\x")]
    [DataRow("x\\\\..\\\\..\\\\y")]
    [DataRow("$(id)")]
    [DataRow("trailing.")]
    public void TryLoad_UnsafeModelName_ReportsCMP1902AtNameLine(string name)
    {
        var errors = Load($$"""
            version: 1
            models:
              - name: "{{name}}"
                path: models/digits_cnn.onnx
                variants:
                  - name: fp16
                    passes: [ { convert: fp16 } ]
            """);

        var error = errors.Single();
        Assert.AreEqual("CMP1902", error.Code.Id, error.ToString());
        Assert.AreEqual(3, error.Location.Line, error.ToString());
    }

    [TestMethod]
    [DataRow("../../escape")]
    [DataRow("/abs")]
    [DataRow("a/b")]
    [DataRow("..")]
    public void TryLoad_UnsafeVariantName_ReportsCMP1902AtNameLine(string name)
    {
        var errors = Load($$"""
            version: 1
            models:
              - name: cnn
                path: models/digits_cnn.onnx
                variants:
                  - name: "{{name}}"
                    passes: [ { convert: fp16 } ]
            """);

        var error = errors.Single();
        Assert.AreEqual("CMP1902", error.Code.Id, error.ToString());
        Assert.AreEqual(6, error.Location.Line, error.ToString());
    }

    [TestMethod]
    public void TryLoad_GlobNamingModelAfterUnsafeFileName_ReportsCMP1902AtPathLine()
    {
        var errors = Load("""
            version: 1
            models:
              - path: "models/my*.onnx"
            """);

        var error = errors.Single();
        Assert.AreEqual("CMP1902", error.Code.Id, error.ToString());
        Assert.AreEqual(3, error.Location.Line);
        StringAssert.Contains(error.Message, "my model.onnx");
    }

    [TestMethod]
    public void TryLoad_SafeNames_NoErrors()
    {
        var errors = Load("""
            version: 1
            models:
              - name: digits-cnn_v1.2+b
                path: models/digits_cnn.onnx
                variants:
                  - name: fp16.x
                    passes: [ { convert: fp16 } ]
            """);

        Assert.IsEmpty(errors);
    }

    private static List<Diagnostics.Diagnostic> Load(string yaml)
    {
        var path = Path.Combine(s_folder, Guid.NewGuid().ToString("N")[..8] + ".yaml");
        File.WriteAllText(path, yaml);
        return ManifestLoader.TryLoad(path, PassRegistry.Catalog).Errors.ToList();
    }
}
