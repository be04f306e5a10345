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
}
