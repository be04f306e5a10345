using System.Text;
using CompressionTasks.Diagnostics;
using CompressionTasks.Evaluation;
using CompressionTasks.Manifest;
using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Graph;
using CompressionTasks.Passes;
using CompressionTasks.Passes.Pruning;
using CompressionTasks.Passes.Quantization;
using CompressionTasks.Passes.Recovery;
using CompressionTasks.Pipeline;

namespace CompressionTasks.Engine.Tests.Pipeline;

/// <summary>
/// Calibration, recovery and fine-tuning on a calibration set of 3 digits samples (an npy cut from the committed one):
/// an explicit sample count the set cannot meet, or a set that selects nothing, fails the run with a code naming the
/// dataset and both counts; a defaulted count runs on what exists.
/// </summary>
[TestClass]
public sealed class FewSamplesTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Run_StaticQuantizeAskingForMoreCalibrationSamplesThanExist_ReportsCMP3020WithBothCounts()
    {
        var error = await Failure("{ quantize: { mode: static, calibrationSamples: 10 } }");

        Assert.AreEqual(DiagnosticCodes.TooFewSamples, error.Code);
        StringAssert.Contains(error.Message, "dataset 'tiny'");
        StringAssert.Contains(error.Message, "calibrationSamples: 10 asks for 10 samples");
        StringAssert.Contains(error.Message, "holds only 3");
        StringAssert.Contains(error.Message, "digits-cnn");
    }

    [TestMethod]
    public async Task Run_StaticQuantizeWithTheDefaultCount_CalibratesOnTheSamplesThatExist()
    {
        var result = await Run("{ quantize: { mode: static } }");

        Assert.AreEqual(ExitCodes.Success, result.ExitCode, Messages(result));
        Assert.AreEqual("3", Variant(result).Passes!.Single().Details!["calibrationSamples"]);
    }

    [TestMethod]
    [DataRow("least-squares")]
    [DataRow("bias-correction")]
    [DataRow("bn-recalibration")]
    public async Task Run_RecoverAskingForMoreSamplesThanExist_ReportsCMP3020WithBothCounts(string method)
    {
        var error = await Failure($"{{ prune: {{ method: structured, ratio: 0.3 }} }}\n- {{ recover: {{ method: {method}, samples: 64 }} }}");

        Assert.AreEqual(DiagnosticCodes.TooFewSamples, error.Code);
        StringAssert.Contains(error.Message, "recover (digits-cnn)");
        StringAssert.Contains(error.Message, "samples: 64 asks for 64 samples");
        StringAssert.Contains(error.Message, "dataset 'tiny'");
        StringAssert.Contains(error.Message, "holds only 3");
    }

    [TestMethod]
    public async Task Run_RecoverWithTheDefaultCount_FitsOnTheSamplesThatExist()
    {
        var result = await Run("{ prune: { method: structured, ratio: 0.3 } }\n- { recover: { method: least-squares } }");

        Assert.AreEqual(ExitCodes.Success, result.ExitCode, Messages(result));
        var recover = Variant(result).Passes!.Single(p => p.Name == "recover");
        Assert.AreEqual("3", recover.Details!["samples"]);
        Assert.AreNotEqual("0", recover.Details!["layers"]);
    }

    [TestMethod]
    [DataRow("quantize")]
    [DataRow("recover")]
    public void Apply_CalibrationSetSelectingNoSamples_ReportsCMP3002(string pass)
    {
        // The manifest refuses `limit: 0`; a set built from code can still select nothing, and no pass runs on it.
        var graph = OnnxGraph.Import(OnnxModelFile.Load(Repository.DigitsCnn));
        var context = new PassContext("digits-cnn", TestContext.CancellationToken)
        {
            Calibration = new DatasetSource("empty", DatasetFormat.Npy, Repository.Path("data", "digits", "calib_x.npy"), Limit: 0),
            IntraOpThreads = 1,
        };
        if (pass == "recover")
        {
            new PrunePass(new PruneOptions { Method = PruneMethod.Structured, Ratio = 0.3 }).Apply(graph, context);
            graph.Cleanup();
            graph.TopologicalSort();
        }

        ICompressionPass compression = pass == "recover" ? new RecoverPass(new RecoverOptions()) : new QuantizePass(new QuantizeOptions());
        var error = Assert.ThrowsExactly<CompressionException>(() => compression.Apply(graph, context));

        Assert.AreEqual(DiagnosticCodes.DatasetEmpty, error.Code);
        StringAssert.Contains(error.Message, "'empty'");
    }

    [TestMethod]
    public async Task Run_FinetuneWithABatchLargerThanTheTrainingSet_ShrinksTheBatch()
    {
        var result = await Run("{ finetune: { epochs: 1, batchSize: 32 } }");

        Assert.AreEqual(ExitCodes.Success, result.ExitCode, Messages(result));
        Assert.AreEqual("finetune", Variant(result).Passes!.Single().Name);
    }

    private async Task<RunResult> Run(string passes)
    {
        var folder = Directory.CreateTempSubdirectory("fewsamples-").FullName;
        try
        {
            var tiny = Path.Combine(folder, "tiny_x.npy");
            WriteFirstRows(Repository.Path("data", "digits", "calib_x.npy"), tiny, 3);
            var yaml = $"""
                version: 1
                target: host
                output: out
                datasets:
                  digits-test:
                    format: npy
                    path: {Repository.Path("data", "digits", "test_x.npy")}
                    labels: {Repository.Path("data", "digits", "test_y.npy")}
                    limit: 64
                  tiny:
                    format: npy
                    path: {tiny}
                models:
                  - name: digits-cnn
                    path: {Repository.DigitsCnn}
                    dataset: digits-test
                    calibration: tiny
                    variants:
                      - name: few
                        passes:
                          - {passes.Replace("\n- ", "\n          - ", StringComparison.Ordinal)}
                """;
            var path = Path.Combine(folder, "compression.yaml");
            File.WriteAllText(path, yaml);
            var manifest = ManifestLoader.Load(path, PassRegistry.Catalog);
            var result = await new CompressionRunner(manifest, new RunOptions { Measure = false }).RunAsync(TestContext.CancellationToken);
            return result;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private async Task<CompressionException> Failure(string passes)
    {
        var error = await Assert.ThrowsExactlyAsync<CompressionException>(() => Run(passes));
        Assert.AreEqual(ExitCodes.InvalidInput, error.ExitCode);
        Assert.AreEqual("tiny_x.npy", Path.GetFileName(error.Diagnostics[0].Location.File));
        return error;
    }

    private static CompressionTasks.Reports.VariantReport Variant(RunResult result) => result.Report.Models.Single().Variants.Single(v => v.Name == "few");

    private static string Messages(RunResult result) => string.Join('\n', result.Diagnostics.Select(d => d.ToString()));

    /// <summary>Writes the first <paramref name="rows"/> rows of a version-1 .npy as a new .npy.</summary>
    private static void WriteFirstRows(string source, string destination, int rows)
    {
        var bytes = File.ReadAllBytes(source);
        var headerLength = BitConverter.ToUInt16(bytes, 8);
        var header = Encoding.Latin1.GetString(bytes, 10, headerLength);
        var shapeStart = header.IndexOf("'shape': (", StringComparison.Ordinal) + "'shape': (".Length;
        var shapeEnd = header.IndexOf(',', shapeStart);
        var count = int.Parse(header[shapeStart..shapeEnd], System.Globalization.CultureInfo.InvariantCulture);
        var rowBytes = (bytes.Length - 10 - headerLength) / count;
        var dictionary = (header[..shapeStart] + rows.ToString(System.Globalization.CultureInfo.InvariantCulture) + header[shapeEnd..]).TrimEnd();
        var padded = dictionary.PadRight(((10 + dictionary.Length + 1 + 63) / 64 * 64) - 10 - 1) + "\n";
        using var output = File.Create(destination);
        output.Write(bytes, 0, 8);
        output.Write(BitConverter.GetBytes((ushort)padded.Length));
        output.Write(Encoding.Latin1.GetBytes(padded));
        output.Write(bytes, 10 + headerLength, rows * rowBytes);
    }
}
