using CompressionTasks.Reports;

namespace CompressionTasks.Engine.Tests.Reports;

[TestClass]
public sealed class LayerErrorTableTests
{
    [TestMethod]
    public void Render_StaticInt8Variant_ShowsItsWorstTensorsInOrderEscaped()
    {
        var report = WithLayerErrors(SampleReports.TwoModels(), [
            new LayerErrorReport("<script>x</script>", "/conv<1>", "Conv", 11.91),
            new LayerErrorReport("input", null, null, 24.5),
            new LayerErrorReport("logits", "/fc", "Gemm", null),
        ]);

        var html = HtmlReport.Render(report);

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        StringAssert.Contains(html, "<h3>" + LayerErrorTable.Heading + "</h3>");
        StringAssert.Contains(html, "the 3 worst of 19 quantized activations, on 32 calibration samples");
        var first = html.IndexOf("<code>&lt;script&gt;x&lt;/script&gt;</code></th><td>/conv&lt;1&gt;</td><td>Conv</td><td class=\"num\">11.91</td>", StringComparison.Ordinal);
        var second = html.IndexOf("<code>input</code></th><td>(graph input)</td><td>—</td><td class=\"num\">24.50</td>", StringComparison.Ordinal);
        var third = html.IndexOf("<code>logits</code></th><td>/fc</td><td>Gemm</td><td class=\"num\">exact</td>", StringComparison.Ordinal);
        Assert.IsTrue(first > 0 && second > first && third > second, html);

        var markdown = MarkdownReport.Render(report);
        StringAssert.Contains(markdown, "SQNR 11.91 dB");
        Assert.AreEqual(1, LayerErrorTable.Notes(report.Models[0]).Count());
    }

    [TestMethod]
    public void Render_NoLayerErrors_HasNoTable()
    {
        var report = SampleReports.TwoModels();

        Assert.DoesNotContain(LayerErrorTable.Heading, HtmlReport.Render(report));
        Assert.IsEmpty(LayerErrorTable.Notes(report.Models[0]));
    }

    [TestMethod]
    public void ReportJson_LayerErrors_WrittenAsPassFieldsAndReadBack()
    {
        var report = WithLayerErrors(SampleReports.TwoModels(), [new LayerErrorReport("t", "/conv", "Conv", 11.91), new LayerErrorReport("input", null, null, null)]);
        var path = Path.Combine(Onnx.TestModels.TempFolder(), "report.json");

        ReportJson.Write(report, path);

        using (var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(path)))
        {
            var errors = json.RootElement.GetProperty("models")[0].GetProperty("variants")[report.Models[0].Variants.Count - 1].GetProperty("passes")[0].GetProperty("layerErrors");
            Assert.AreEqual("{\"tensor\":\"t\",\"node\":\"/conv\",\"opType\":\"Conv\",\"sqnrDb\":11.91}", Compact(errors[0]));
            Assert.AreEqual("{\"tensor\":\"input\"}", Compact(errors[1]));
        }

        var read = ReportJson.Read(path).Models[0].Variants[^1].Passes![0].LayerErrors!;
        CollectionAssert.AreEqual(report.Models[0].Variants[^1].Passes![0].LayerErrors!.ToArray(), read.ToArray());
    }

    private static string Compact(System.Text.Json.JsonElement element) => System.Text.Json.JsonSerializer.Serialize(element);

    private static CompressionReport WithLayerErrors(CompressionReport report, IReadOnlyList<LayerErrorReport> errors)
    {
        var model = report.Models[0];
        var variant = model.Variants[^1];
        var pass = new PassReport("quantize", new Dictionary<string, string> { ["mode"] = "static" }, 12.5)
        {
            Details = new Dictionary<string, string> { ["layerErrorTensors"] = "19", ["layerErrorSamples"] = "32" },
            LayerErrors = errors,
        };
        var variants = model.Variants.Take(model.Variants.Count - 1).Append(variant with { Passes = [pass] }).ToArray();
        return report with { Models = [model with { Variants = variants }, .. report.Models.Skip(1)] };
    }
}
