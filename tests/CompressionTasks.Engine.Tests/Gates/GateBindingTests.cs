using CompressionTasks.Gates;
using CompressionTasks.Manifest;

namespace CompressionTasks.Engine.Tests.Gates;

/// <summary>Gates are bound when the manifest loads: one typed gate per threshold, with its location and a unique name.</summary>
[TestClass]
public sealed class GateBindingTests
{
    private static CompressionManifest Load(string gates)
    {
        using var workspace = new Manifest.ManifestWorkspace().WithFixtureFiles();
        workspace.Manifest($"""
            version: 1
            models:
              - path: models/digits_cnn.onnx
                variants:
                  - name: fp16
                    passes: [ {"{"} convert: fp16 {"}"} ]
            gates:
            {gates}
            """);
        return ManifestLoader.Load(workspace.ManifestPath, Manifest.TestPasses.Catalog);
    }

    [TestMethod]
    public void Bind_EachThreshold_BecomesTheGateOfItsKindAtItsLine()
    {
        var manifest = Load("""
              - { metric: top1, maxDrop: 1.0 }
              - { minTop1: 90 }
              - { metric: latency, maxRegression: 10 }
              - { metric: size, maxRegression: 5, baseline: baseline/report.json }
            """);

        var gates = manifest.BoundGates;
        Assert.HasCount(4, gates);
        Assert.IsInstanceOfType<AccuracyDropGate>(gates[0]);
        Assert.IsInstanceOfType<AbsoluteLimitGate>(gates[1]);
        Assert.AreEqual(RegressionMetric.Latency, ((BaselineRegressionGate)gates[2]).Metric);
        Assert.AreEqual(RegressionMetric.Size, ((SavedReportRegressionGate)gates[3]).Metric);
        CollectionAssert.AreEqual(new[] { "top1-maxDrop", "top1-minTop1", "latency-maxRegression", "size-maxRegression" }, gates.Select(g => g.Name).ToArray());
        CollectionAssert.AreEqual(manifest.Gates.Select(d => d.Location).ToArray(), gates.Select(g => g.Location).ToArray());
        Assert.IsTrue(gates.All(g => g.Location.Line > 0));
        Assert.AreEqual("CMP5050", gates[2].Code.Id);
    }

    [TestMethod]
    public void Bind_UnnamedGatesAlike_GetUniqueNames()
    {
        var manifest = Load("""
              - { minTop1: 90 }
              - { minTop1: 95, variants: [baseline] }
              - { name: top1-minTop1-2, minTop1: 80 }
            """);

        CollectionAssert.AreEqual(new[] { "top1-minTop1", "top1-minTop1-3", "top1-minTop1-2" }, manifest.BoundGates.Select(g => g.Name).ToArray());
    }

    [TestMethod]
    public void Bind_GateWithSeveralThresholds_NamesEachAfterItsThreshold()
    {
        var manifest = Load("""
              - { name: speed, metric: latency, maxRegression: 10, maxLatencyMs: 5 }
              - { metric: top1, maxDrop: 1, minTop1: 90 }
            """);

        CollectionAssert.AreEqual(
            new[] { "speed-maxLatencyMs", "speed-maxRegression", "top1-maxDrop", "top1-minTop1" },
            manifest.BoundGates.Select(g => g.Name).ToArray());
    }
}
