using CompressionTasks.Evaluation.Datasets;
using CompressionTasks.Passes.Recovery;

namespace CompressionTasks.Engine.Tests.Pruning;

/// <summary>Least squares' ridge towards a prior (the layer as pruned), the held-out error from sums, and the ridge search.</summary>
[TestClass]
public sealed class RidgePriorTests
{
    [TestMethod]
    public void SolveWithPrior_FeatureAbsentFromX_StaysAtThePriorInsteadOfZero()
    {
        // Feature 2 is zero on every row (a channel the data never excites): nothing constrains its weights but the ridge.
        const int features = 4, targets = 3;
        var rng = new SplitMix64(11);
        var equations = new NormalEquations(features, targets);
        for (var r = 0; r < 200; r++)
        {
            var x = new[] { Uniform(ref rng), Uniform(ref rng), 0, 1 };
            equations.Add(x, [Uniform(ref rng), Uniform(ref rng), Uniform(ref rng)]);
        }

        var prior = Enumerable.Range(0, features * targets).Select(i => 0.5 + i).ToArray();

        var towardsPrior = equations.Solve(1e-3, prior);
        var towardsZero = equations.Solve(1e-3);

        for (var t = 0; t < targets; t++)
        {
            Assert.AreEqual(prior[2 * targets + t], towardsPrior[2 * targets + t], 1e-12, $"target {t}");
            Assert.AreEqual(0, towardsZero[2 * targets + t], 1e-12, $"target {t} without a prior");
        }
    }

    [TestMethod]
    public void SolveWithPrior_HugeRidge_ReturnsThePrior()
    {
        var (gram, cross, _) = Sums(new SplitMix64(3), rows: 50, features: 6, targets: 4, noise: 0.1, truth: null);
        var prior = Enumerable.Range(0, 24).Select(i => Math.Sin(i)).ToArray();

        var solution = NormalEquations.SolveSums(gram, cross, 6, 4, 1e9, prior);
        var unregularised = NormalEquations.SolveSums(gram, cross, 6, 4, 1e-9, prior);

        for (var i = 0; i < prior.Length; i++)
        {
            Assert.AreEqual(prior[i], solution[i], 1e-6, $"[{i}]");
        }

        Assert.IsGreaterThan(0.1, unregularised.Zip(prior, (a, b) => Math.Abs(a - b)).Max(), "a tiny ridge fits the data, away from the prior");
    }

    [TestMethod]
    [DataRow(1)]
    [DataRow(2)]
    public void ResidualSums_EqualsTheDirectResidual(int threads)
    {
        const int features = 37, targets = 9, rows = 300;
        var rng = new SplitMix64(7);
        var x = new double[rows][];
        var y = new double[rows][];
        var equations = new NormalEquations(features, targets, threads);
        for (var r = 0; r < rows; r++)
        {
            x[r] = Enumerable.Range(0, features).Select(_ => Uniform(ref rng)).ToArray();
            y[r] = Enumerable.Range(0, targets).Select(_ => 3 * Uniform(ref rng)).ToArray();
            equations.Add(x[r], y[r]);
        }

        // Any W, not only a fitted one: the identity ‖Y − XW‖² = YᵀY − 2 tr(WᵀXᵀY) + tr(WᵀXᵀXW) holds for all.
        var w = Enumerable.Range(0, features * targets).Select(_ => Uniform(ref rng)).ToArray();
        var direct = 0.0;
        for (var r = 0; r < rows; r++)
        {
            for (var t = 0; t < targets; t++)
            {
                var e = y[r][t];
                for (var k = 0; k < features; k++)
                {
                    e -= x[r][k] * w[k * targets + t];
                }

                direct += e * e;
            }
        }

        var fromSums = NormalEquations.ResidualSums(equations.Gram, equations.Cross, equations.SumOfSquaredTargets, w, features, targets, threads);
        var fitted = equations.Solve(1e-6);
        var fittedDirect = Enumerable.Range(0, rows).Sum(r => Enumerable.Range(0, targets).Sum(t =>
        {
            var e = y[r][t] - Enumerable.Range(0, features).Sum(k => x[r][k] * fitted[k * targets + t]);
            return e * e;
        }));

        Assert.AreEqual(direct, fromSums, 1e-9 * direct);
        Assert.AreEqual(fittedDirect, NormalEquations.ResidualSums(equations.Gram, equations.Cross, equations.SumOfSquaredTargets, fitted, features, targets, threads), 1e-8 * fittedDirect);
    }

    [TestMethod]
    public void SolveSums_ThreadCount_DoesNotChangeTheBits()
    {
        // Wide enough that the Cholesky shares rows between threads and the substitution shares column chunks.
        const int features = 600, targets = 130;
        var (gram, cross, _) = Sums(new SplitMix64(9), rows: 700, features, targets, noise: 0.5, truth: null);
        var prior = Enumerable.Range(0, features * targets).Select(i => Math.Cos(i)).ToArray();

        var one = NormalEquations.SolveSums(gram, cross, features, targets, 1e-3, prior, threads: 1);
        var two = NormalEquations.SolveSums(gram, cross, features, targets, 1e-3, prior, threads: 2);

        CollectionAssert.AreEqual(one, two);
    }

    [TestMethod]
    public void RidgeSearch_FewNoisyRows_PicksALargerRidge()
    {
        // Fewer fit rows than features, with noise as large as the signal: a small ridge fits the noise, and the prior
        // (here the true weights, as the pruned layer's kept weights are close to what the data wants) is the better guess.
        const int features = 30, targets = 5;
        var truth = Truth(features, targets);
        var (fit, heldOut) = Split(new SplitMix64(21), fitRows: 20, heldOutRows: 200, features, targets, noise: 1.0, truth);

        var (sameFit, sameHeldOut) = Split(new SplitMix64(21), fitRows: 20, heldOutRows: 200, features, targets, noise: 1.0, truth);

        var (solution, ridge) = RidgeSearch.Solve(fit, heldOut, 1e-3, truth, threads: 1);

        Assert.IsGreaterThan(1e-3, ridge);
        CollectionAssert.AreEqual(NormalEquations.SolveSums(Add(sameFit.Gram, sameHeldOut.Gram), Add(sameFit.Cross, sameHeldOut.Cross), features, targets, ridge, truth), solution);
    }

    [TestMethod]
    public void RidgeSearch_PlentifulCleanRows_PicksTheGivenRidge()
    {
        // Many rows, no noise, a prior far from the truth: the least ridge fits best.
        const int features = 30, targets = 5;
        var truth = Truth(features, targets);
        var (fit, heldOut) = Split(new SplitMix64(22), fitRows: 2000, heldOutRows: 500, features, targets, noise: 0, truth);

        var (_, ridge) = RidgeSearch.Solve(fit, heldOut, 1e-3, new double[features * targets], threads: 1);

        Assert.AreEqual(1e-3, ridge);
    }

    [TestMethod]
    public void RidgeSearch_NothingHeldOut_UsesTheGivenRidge()
    {
        const int features = 8, targets = 2;
        var truth = Truth(features, targets);
        var (fit, heldOut) = Split(new SplitMix64(23), fitRows: 4, heldOutRows: 0, features, targets, noise: 1.0, truth);

        var alone = fit.Solve(1e-3, truth);

        var (solution, ridge) = RidgeSearch.Solve(fit, heldOut, 1e-3, truth, threads: 1);

        Assert.AreEqual(1e-3, ridge);
        CollectionAssert.AreEqual(alone, solution);
    }

    [TestMethod]
    [DataRow(1)]
    [DataRow(2)]
    public void Solve_FewerRowsThanFeatures_DualFormMatchesTheNormalEquations(int threads)
    {
        // 40 rows, 90 features: the rows are kept and solved as a 40 × 40 system; the sums give the 90 × 90 one.
        const int features = 90, targets = 7;
        var truth = Truth(features, targets);
        var (rows, _) = Split(new SplitMix64(31), fitRows: 40, heldOutRows: 0, features, targets, noise: 0.3, truth);
        var equations = new NormalEquations(features, targets, threads);
        var rng = new SplitMix64(31);
        var all = Enumerable.Range(0, 40).Select(_ => Row(ref rng, features, targets, 0.3, truth)).ToArray();
        foreach (var (x, y) in all)
        {
            equations.Add(x, y);
        }

        var prior = Enumerable.Range(0, features * targets).Select(i => Math.Cos(0.3 * i)).ToArray();
        var w = Enumerable.Range(0, features * targets).Select(i => Math.Sin(1.3 * i)).ToArray();

        Assert.IsTrue(equations.KeepsRows);
        var dual = equations.Solve(1e-2, prior);
        var dualResidual = equations.Residual(w);
        var primal = NormalEquations.SolveSums(rows.Gram, rows.Cross, features, targets, 1e-2, prior);
        var primalResidual = NormalEquations.ResidualSums(rows.Gram, rows.Cross, rows.SumOfSquaredTargets, w, features, targets);

        for (var i = 0; i < primal.Length; i++)
        {
            Assert.AreEqual(primal[i], dual[i], 1e-9 * (1 + Math.Abs(primal[i])), $"[{i}]");
        }

        Assert.AreEqual(primalResidual, dualResidual, 1e-9 * primalResidual);
        Assert.IsFalse(rows.KeepsRows, "reading the sums gives up the rows");
    }

    [TestMethod]
    public void RidgeSummary_CountsLayersPerRidge()
    {
        Assert.AreEqual("0.001 ×1, 0.1 ×2, 1 ×1", RecoverPass.RidgeSummary([0.1, 0.001, 1, 0.1]));
    }

    private static double Uniform(ref SplitMix64 rng) => (rng.Next() >> 11) * (1.0 / (1UL << 53)) - 0.5;

    private static double[] Truth(int features, int targets) => Enumerable.Range(0, features * targets).Select(i => Math.Sin(0.7 * i)).ToArray();

    private static double[] Add(double[] a, double[] b) => a.Zip(b, (p, q) => p + q).ToArray();

    private static (NormalEquations Fit, NormalEquations HeldOut) Split(SplitMix64 rng, int fitRows, int heldOutRows, int features, int targets, double noise, double[] truth)
    {
        var fit = new NormalEquations(features, targets);
        var heldOut = new NormalEquations(features, targets);
        for (var r = 0; r < fitRows + heldOutRows; r++)
        {
            var (x, y) = Row(ref rng, features, targets, noise, truth);
            (r < fitRows ? fit : heldOut).Add(x, y);
        }

        return (fit, heldOut);
    }

    private static (double[] Gram, double[] Cross, double SumOfSquares) Sums(SplitMix64 rng, int rows, int features, int targets, double noise, double[]? truth)
    {
        var equations = new NormalEquations(features, targets);
        truth ??= Truth(features, targets);
        for (var r = 0; r < rows; r++)
        {
            var (x, y) = Row(ref rng, features, targets, noise, truth);
            equations.Add(x, y);
        }

        return (equations.Gram, equations.Cross, equations.SumOfSquaredTargets);
    }

    /// <summary>y = x·W + noise, x uniform in [−0.5, 0.5).</summary>
    private static (double[] X, double[] Y) Row(ref SplitMix64 rng, int features, int targets, double noise, double[] truth)
    {
        var x = new double[features];
        for (var k = 0; k < features; k++)
        {
            x[k] = Uniform(ref rng);
        }

        var y = new double[targets];
        for (var t = 0; t < targets; t++)
        {
            var value = noise * 2 * Uniform(ref rng);
            for (var k = 0; k < features; k++)
            {
                value += x[k] * truth[k * targets + t];
            }

            y[t] = value;
        }

        return (x, y);
    }
}
