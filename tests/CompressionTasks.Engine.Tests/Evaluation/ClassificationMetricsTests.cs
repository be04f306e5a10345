using CompressionTasks.Evaluation.Metrics;

namespace CompressionTasks.Engine.Tests.Evaluation;

[TestClass]
public sealed class ClassificationMetricsTests
{
    // Ten samples, classes 0..3 labelled, class 4 only predicted. Hand count of the confusion matrix:
    //   class 0: TP 2, FP 1 (a 2 predicted 0), FN 1  → P 2/3, R 2/3, F1 2/3, support 3
    //   class 1: TP 1, FP 1, FN 1                     → P 1/2, R 1/2, F1 1/2, support 2
    //   class 2: TP 2, FP 1, FN 2                     → P 2/3, R 1/2, F1 4/7, support 4
    //   class 3: TP 1                                  → P 1,   R 1,   F1 1,   support 1
    //   class 4: FP 1                                  → P 0 (TP+FP = 1, TP = 0), R 0 (no support: 0/0 := 0), F1 0
    // Values below were also checked with scikit-learn 1.2 precision_recall_fscore_support(zero_division=0).
    private static readonly int[] Labels = [0, 0, 0, 1, 1, 2, 2, 2, 2, 3];
    private static readonly int[] Predicted = [0, 1, 0, 1, 2, 2, 2, 0, 4, 3];
    private static readonly bool[] Top5 = [true, true, true, true, true, true, true, true, false, true];

    [TestMethod]
    public void Compute_SmallConfusionMatrix_MatchesHandCountedMacroAndWeighted()
    {
        var (m, confusion, perClass) = ClassificationMetrics.Compute(Labels, Predicted, Top5, 6);

        Assert.AreEqual(60.0, m.Top1, 1e-12);
        Assert.AreEqual(90.0, m.Top5, 1e-12);
        Assert.AreEqual(100 * ((2 / 3.0) + 0.5 + (2 / 3.0) + 1 + 0) / 5, m.Precision, 1e-12);
        Assert.AreEqual(56.666666666666664, m.Precision, 1e-9);
        Assert.AreEqual(53.333333333333336, m.Recall, 1e-9);
        Assert.AreEqual(54.761904761904766, m.F1, 1e-9);
        Assert.AreEqual(66.66666666666666, m.WeightedPrecision, 1e-9);
        Assert.AreEqual(60.0, m.WeightedRecall, 1e-9);
        Assert.AreEqual(62.85714285714287, m.WeightedF1, 1e-9);
        Assert.AreEqual(10, m.Samples);

        Assert.AreEqual(2, confusion[2, 2]);
        Assert.AreEqual(1, confusion[2, 4]);
        Assert.AreEqual(1, confusion[2, 0]);
        Assert.AreEqual(5, perClass.Count, "class 5 is neither labelled nor predicted and is not present");
        var class2 = perClass.Single(c => c.Class == 2);
        Assert.AreEqual(4, class2.Support);
        Assert.AreEqual(100 * 4 / 7.0, class2.F1, 1e-9);
    }

    [TestMethod]
    public void Compute_WithWeights_EqualsRepeatingSamples()
    {
        int[] weights = [2, 0, 1, 3, 1, 0, 1, 1, 2, 1];
        var repeated = Enumerable.Range(0, 10).SelectMany(i => Enumerable.Repeat(i, weights[i])).ToArray();
        var weighted = ClassificationMetrics.Compute(Labels, Predicted, Top5, 6, weights: weights).Metrics;
        var expanded = ClassificationMetrics.Compute(
            repeated.Select(i => Labels[i]).ToArray(), repeated.Select(i => Predicted[i]).ToArray(), repeated.Select(i => Top5[i]).ToArray(), 6).Metrics;
        Assert.AreEqual(expanded, weighted);
    }

    [TestMethod]
    public void Compute_AllCorrect_IsHundredEverywhere()
    {
        var m = ClassificationMetrics.Compute(Labels, Labels, Top5.Select(_ => true).ToArray(), 4).Metrics;
        Assert.AreEqual(new AccuracyMetrics(100, 100, 100, 100, 100, 100, 100, 100, 10), m);
    }
}
