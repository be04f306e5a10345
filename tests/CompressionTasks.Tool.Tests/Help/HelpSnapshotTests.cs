using System.CommandLine;
using System.Runtime.CompilerServices;
using CompressionTasks.Diagnostics;
using CompressionTasks.Tool.Cli;
using CompressionTasks.Tool.Tests.Manifest;

namespace CompressionTasks.Tool.Tests.Help;

/// <summary>
/// The help of every verb, compared with committed files in Help/Expected: a changed option or description must be a
/// deliberate, reviewed change (scripts and the MSBuild targets depend on these flags).
/// </summary>
[TestClass]
public sealed class HelpSnapshotTests
{
    private const string UpdateVariable = "UPDATE_HELP_SNAPSHOTS";

    public TestContext TestContext { get; set; } = null!;

    /// <summary>The root and every registered verb: a new verb fails here until its help is committed.</summary>
    public static IEnumerable<object[]> Verbs
    {
        get
        {
            var root = CliApp.Build(new CliContext(TextWriter.Null, TextWriter.Null));
            return root.Subcommands.Select(c => c.Name).Prepend("root").Select(name => new object[] { name }).ToArray();
        }
    }

    [TestMethod]
    [DynamicData(nameof(Verbs))]
    public async Task Help_MatchesCommittedSnapshot(string verb)
    {
        string[] args = verb == "root" ? ["--help"] : [verb, "--help"];
        var (exitCode, output, error) = await CliRunner.RunAsync(TestContext.CancellationToken, args);
        Assert.AreEqual(ExitCodes.Success, exitCode, error);

        var actual = Normalize(output);
        var expectedPath = ExpectedPath(verb);
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            File.WriteAllText(expectedPath, actual);
            return;
        }

        var expected = File.Exists(expectedPath) ? Normalize(File.ReadAllText(expectedPath)) : "(missing)";
        Assert.AreEqual(
            expected,
            actual,
            $"The help of '{verb}' changed. If the change is intended, run `{UpdateVariable}=1 dotnet test --project tests/CompressionTasks.Tool.Tests` "
            + $"and commit {Path.GetRelativePath(RepositoryRoot.Path, expectedPath)}.");
    }

    [TestMethod]
    public async Task Help_EveryOptionAndArgumentHasADescription()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var root = CliApp.Build(new CliContext(stdout, stderr));
        var undocumented = new List<string>();
        foreach (var command in root.Subcommands.Prepend(root))
        {
            undocumented.AddRange(command.Options.Where(o => string.IsNullOrWhiteSpace(o.Description)).Select(o => $"{command.Name} {o.Name}"));
            undocumented.AddRange(command.Arguments.Where(a => string.IsNullOrWhiteSpace(a.Description)).Select(a => $"{command.Name} {a.Name}"));
            if (string.IsNullOrWhiteSpace(command.Description))
            {
                undocumented.Add(command.Name);
            }
        }

        await Task.CompletedTask;
        Assert.IsEmpty(undocumented, "Undocumented: " + string.Join(", ", undocumented));
    }

    // The root command is named after the running executable (the test host here, dotnet-compress when installed).
    private static string Normalize(string text) => string.Join(
        "\n",
        text.Replace("\r\n", "\n", StringComparison.Ordinal)
            .Replace(RootCommand.ExecutableName, "dotnet-compress", StringComparison.Ordinal)
            .Split('\n')
            .Select(line => line.TrimEnd()))
        .TrimEnd() + "\n";

    private static string ExpectedPath(string verb, [CallerFilePath] string sourceFile = "") =>
        Path.Combine(Path.GetDirectoryName(sourceFile)!, "Expected", verb + ".txt");
}
