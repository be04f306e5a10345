using CompressionTasks.Evaluation.Inference;

namespace CompressionTasks.Engine.Tests.Evaluation;

[TestClass]
public sealed class PredictionTests
{
    [TestMethod]
    public void ArgMax_Ties_TakesTheFirst()
    {
        Assert.AreEqual(1, PredictionCollector.ArgMax([0f, 3f, 3f, 1f]));
    }

    [TestMethod]
    public void RankOf_Ties_FollowTheArgMaxRule()
    {
        float[] scores = [5f, 1f, 5f, 4f, 4f, 4f, 4f, 0f];
        Assert.AreEqual(0, PredictionCollector.RankOf(scores, 0));
        Assert.AreEqual(1, PredictionCollector.RankOf(scores, 2));
        Assert.AreEqual(5, PredictionCollector.RankOf(scores, 6), "two fives and three earlier fours rank above it: not in the top 5");
        Assert.AreEqual(4, PredictionCollector.RankOf(scores, 5));
    }

    [TestMethod]
    public void ArgMax_NaN_NeverWins()
    {
        Assert.AreEqual(2, PredictionCollector.ArgMax([float.NaN, -1f, 2f]));
    }
}
