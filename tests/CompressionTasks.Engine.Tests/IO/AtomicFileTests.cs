using CompressionTasks.IO;

namespace CompressionTasks.Engine.Tests.IO;

[TestClass]
public sealed class AtomicFileTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void Write_FailingMidway_KeepsOldContentAndLeavesNoTemporaryFile()
    {
        var folder = Directory.CreateTempSubdirectory("atomic-").FullName;
        var path = Path.Combine(folder, "report.json");
        File.WriteAllText(path, "old");

        Assert.ThrowsExactly<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write("partial"u8);
            throw new InvalidOperationException("disk full");
        }));

        Assert.AreEqual("old", File.ReadAllText(path));
        CollectionAssert.AreEqual(new[] { "report.json" }, Directory.GetFiles(folder).Select(Path.GetFileName).ToArray());
        Directory.Delete(folder, recursive: true);
    }

    [TestMethod]
    public void WriteAllText_CreatesFolderAndReplacesContent()
    {
        var folder = Directory.CreateTempSubdirectory("atomic-").FullName;
        var path = Path.Combine(folder, "a", "b", "out.txt");

        AtomicFile.WriteAllText(path, "one");
        AtomicFile.WriteAllText(path, "two");

        Assert.AreEqual("two", File.ReadAllText(path));
        Assert.HasCount(1, Directory.GetFiles(Path.GetDirectoryName(path)!));
        Directory.Delete(folder, recursive: true);
    }

    [TestMethod]
    public void WriteAllText_PartlyWritten_SeesHalfInTheTemporaryFileAndTheOldContentUnderTheName()
    {
        var folder = Directory.CreateTempSubdirectory("atomic-").FullName;
        var path = Path.Combine(folder, "report.json");
        File.WriteAllText(path, "old");
        long? seen = null;

        AtomicFile.WriteAllText(path, "0123456789", () =>
        {
            Assert.AreEqual("old", File.ReadAllText(path));
            seen = new FileInfo(Directory.GetFiles(folder, ".report.json.tmp-*").Single()).Length;
        });

        Assert.AreEqual(5L, seen);
        Assert.AreEqual("0123456789", File.ReadAllText(path));
        Directory.Delete(folder, recursive: true);
    }

    [TestMethod]
    public void Write_PartlyWritten_CalledOnceAfterTheFirstBytesAreFlushed()
    {
        var folder = Directory.CreateTempSubdirectory("atomic-").FullName;
        var path = Path.Combine(folder, "model.onnx");
        var lengths = new List<long>();

        AtomicFile.Write(path, stream =>
        {
            stream.Write("first"u8);
            stream.Write("second"u8);
        }, () => lengths.Add(new FileInfo(Directory.GetFiles(folder, ".model.onnx.tmp-*").Single()).Length));

        CollectionAssert.AreEqual(new long[] { 5 }, lengths);
        Assert.AreEqual("firstsecond", File.ReadAllText(path));
        Directory.Delete(folder, recursive: true);
    }
}
