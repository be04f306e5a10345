using CompressionTasks.Reports;

namespace CompressionTasks.Engine.Tests.Reports;

[TestClass]
[DoNotParallelize] // Sets a process-wide environment variable.
public sealed class GitHubStepSummaryTests
{
    [TestMethod]
    public void AppendIfSet_VariableSet_AppendsToExistingSummary()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("summary-").FullName, "summary.md");
        File.WriteAllText(path, "# earlier step\n");
        var previous = Environment.GetEnvironmentVariable(GitHubStepSummary.VariableName);
        try
        {
            Environment.SetEnvironmentVariable(GitHubStepSummary.VariableName, path);

            Assert.IsTrue(GitHubStepSummary.AppendIfSet("| a |\n"));
            Assert.IsTrue(GitHubStepSummary.AppendIfSet("no newline"));

            Assert.AreEqual("# earlier step\n| a |\nno newline\n", File.ReadAllText(path));
        }
        finally
        {
            Environment.SetEnvironmentVariable(GitHubStepSummary.VariableName, previous);
        }
    }

    [TestMethod]
    public void AppendIfSet_VariableUnset_DoesNothing()
    {
        var previous = Environment.GetEnvironmentVariable(GitHubStepSummary.VariableName);
        try
        {
            Environment.SetEnvironmentVariable(GitHubStepSummary.VariableName, null);

            Assert.IsFalse(GitHubStepSummary.AppendIfSet("x"));
        }
        finally
        {
            Environment.SetEnvironmentVariable(GitHubStepSummary.VariableName, previous);
        }
    }
}
