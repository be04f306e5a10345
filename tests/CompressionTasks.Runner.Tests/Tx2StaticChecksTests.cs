namespace CompressionTasks.Runner.Tests;

/// <summary>
/// What a stock JetPack 4.6.x board (Ubuntu 18.04: glibc 2.27, libstdc++ of GCC 7 = GLIBCXX_3.4.25) can load, checked
/// without the board: the linux-arm64 .NET runtime and apphost that a self-contained publish of the runner copies, and
/// the reason the runner does not ship the official ONNX Runtime (its linux-arm64 library needs glibc 2.28).
/// The full published folder is checked by <see cref="RunnerPublishTests"/>.
/// </summary>
[TestClass]
public sealed class Tx2StaticChecksTests
{
    public static readonly Version Glibc = new(2, 27);

    public static readonly Version Glibcxx = new(3, 4, 25);

    [TestMethod]
    public void RuntimePackLinuxArm64_EveryNativeLibraryLoadsOnGlibc227()
    {
        var runtime = Pack("microsoft.netcore.app.runtime.linux-arm64");
        var host = Pack("microsoft.netcore.app.host.linux-arm64");

        foreach (var folder in new[] { runtime, host })
        {
            var elves = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Where(ElfVersionNeeds.IsElf).ToArray();
            Assert.IsNotEmpty(elves, folder);
            CollectionAssert.AreEqual(Array.Empty<string>(), ElfVersionNeeds.AboveCeiling(folder, Glibc, Glibcxx).ToArray(), folder);
        }

        var coreclr = ElfVersionNeeds.Read(Directory.EnumerateFiles(runtime, "libcoreclr.so", SearchOption.AllDirectories).Single());
        CollectionAssert.Contains(coreclr.ToArray(), "GLIBC_2.17", "the reader finds the version needs");
    }

    [TestMethod]
    public void OfficialOnnxRuntimeLinuxArm64_NeedsGlibc228_SoTheCheckRefusesIt()
    {
        var library = RunnerProcess.OnnxRuntimeLinuxX64Package.Replace("linux-x64", "linux-arm64", StringComparison.Ordinal);

        var needs = ElfVersionNeeds.Read(library);

        Assert.AreEqual(new Version(2, 28), ElfVersionNeeds.Highest(needs, "GLIBC_"));
        Assert.IsNotEmpty(ElfVersionNeeds.AboveCeiling(Path.GetDirectoryName(library)!, Glibc, Glibcxx));
    }

    private static string Pack(string id)
    {
        var root = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } packages
            ? packages
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var folder = Path.Combine(root, id, Environment.Version.ToString());
        if (!Directory.Exists(folder))
        {
            Assert.Inconclusive($"{folder} is not in the NuGet cache; eng/publish-runner.sh linux-arm64 restores it");
        }

        return folder;
    }
}
