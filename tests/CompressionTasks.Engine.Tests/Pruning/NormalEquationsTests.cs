using CompressionTasks.Diagnostics;
using CompressionTasks.Engine.Tests.Measurement;
using CompressionTasks.Evaluation.Datasets;
using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Graph;
using CompressionTasks.Passes;
using CompressionTasks.Passes.Pruning;
using CompressionTasks.Passes.Recovery;

namespace CompressionTasks.Engine.Tests.Pruning;

/// <summary>The blocked XᵀX accumulation of least squares, and sampled positions.</summary>
[TestClass]
public sealed class NormalEquationsTests
{
    [TestMethod]
    [DataRow(1, 1, 1)]
    [DataRow(7, 3, 1)]
    [DataRow(37, 5, 2)]
    [DataRow(130, 17, 2)]
    public void Solve_BlockedAccumulation_IsBitForBitTheRowByRowSum(int features, int targets, int threads)
    {
        // 300 rows cross two full blocks and a partial one; a third of the inputs are zero, as after ReLU.
        var rng = new SplitMix64(5);
        double Next() => rng.NextInt(3) == 0 ? 0 : (rng.Next() >> 11) * (1.0 / (1UL << 53)) - 0.5;
        var rows = Enumerable.Range(0, 300).Select(_ => (X: Enumerable.Range(0, features).Select(_ => Next()).ToArray(), Y: Enumerable.Range(0, targets).Select(_ => Next()).ToArray())).ToArray();
        var blocked = new NormalEquations(features, targets, threads);
        var gram = new double[features * features];
        var cross = new double[features * targets];
        foreach (var (x, y) in rows)
        {
            blocked.Add(x, y);
            for (var i = 0; i < features; i++)
            {
                for (var j = i; j < features; j++)
                {
                    gram[i * features + j] += x[i] * x[j];
                }

                for (var t = 0; t < targets; t++)
                {
                    cross[i * targets + t] += x[i] * y[t];
                }
            }
        }

        var solution = blocked.Solve(1e-3);

        Assert.AreEqual(300, blocked.Rows);
        CollectionAssert.AreEqual(NormalEquations.SolveSums(gram, cross, features, targets, 1e-3), solution);
        // The solver as first written sums each Cholesky entry's terms one at a time; the solve now sums them in four
        // vector lanes (same bits for any thread count, see RidgePriorTests), so it agrees to rounding, not bit for bit.
        var reference = ColumnByColumn(gram, cross, features, targets, 1e-3);
        for (var i = 0; i < reference.Length; i++)
        {
            Assert.AreEqual(reference[i], solution[i], 1e-9 * (1 + Math.Abs(reference[i])), $"[{i}]");
        }
    }

    [TestMethod]
    public void LeastSquares_SampledPositions_AreDeterministicAndStillRecover()
    {
        var calibration = new CompressionTasks.Evaluation.DatasetSource("digits-calib", CompressionTasks.Evaluation.DatasetFormat.Npy, Path.Combine(Evaluation.TestData.Digits, "calib_x.npy"));
        var baseline = RealModelPruningTests.Top1(OnnxGraph.Import(OnnxModelFile.Load(DigitsFixture.ResNet)));
        byte[] Run(int rowsPerFeature, out double top1)
        {
            var graph = OnnxGraph.Import(OnnxModelFile.Load(DigitsFixture.ResNet));
            var context = new PassContext("digits-resnet", CancellationToken.None) { Calibration = calibration, IntraOpThreads = 1 };
            new PrunePass(new PruneOptions { Method = PruneMethod.Structured, Ratio = 0.3 }).Apply(graph, context);
            graph.Cleanup();
            graph.TopologicalSort();
            PassRegistry.Create("recover", new Dictionary<string, object?> { ["method"] = "least-squares", ["rowsPerFeature"] = (long)rowsPerFeature }, SourceLocation.None).Apply(graph, context);
            graph.Cleanup();
            graph.TopologicalSort();
            top1 = RealModelPruningTests.Top1(graph);
            var path = Path.Combine(Evaluation.TestData.NewTempFolder(), "refit.onnx");
            OnnxModelFile.Save(graph.Export(), path);
            return File.ReadAllBytes(path);
        }

        // 8 rows per feature keeps a fraction of the 179 samples' positions (e.g. 145 features: 1160 of 11456 rows).
        var first = Run(8, out var sampledTop1);
        var second = Run(8, out _);
        Run(0, out var allTop1);

        CollectionAssert.AreEqual(first, second, "the same seed must give the same model");
        Assert.IsLessThanOrEqualTo(2.0, baseline - sampledTop1, $"sampled {sampledTop1}, all positions {allTop1}, baseline {baseline}");
    }

    /// <summary>The solver as first written (Cholesky, then substitution one target column at a time): the reference.</summary>
    private static double[] ColumnByColumn(double[] gram, double[] cross, int features, int targets, double relativeRidge)
    {
        var n = features;
        var a = (double[])gram.Clone();
        var trace = 0.0;
        for (var i = 0; i < n; i++)
        {
            trace += a[i * n + i];
            for (var j = 0; j < i; j++)
            {
                a[i * n + j] = a[j * n + i];
            }
        }

        var lambda = Math.Max(relativeRidge * trace / n, 1e-12);
        for (var i = 0; i < n; i++)
        {
            a[i * n + i] += lambda;
        }

        // Cholesky A = LLᵀ in place (lower triangle).
        for (var j = 0; j < n; j++)
        {
            var d = a[j * n + j];
            for (var k = 0; k < j; k++)
            {
                d -= a[j * n + k] * a[j * n + k];
            }

            d = Math.Sqrt(Math.Max(d, 1e-300));
            a[j * n + j] = d;
            for (var i = j + 1; i < n; i++)
            {
                var s = a[i * n + j];
                for (var k = 0; k < j; k++)
                {
                    s -= a[i * n + k] * a[j * n + k];
                }

                a[i * n + j] = s / d;
            }
        }

        var w = (double[])cross.Clone();
        var m = targets;
        for (var i = 0; i < n; i++)
        {
            for (var t = 0; t < m; t++)
            {
                var s = w[i * m + t];
                for (var k = 0; k < i; k++)
                {
                    s -= a[i * n + k] * w[k * m + t];
                }

                w[i * m + t] = s / a[i * n + i];
            }
        }

        for (var i = n - 1; i >= 0; i--)
        {
            for (var t = 0; t < m; t++)
            {
                var s = w[i * m + t];
                for (var k = i + 1; k < n; k++)
                {
                    s -= a[k * n + i] * w[k * m + t];
                }

                w[i * m + t] = s / a[i * n + i];
            }
        }

        return w;
    }
}
