using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using CompressionTasks.Diagnostics;
using CompressionTasks.Tool.Cli;
using CompressionTasks.Tool.Tests.Manifest;
using CompressionTasks.Tool.Tests.Run;

namespace CompressionTasks.Tool.Tests.Packaging;

/// <summary>
/// The tool as users get it: packed once per test run (this platform's RID-specific package plus the pointer package),
/// installed into a temp tool path from a local feed, and run as a process with redirected output.
/// </summary>
[TestClass]
public sealed class ToolPackageTests
{
    private static readonly string[] PackagedRuntimeIdentifiers = ["linux-x64", "linux-arm64", "win-x64", "osx-arm64"];

    private static TempFolder s_work = null!;
    private static string s_feed = null!;
    private static string s_packages = null!;
    private static string s_toolPath = null!;
    private static string s_version = null!;

    public TestContext TestContext { get; set; } = null!;

    private static string Tool => Path.Combine(s_toolPath, OperatingSystem.IsWindows() ? "dotnet-compress.exe" : "dotnet-compress");

    // Isolated package folder: an older package of the same version in the user's cache must not be installed instead.
    private static Dictionary<string, string?> NuGetEnvironment => new() { ["NUGET_PACKAGES"] = s_packages };

    [ClassInitialize]
    public static async Task PackAndInstallAsync(TestContext context)
    {
        var rid = RuntimeInformation.RuntimeIdentifier;
        if (!PackagedRuntimeIdentifiers.Contains(rid))
        {
            Assert.Inconclusive($"no tool package is built for {rid}");
        }

        s_work = new TempFolder();
        s_feed = Path.Combine(s_work.Path, "feed");
        s_packages = Path.Combine(s_work.Path, "packages");
        s_toolPath = Path.Combine(s_work.Path, "tools");
        s_version = typeof(CliApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0];

        // Own artifacts folder: packing must not touch the obj/bin folders the solution build and this test run use.
        var pack = await ProcessRunner.RunAsync(
            ProcessRunner.DotnetHost,
            ["pack", Path.Combine(RepositoryRoot.Path, "src", "Tool", "CompressionTasks.Tool.csproj"), "-c", "Release", "-o", s_feed,
                "--artifacts-path", Path.Combine(s_work.Path, "artifacts"), $"-p:RuntimeIdentifiers={rid}", "-nologo"],
            RepositoryRoot.Path,
            cancellationToken: context.CancellationToken);
        Assert.AreEqual(0, pack.ExitCode, $"dotnet pack failed:\n{pack.Out}\n{pack.Error}");

        var install = await ProcessRunner.RunAsync(
            ProcessRunner.DotnetHost,
            ["tool", "install", "--tool-path", s_toolPath, "--add-source", s_feed, "CompressionTasks.Tool", "--version", s_version],
            s_work.Path,
            NuGetEnvironment,
            context.CancellationToken);
        Assert.AreEqual(0, install.ExitCode, $"dotnet tool install failed:\n{install.Out}\n{install.Error}");
    }

    [ClassCleanup]
    public static void DeleteWorkFolder() => s_work?.Dispose();

    [TestMethod]
    public void Pack_MakesPointerPackageAndOnePackagePerRid()
    {
        var packages = Directory.GetFiles(s_feed, "*.nupkg").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();

        CollectionAssert.AreEqual(
            new[] { $"CompressionTasks.Tool.{s_version}.nupkg", $"CompressionTasks.Tool.{RuntimeInformation.RuntimeIdentifier}.{s_version}.nupkg" },
            packages);
    }

    [TestMethod]
    public async Task InstalledTool_Version_PrintsPackageVersion()
    {
        var (exitCode, output, error) = await RunToolAsync(s_work.Path, "--version");

        Assert.AreEqual(ExitCodes.Success, exitCode, error);
        StringAssert.StartsWith(output.Trim(), s_version);
    }

    [TestMethod]
    public async Task InstalledTool_ValidateFixture_Exits0WithSummary()
    {
        using var fixture = new DigitsFixture();

        var (exitCode, output, error) = await RunToolAsync(fixture.Path, "validate");

        Assert.AreEqual(ExitCodes.Success, exitCode, error);
        StringAssert.Contains(output, "compression.yaml: valid: 2 models, 3 variants, 2 datasets, 1 gate; target host");
    }

    [TestMethod]
    public async Task InstalledTool_ValidateBrokenManifest_Exits2WithLineAndColumn()
    {
        using var fixture = new DigitsFixture();
        File.WriteAllText(fixture.ManifestPath, DigitsFixture.Manifest.Replace("maxDrop: 1.0", "maxDrop: lots", StringComparison.Ordinal));

        var (exitCode, _, error) = await RunToolAsync(fixture.Path, "validate");

        Assert.AreEqual(ExitCodes.InvalidInput, exitCode, error);
        StringAssert.Matches(error, new System.Text.RegularExpressions.Regex(@"compression\.yaml\(\d+,\d+\): error CMP1\d{3}:"));
    }

    [TestMethod]
    public async Task InstalledTool_InspectJson_DescribesTheModel()
    {
        using var fixture = new DigitsFixture();

        var (exitCode, output, error) = await RunToolAsync(fixture.Path, "inspect", "models/digits_cnn.onnx", "--json");

        Assert.AreEqual(ExitCodes.Success, exitCode, error);
        var inspection = JsonNode.Parse(output)!;
        Assert.IsGreaterThan(0L, (long)inspection["parameterCount"]!);
        Assert.IsNotEmpty(inspection["operators"]!.AsArray());
    }

    [TestMethod]
    public async Task InstalledTool_RunFixture_WritesReportsAndPrintsNoControlCharacters()
    {
        using var fixture = new DigitsFixture();

        var (exitCode, output, error) = await RunToolAsync(fixture.Path, "run", "-j", "2");

        Assert.AreEqual(ExitCodes.Success, exitCode, error);
        var outFolder = Path.Combine(fixture.Path, "out");
        foreach (var file in new[] { "report.json", "report.md", "report.html", "report.junit.xml", "cnn-a/baseline/cnn-a.onnx", "cnn-a/int8/cnn-a.onnx", "cnn-a/fp16/cnn-a.onnx", "cnn-b/dynamic/cnn-b.onnx" })
        {
            Assert.IsTrue(File.Exists(Path.Combine(outFolder, file)), file);
        }

        StringAssert.Contains(output, $"Report: {Path.Combine(outFolder, "report.json")}");
        StringAssert.Contains(error, "cnn-a: measuring latency of baseline");
        ControlCharacters.AssertNone(output);
        ControlCharacters.AssertNone(error);
    }

    [TestMethod]
    public async Task InstalledTool_FailedGate_Exits1()
    {
        using var fixture = new DigitsFixture();
        File.WriteAllText(fixture.ManifestPath, DigitsFixture.Manifest.Replace("- { metric: top1, maxDrop: 1.0 }", "- { metric: size, maxSizeBytes: 1000, variants: [baseline] }", StringComparison.Ordinal));

        var (exitCode, _, error) = await RunToolAsync(fixture.Path, "run", "--no-measure", "--no-evaluate");

        Assert.AreEqual(ExitCodes.GateFailed, exitCode, error);
        StringAssert.Contains(error, "cnn-a/baseline: gate");
    }

    [TestMethod]
    public async Task InstalledTool_HelpAndUsageError_AreFreeOfControlCharacters()
    {
        var help = await RunToolAsync(s_work.Path, "run", "--help");
        var usage = await RunToolAsync(s_work.Path, "run", "--jobs", "many");

        Assert.AreEqual(ExitCodes.Success, help.ExitCode, help.Error);
        Assert.AreEqual(ExitCodes.InvalidInput, usage.ExitCode, usage.Error);
        StringAssert.Contains(help.Out, "Usage:\n  dotnet-compress run [options]");
        ControlCharacters.AssertNone(help.Out + help.Error + usage.Out + usage.Error);
    }

    [TestMethod]
    [OSCondition(ConditionMode.Exclude, OperatingSystems.Windows)]
    public async Task InstalledTool_SigintDuringMeasurement_Exits130AndLeavesNoOutputs()
    {
        // A process started with SIGINT ignored (a background job of a non-interactive shell, nohup) passes that on to
        // every child, and the .NET runtime keeps an inherited SIG_IGN: the tool then cannot receive the signal at all.
        if (SigintIgnoredByThisProcess())
        {
            Assert.Inconclusive("this test process was started with SIGINT ignored (e.g. `cmd &` in a script), which its children inherit; run it in the foreground");
        }

        using var fixture = new DigitsFixture();
        File.WriteAllText(fixture.ManifestPath, DigitsFixture.Manifest.Replace("minRuns: 3, maxRuns: 5, timeBudgetSeconds: 2", "minRuns: 1000000, maxRuns: 2000000, timeBudgetSeconds: 600", StringComparison.Ordinal));
        var start = new System.Diagnostics.ProcessStartInfo(Tool, ["run"])
        {
            WorkingDirectory = fixture.Path,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.CancellationToken);
        var error = new System.Text.StringBuilder();
        while (await process.StandardError.ReadLineAsync(TestContext.CancellationToken) is { } line)
        {
            error.AppendLine(line);
            if (line.Contains(": measuring latency", StringComparison.Ordinal))
            {
                break;
            }
        }

        using (var kill = System.Diagnostics.Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(TestContext.CancellationToken);
        }

        error.Append(await process.StandardError.ReadToEndAsync(TestContext.CancellationToken));
        await process.WaitForExitAsync(TestContext.CancellationToken);

        Assert.AreEqual(ExitCodes.Cancelled, process.ExitCode, error.ToString());
        StringAssert.Contains(error.ToString(), "error CMP9002: cancelled");
        Assert.AreEqual(string.Empty, await output, "no report on stdout");
        Assert.IsFalse(Directory.Exists(Path.Combine(fixture.Path, "out")), "nothing left of the cancelled run");
    }

    /// <summary>Bit 2 of the SigIgn mask in /proc/self/status (the mask's bit n − 1 is signal n).</summary>
    private static bool SigintIgnoredByThisProcess()
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return line is not null
            && ulong.TryParse(line["SigIgn:".Length..].Trim(), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture, out var mask)
            && (mask & (1UL << 1)) != 0;
    }

    [TestMethod]
    public async Task LocalToolManifest_InstallsAndRunsAsDotnetCompress()
    {
        using var project = new TempFolder();
        project.File(".config/dotnet-tools.json", """{ "version": 1, "isRoot": true, "tools": {} }""");

        // The SDK caches where a local tool of a given id and version lives (toolResolverCache under DOTNET_CLI_HOME);
        // a cache entry from an earlier run on this machine points at a deleted package folder. A home of the
        // test's own keeps the result independent of what ran before.
        var environment = new Dictionary<string, string?>(NuGetEnvironment) { ["DOTNET_CLI_HOME"] = project.File("cli-home/.keep") is var keep ? Path.GetDirectoryName(keep) : null };
        var install = await ProcessRunner.RunAsync(ProcessRunner.DotnetHost,
            ["tool", "install", "--local", "--add-source", s_feed, "CompressionTasks.Tool", "--version", s_version], project.Path, environment, TestContext.CancellationToken);
        var run = await ProcessRunner.RunAsync(ProcessRunner.DotnetHost, ["compress", "--version"], project.Path, environment, TestContext.CancellationToken);

        Assert.AreEqual(0, install.ExitCode, install.Out + install.Error);
        Assert.AreEqual(0, run.ExitCode, run.Out + run.Error);
        StringAssert.StartsWith(run.Out.Trim(), s_version);
        StringAssert.Contains(File.ReadAllText(Path.Combine(project.Path, ".config", "dotnet-tools.json")), "\"dotnet-compress\"");
    }

    private Task<(int ExitCode, string Out, string Error)> RunToolAsync(string workingDirectory, params string[] arguments) =>
        ProcessRunner.RunAsync(Tool, arguments, workingDirectory, cancellationToken: TestContext.CancellationToken);
}
