using System.Diagnostics;
using CompressionTasks.Pipeline;

namespace CompressionTasks.Tool.Cli;

/// <summary>
/// For crash tests only: <c>COMPRESSION_TEST_KILL_AT=NAME</c>, a <see cref="PublishStep"/> (<c>FilesMoved</c>) or a
/// <see cref="RunCheckpoint"/> (<c>ModelPartlyWritten</c>) name, makes the tool kill itself with SIGKILL the first time
/// the run reaches that point, through <see cref="RunOptions.OnPublishStep"/> or <see cref="RunOptions.OnCheckpoint"/>,
/// so a test kills a real process at an exact point instead of after a guessed delay. Unset, nothing is hooked.
/// </summary>
internal static class KillPoint
{
    public const string Variable = "COMPRESSION_TEST_KILL_AT";

    public static RunOptions Hook(RunOptions options)
    {
        var name = Environment.GetEnvironmentVariable(Variable);
        if (Enum.TryParse<PublishStep>(name, ignoreCase: true, out var step))
        {
            return options with { OnPublishStep = reached => KillIf(reached == step) };
        }

        if (Enum.TryParse<RunCheckpoint>(name, ignoreCase: true, out var checkpoint))
        {
            return options with { OnCheckpoint = reached => KillIf(reached == checkpoint) };
        }

        return options;
    }

    private static void KillIf(bool reached)
    {
        if (reached)
        {
            using var self = Process.GetCurrentProcess();
            self.Kill();
        }
    }
}
