using System.Formats.Tar;
using System.Text.Json;
using CompressionTasks.Deployment;
using CompressionTasks.Deployment.Contracts;
using CompressionTasks.Diagnostics;
using CompressionTasks.Manifest;

namespace CompressionTasks.Engine.Tests.Deployment;

[TestClass]
public sealed class BundleWriterTests
{
    [TestMethod]
    public void Write_BaselineForTx2_BundleHoldsModelScriptsReadmeAndDescriptor()
    {
        using var workspace = new DeploymentWorkspace();
        var result = Write(workspace, "baseline");

        Assert.AreEqual(Path.Combine(workspace.OutputFolder, "deploy", "jetson-tx2", "digits-cnn-baseline"), result.Folder);
        Assert.AreEqual(result.Folder + ".tar.gz", result.ArchivePath);
        CollectionAssert.AreEqual(
            new[] { "README.md", "SHA256SUMS", "build-engine.sh", "deployment.json", "digits-cnn.onnx", "measure.sh" },
            Directory.GetFiles(result.Folder).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray());
        CollectionAssert.AreEqual(File.ReadAllBytes(workspace.ModelPath("baseline")), File.ReadAllBytes(Path.Combine(result.Folder, "digits-cnn.onnx")));
        Assert.IsEmpty(result.Warnings);
    }

    [TestMethod]
    public void Write_Baseline_DescriptorDescribesSignaturePreprocessingLabelsAndHost()
    {
        using var workspace = new DeploymentWorkspace();
        var result = Write(workspace, "baseline");
        var descriptor = DeploymentJson.ReadDescriptor(Path.Combine(result.Folder, "deployment.json"));

        Assert.AreEqual("digits-cnn", descriptor.Model);
        Assert.AreEqual("baseline", descriptor.Variant);
        Assert.AreEqual("fp32", descriptor.Precision);
        Assert.AreEqual("fp32", descriptor.EnginePrecision);
        Assert.AreEqual("0.1.0", descriptor.ToolVersion);
        var input = descriptor.Inputs.Single();
        Assert.AreEqual("input", input.Name);
        Assert.AreEqual("float32", input.ElementType);
        CollectionAssert.AreEqual(new[] { "batch", "1", "8", "8" }, input.Shape.ToArray());
        Assert.AreEqual("logits", descriptor.Outputs.Single().Name);
        Assert.AreEqual("grayscale", descriptor.Preprocessing!.ColorMode);
        Assert.AreEqual("NCHW", descriptor.Preprocessing.Layout);
        Assert.AreEqual(0.0039215686, descriptor.Preprocessing.Scale);
        CollectionAssert.AreEqual(Enumerable.Range(0, 10).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray(), descriptor.Labels!.ToArray());
        Assert.AreEqual(99.07, descriptor.Host!.Top1);
        Assert.AreEqual(0.05, descriptor.Host.LatencyMeanMs);
        Assert.AreEqual(40, descriptor.Measure.MaxRuns);
        Assert.AreEqual("sm_62", descriptor.Target.CudaArchitecture);
        StringAssert.Contains(descriptor.Target.StackVersions!["tensorrt"], "8.0.1 (JetPack 4.6)");
        CollectionAssert.AreEqual(new[] { "8.0.1", "8.2.1" }, descriptor.Target.TensorRtVersions!.ToArray());
        Assert.AreEqual(13, descriptor.Target.MaxTensorRtOpset);
        CollectionAssert.Contains(descriptor.Target.PowerRails!.ToArray(), "0x41/0 VDD_IN");
    }

    [TestMethod]
    public void Write_Baseline_DescriptorAndSha256SumsMatchEveryFile()
    {
        using var workspace = new DeploymentWorkspace();
        var result = Write(workspace, "baseline");
        var descriptor = DeploymentJson.ReadDescriptor(Path.Combine(result.Folder, "deployment.json"));

        var expected = Directory.GetFiles(result.Folder)
            .Select(Path.GetFileName)
            .Where(n => n is not "deployment.json" and not "SHA256SUMS")
            .Order(StringComparer.Ordinal)
            .ToArray();
        CollectionAssert.AreEqual(expected, descriptor.Files.Select(f => f.Path).ToArray());
        foreach (var file in descriptor.Files)
        {
            var path = Path.Combine(result.Folder, file.Path);
            Assert.AreEqual(BundleWriter.Sha256(path), file.Sha256, file.Path);
            Assert.AreEqual(new FileInfo(path).Length, file.SizeBytes, file.Path);
        }

        var sums = File.ReadAllLines(Path.Combine(result.Folder, "SHA256SUMS"));
        CollectionAssert.AreEqual(
            Directory.GetFiles(result.Folder).Select(Path.GetFileName).Where(n => n != "SHA256SUMS").Order(StringComparer.Ordinal).ToArray(),
            sums.Select(l => l[66..]).ToArray());
        foreach (var line in sums)
        {
            Assert.AreEqual(BundleWriter.Sha256(Path.Combine(result.Folder, line[66..])), line[..64], line);
        }
    }

    [TestMethod]
    public void Write_Twice_ArchiveIsByteForByteIdentical()
    {
        using var workspace = new DeploymentWorkspace();
        var first = File.ReadAllBytes(Write(workspace, "fp16").ArchivePath);
        Thread.Sleep(1100);
        var second = File.ReadAllBytes(Write(workspace, "fp16").ArchivePath);

        CollectionAssert.AreEqual(first, second);
    }

    [TestMethod]
    public void Write_Archive_EntriesSortedRelativeWithFixedOwnerTimeAndModes()
    {
        using var workspace = new DeploymentWorkspace();
        var result = Write(workspace, "fp16");
        var entries = BundleArchive.Read(result.ArchivePath);

        Assert.AreEqual("digits-cnn-fp16/", entries[0].Name);
        Assert.AreEqual(TarEntryType.Directory, entries[0].Type);
        var files = entries.Skip(1).ToArray();
        CollectionAssert.AreEqual(entries.Select(e => e.Name).Order(StringComparer.Ordinal).ToArray(), entries.Select(e => e.Name).ToArray());
        foreach (var entry in entries)
        {
            Assert.AreEqual(TarEntryFormat.Ustar, entry.Format, entry.Name);
            Assert.StartsWith("digits-cnn-fp16/", entry.Name);
            Assert.IsFalse(entry.Name.Split('/').Contains(".."), entry.Name);
            Assert.IsFalse(Path.IsPathRooted(entry.Name), entry.Name);
            Assert.AreEqual(DeterministicTarGz.FixedModificationTime, entry.ModificationTime, entry.Name);
            Assert.AreEqual(0, entry.Uid, entry.Name);
            Assert.AreEqual(0, entry.Gid, entry.Name);
            Assert.AreEqual(string.Empty, entry.UserName, entry.Name);
            var expectedMode = entry.Type == TarEntryType.Directory || entry.Name.EndsWith(".sh", StringComparison.Ordinal) ? "755" : "644";
            Assert.AreEqual(expectedMode, Convert.ToString((int)entry.Mode, 8), entry.Name);
        }

        foreach (var entry in files)
        {
            CollectionAssert.AreEqual(File.ReadAllBytes(Path.Combine(result.Folder, entry.Name["digits-cnn-fp16/".Length..])), entry.Content, entry.Name);
        }

        Assert.HasCount(Directory.GetFiles(result.Folder).Length, files);
    }

    [TestMethod]
    public void Write_Int8VariantForTx2_WarnsCMP6002RecommendingFp16()
    {
        using var workspace = new DeploymentWorkspace();
        var result = Write(workspace, "int8");

        var warning = result.Warnings.Single();
        Assert.AreEqual(DiagnosticCodes.Int8OnGpuWithoutInt8, warning.Code);
        Assert.AreEqual(DiagnosticSeverity.Warning, warning.Severity);
        StringAssert.Contains(warning.Message, "fp16");
        StringAssert.Contains(warning.Message, "'fp16'");
        StringAssert.Contains(warning.Message, "QuantizeLinear");
        Assert.AreEqual("int8", result.Descriptor.Precision);
        Assert.IsNull(result.Descriptor.EnginePrecision);
        Assert.AreEqual(warning.Message, result.Descriptor.Warnings!.Single());
        StringAssert.Contains(File.ReadAllText(Path.Combine(result.Folder, "README.md")), "fp16");
    }

    [TestMethod]
    public void Write_Int8VariantForTx2_BuildEngineScriptExplainsAndExits2()
    {
        using var workspace = new DeploymentWorkspace();
        var result = Write(workspace, "int8");

        var (exitCode, output) = ShellScripts.RunBash(Path.Combine(result.Folder, "build-engine.sh"), []);

        Assert.AreEqual(2, exitCode, output);
        StringAssert.Contains(output, "no int8 kernels");
    }

    [TestMethod]
    public void Write_Int8VariantForTargetWithoutGpu_NoWarningAndNoEngineScript()
    {
        using var workspace = new DeploymentWorkspace();
        var result = BundleWriter.Write(workspace.LoadManifest(), workspace.Report, workspace.OutputFolder, new BundleRequest(TargetProfile.Host, "digits-cnn", "int8"));

        Assert.IsEmpty(result.Warnings);
        Assert.IsFalse(File.Exists(Path.Combine(result.Folder, "build-engine.sh")));
        Assert.IsTrue(File.Exists(Path.Combine(result.Folder, "measure.sh")));
    }

    [TestMethod]
    public void Write_UnknownVariant_ReportsCMP6001ListingVariants()
    {
        using var workspace = new DeploymentWorkspace();

        var error = Assert.ThrowsExactly<CompressionException>(() => Write(workspace, "pruned"));

        Assert.AreEqual(DiagnosticCodes.DeployVariantNotFound, error.Code);
        StringAssert.Contains(error.Message, "baseline, fp16, int8");
        Assert.IsFalse(Directory.Exists(Path.Combine(workspace.OutputFolder, "deploy")));
    }

    [TestMethod]
    public void Write_ModelFileDeleted_ReportsCMP6003()
    {
        using var workspace = new DeploymentWorkspace();
        File.Delete(workspace.ModelPath("fp16"));

        var error = Assert.ThrowsExactly<CompressionException>(() => Write(workspace, "fp16"));

        Assert.AreEqual(DiagnosticCodes.DeployInputMissing, error.Code);
    }

    [TestMethod]
    public void Write_ReportPathClimbsOutOfOutputFolder_ReportsCMP6003()
    {
        using var workspace = new DeploymentWorkspace();
        var report = workspace.Report with
        {
            Models = [workspace.Report.Models[0] with { Variants = [workspace.Report.Models[0].Variants[1] with { Path = "../model.onnx" }] }],
        };

        var error = Assert.ThrowsExactly<CompressionException>(() =>
            BundleWriter.Write(workspace.LoadManifest(), report, workspace.OutputFolder, new BundleRequest(TargetProfile.JetsonTx2, "digits-cnn", "fp16")));

        Assert.AreEqual(DiagnosticCodes.DeployInputMissing, error.Code);
    }

    [TestMethod]
    public void Write_VariantNameWithSlash_ReportsCMP6004()
    {
        using var workspace = new DeploymentWorkspace();
        var report = workspace.Report with
        {
            Models = [workspace.Report.Models[0] with { Variants = [workspace.Report.Models[0].Variants[1] with { Name = "../../escape" }] }],
        };

        var error = Assert.ThrowsExactly<CompressionException>(() =>
            BundleWriter.Write(workspace.LoadManifest(), report, workspace.OutputFolder, new BundleRequest(TargetProfile.JetsonTx2, "digits-cnn", "../../escape")));

        Assert.AreEqual(DiagnosticCodes.UnsafeBundleName, error.Code);
    }

    [TestMethod]
    public void Write_Fp16Variant_DeploymentJsonParsesAsPlainJson()
    {
        using var workspace = new DeploymentWorkspace();
        var result = Write(workspace, "fp16");

        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(result.Folder, "deployment.json")));
        Assert.AreEqual("fp16", document.RootElement.GetProperty("precision").GetString());
        Assert.AreEqual("2x Denver2 + 4x Cortex-A57 (arm64)", document.RootElement.GetProperty("target").GetProperty("cpu").GetString());
    }

    [TestMethod]
    public void Write_ModelWithExternalData_BundlesDataFileWithChecksumAndArchivesItsFolder()
    {
        using var workspace = new DeploymentWorkspace();
        var model = CompressionTasks.Onnx.OnnxModelFile.Load(workspace.ModelPath("baseline"));
        CompressionTasks.Onnx.OnnxModelFile.Save(model, workspace.ModelPath("baseline"),
            new CompressionTasks.Onnx.OnnxSaveOptions { ExternalDataThresholdBytes = 1024, ExternalDataFileName = "weights/digits-cnn.data" });

        var result = Write(workspace, "baseline");

        var data = Path.Combine(result.Folder, "weights", "digits-cnn.data");
        CollectionAssert.AreEqual(File.ReadAllBytes(Path.Combine(Path.GetDirectoryName(workspace.ModelPath("baseline"))!, "weights", "digits-cnn.data")), File.ReadAllBytes(data));
        Assert.AreEqual(BundleWriter.Sha256(data), result.Descriptor.Files.Single(f => f.Path == "weights/digits-cnn.data").Sha256);
        var names = BundleArchive.Read(result.ArchivePath).Select(e => e.Name).ToArray();
        CollectionAssert.IsSubsetOf(new[] { "digits-cnn-baseline/weights/", "digits-cnn-baseline/weights/digits-cnn.data" }, names);
        CollectionAssert.AreEqual(names.Order(StringComparer.Ordinal).ToArray(), names);
    }

    internal static BundleResult Write(DeploymentWorkspace workspace, string variant, TargetProfile? target = null) =>
        BundleWriter.Write(workspace.LoadManifest(), workspace.Report, workspace.OutputFolder, new BundleRequest(target ?? TargetProfile.JetsonTx2, workspace.ModelName, variant));
}
