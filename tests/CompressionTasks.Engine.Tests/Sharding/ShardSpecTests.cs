using CompressionTasks.Diagnostics;
using CompressionTasks.Pipeline.Sharding;

namespace CompressionTasks.Engine.Tests.Sharding;

[TestClass]
public sealed class ShardSpecTests
{
    [TestMethod]
    public void Parse_IOfN_ReadsIndexAndCountAndPrintsThemBack()
    {
        var shard = ShardSpec.Parse("2/3");

        Assert.AreEqual(new ShardSpec(2, 3), shard);
        Assert.AreEqual("2/3", shard.ToString());
    }

    [TestMethod]
    [DataRow("0/3")]
    [DataRow("4/3")]
    [DataRow("1/0")]
    [DataRow("-1/3")]
    [DataRow("1/3/5")]
    [DataRow("two")]
    [DataRow("")]
    public void Parse_NotIOfN_ReportsCMP1950(string text)
    {
        var error = Assert.ThrowsExactly<CompressionException>(() => ShardSpec.Parse(text));

        Assert.AreEqual(DiagnosticCodes.InvalidShard, error.Diagnostics[0].Code);
        StringAssert.Contains(error.Message, $"'{text}'");
    }
}
