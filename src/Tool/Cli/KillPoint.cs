using System.Diagnostics;
using CompressionTasks.Pipeline;

namespace CompressionTasks.Tool.Cli;

/// <summary>
/// For crash tests only: <c>COMPRESSION_TEST_KILL_AT=FilesMoved</c> (a <see cref="PublishStep"/> name) makes the tool kill
/// itself with SIGKILL when the run reaches that step, through <see cref="RunOptions.OnPublishStep"/>, so a test kills a
/// real process at an exact point instead of after a guessed delay. Unset, nothing is hooked.
/// </summary>
internal static class KillPoint
{
    public const string Variable = "COMPRESSION_TEST_KILL_AT";

    public static Action<PublishStep>? FromEnvironment()
    {
        if (!Enum.TryParse<PublishStep>(Environment.GetEnvironmentVariable(Variable), ignoreCase: true, out var step))
        {
            return null;
        }

        return reached =>
        {
            if (reached == step)
            {
                using var self = Process.GetCurrentProcess();
                self.Kill();
            }
        };
    }
}
