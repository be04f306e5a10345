using System.Globalization;
using CompressionTasks.Diagnostics;

namespace CompressionTasks.Measurement;

/// <summary>
/// How many session epochs a measurement ran and why: <see cref="Requested"/> (the manifest's
/// <c>measure.latency.sessionEpochs</c>), <see cref="Planned"/> after the re-creation cost rule
/// (<see cref="EpochsThatFit"/>), <see cref="Run"/> (the stop can come earlier), and the cost behind the plan:
/// <see cref="ReopenSeconds"/> measured in all (closing, re-creating and re-warming every variant's session),
/// <see cref="SecondsPerReopen"/> the cost of one such re-creation the plan was last made with (measured once one ran,
/// before that estimated from the first sessions' load and creation times and their first warm-up runs), and
/// <see cref="AllowanceSeconds"/>, the most re-creation may take (<see cref="LatencySampler.ReopenBudgetShare"/> of the
/// rounds' time budget).
/// </summary>
public sealed record SessionEpochPlan(
    int Requested,
    int Planned,
    int Run,
    double ReopenSeconds,
    double SecondsPerReopen,
    double AllowanceSeconds)
{
    /// <summary>One session per variant throughout, as asked (<c>sessionEpochs: 1</c>) or because there is one variant.</summary>
    public static SessionEpochPlan Single { get; } = new(1, 1, 1, 0, 0, 0);

    /// <summary>True when epochs were asked for but re-creating the sessions costs too much for even the minimum of them.</summary>
    public bool TooCostly => Requested > 1 && Planned == 1;

    /// <summary>True when the cost rule planned fewer epochs than asked for.</summary>
    public bool Reduced => Planned < Requested;

    /// <summary>Warning CMP4012 when <see cref="TooCostly"/>, else null.</summary>
    public string? Warning => TooCostly
        ? string.Create(
            CultureInfo.InvariantCulture,
            $"{DiagnosticCodes.SessionEpochsTooCostly.Id}: re-creating every variant's session would take about {SecondsPerReopen:0.##} s (estimated from opening and warming up the first sessions), so not even {Math.Min(Requested, LatencySampler.MinConvergedEpochs)} session epochs fit in the {AllowanceSeconds:0.##} s allowed for it ({100 * LatencySampler.ReopenBudgetShare:0.##}% of the time budget); measured on one session per variant, so the speed-up interval is over the pairs and does not cover the difference between two sessions of the same model")
        : null;

    /// <summary>
    /// The epochs to plan for: all <paramref name="requested"/> when their re-creations (one fewer than the epochs, at
    /// <paramref name="secondsPerReopen"/> each) fit in <paramref name="allowanceLeftSeconds"/> beside the
    /// <paramref name="epochsRun"/> epochs already begun; else as many as fit, but at least
    /// min(<paramref name="requested"/>, <see cref="LatencySampler.MinConvergedEpochs"/>), below which an interval over
    /// epochs means little (t with one degree of freedom is 12.7). When not even those fit before any re-creation
    /// (<paramref name="epochsRun"/> = 1), 1: one session per variant, the interval over the pairs. Once re-creation has
    /// begun the minimum is finished even past the allowance (it was planned because it fit the estimate).
    /// A cost of 0 (unknown) fits everything.
    /// </summary>
    public static int EpochsThatFit(int requested, int epochsRun, double allowanceLeftSeconds, double secondsPerReopen)
    {
        if (requested <= 1)
        {
            return 1;
        }

        var more = secondsPerReopen > 0 && double.IsFinite(secondsPerReopen)
            ? Math.Floor(Math.Max(0, allowanceLeftSeconds) / secondsPerReopen)
            : double.PositiveInfinity;
        var fits = (int)Math.Min(requested, epochsRun + more);
        var minimum = Math.Min(requested, LatencySampler.MinConvergedEpochs);
        if (fits >= minimum)
        {
            return Math.Max(fits, epochsRun);
        }

        return epochsRun > 1 ? Math.Max(minimum, epochsRun) : 1;
    }
}
