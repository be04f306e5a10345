namespace CompressionTasks.Passes.Recovery;

/// <summary>
/// Chooses a layer's ridge from its own calibration data: every <see cref="HeldOutEvery"/>th calibration sample is held
/// out (whole samples, so held-out rows come from images the fit never saw), each candidate ridge is fitted to the other
/// samples and judged by its residual on the held-out ones, computed from their sums (<see cref="NormalEquations.ResidualSums"/>) or their rows where they are few,
/// and the best is refitted on every sample. Both parts are summed in the same pass over the calibration set, so the
/// search costs solves, not model runs.
/// </summary>
internal static class RidgeSearch
{
    /// <summary>One calibration sample in this many is held out (the last of each run of five: 4, 9, 14, …).</summary>
    public const int HeldOutEvery = 5;

    /// <summary>Candidate ridges, as multiples of the given one; the smallest of those with the least held-out error wins.</summary>
    public static readonly IReadOnlyList<double> Multipliers = [1, 10, 100, 1000];

    public static bool IsHeldOut(int sample) => sample % HeldOutEvery == HeldOutEvery - 1;

    /// <summary>
    /// The solution fitted on the sums of <paramref name="fit"/> and <paramref name="heldOut"/> together (they are added
    /// into <paramref name="fit"/>), with the ridge chosen on <paramref name="heldOut"/>, or <paramref name="ridge"/>
    /// itself when nothing was held out.
    /// </summary>
    public static (double[] Solution, double Ridge) Solve(NormalEquations fit, NormalEquations heldOut, double ridge, double[] prior, int threads)
    {
        ArgumentNullException.ThrowIfNull(fit);
        ArgumentNullException.ThrowIfNull(heldOut);
        var chosen = ridge;
        if (ridge > 0 && heldOut.Rows > 0 && fit.Rows > 0)
        {
            var best = double.PositiveInfinity;
            foreach (var multiplier in Multipliers)
            {
                var candidate = ridge * multiplier;
                var error = heldOut.Residual(fit.Solve(candidate, prior));
                if (error < best)
                {
                    best = error;
                    chosen = candidate;
                }
            }
        }

        // The fit part is not needed any more: the held-out rows join it for the final solve.
        fit.Absorb(heldOut);
        return (fit.Solve(chosen, prior), chosen);
    }
}
