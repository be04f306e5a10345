using System.Diagnostics;
using CompressionTasks.Engine.Tests.Onnx;

namespace CompressionTasks.Runner.Tests;

/// <summary>
/// Publishes the runner for the Jetson (linux-arm64, self-contained, trimmed) with eng/publish-runner.sh. It takes
/// about 20 s with the runtime packs in the NuGet cache and about a minute without, so it runs only when
/// COMPRESS_TEST_RUNNER_PUBLISH=1 (CI's default test run leaves it out).
/// </summary>
[TestClass]
public sealed class RunnerPublishTests
{
    public const string EnableVariable = "COMPRESS_TEST_RUNNER_PUBLISH";

    [TestMethod]
    public void Publish_LinuxArm64_SelfContainedAarch64WithoutNativeOnnxRuntime()
    {
        if (Environment.GetEnvironmentVariable(EnableVariable) != "1")
        {
            Assert.Inconclusive($"publishing for linux-arm64 takes 20-60 s; set {EnableVariable}=1 to run it");
        }

        var output = Directory.CreateTempSubdirectory("runner-arm64-").FullName;
        try
        {
            var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add(Path.Combine(RepoFixtures.RepoRoot, "eng", "publish-runner.sh"));
            start.ArgumentList.Add("linux-arm64");
            start.ArgumentList.Add(output);
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            Assert.AreEqual(0, process.ExitCode, stdout + stderr.Result);

            var apphost = File.ReadAllBytes(Path.Combine(output, "CompressionTasks.Runner"));
            // ELF header: magic, 64-bit class, then e_machine at offset 18 = 0xB7 (EM_AARCH64).
            CollectionAssert.AreEqual(new byte[] { 0x7F, (byte)'E', (byte)'L', (byte)'F', 2 }, apphost[..5]);
            Assert.AreEqual(0xB7, apphost[18] | (apphost[19] << 8));
            Assert.IsTrue(File.Exists(Path.Combine(output, "libcoreclr.so")), "the .NET runtime is inside (self-contained)");
            Assert.IsTrue(File.Exists(Path.Combine(output, "Microsoft.ML.OnnxRuntime.dll")));
            Assert.IsFalse(Directory.EnumerateFiles(output, "libonnxruntime*", SearchOption.AllDirectories).Any(), "no native ONNX Runtime is published");
            Assert.IsTrue(File.Exists(Path.Combine(output, "CompressionTasks.Measurement.dll")), "the shared measurement assembly is published");
            Assert.IsFalse(File.Exists(Path.Combine(output, "CompressionTasks.Engine.dll")));
            foreach (var hostOnly in new[] { "Google.Protobuf.dll", "YamlDotNet.dll", "SixLabors.ImageSharp.dll" })
            {
                Assert.IsFalse(File.Exists(Path.Combine(output, hostOnly)), $"{hostOnly} is the engine's, not the runner's");
            }

            // JetPack 4.6.x is Ubuntu 18.04: glibc 2.27 and GCC 7's libstdc++ (GLIBCXX_3.4.25). Every ELF must load there.
            var tooNew = ElfVersionNeeds.AboveCeiling(output, Tx2StaticChecksTests.Glibc, Tx2StaticChecksTests.Glibcxx);
            CollectionAssert.AreEqual(Array.Empty<string>(), tooNew.ToArray(), string.Join("\n", tooNew));
            Assert.IsGreaterThan(5, Directory.EnumerateFiles(output, "*", SearchOption.AllDirectories).Count(ElfVersionNeeds.IsElf), "the apphost and the runtime's native libraries were checked");

            var sizeBytes = Directory.EnumerateFiles(output, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
            Assert.IsLessThan(64L << 20, sizeBytes, "trimmed, the runner stays well under 64 MiB");
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }
}
