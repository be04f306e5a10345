namespace CompressionTasks.Measurement;

/// <summary>
/// Profiles a model with ONNX Runtime's built-in profiler and aggregates kernel times per op type and per node.
/// The profile goes to a private temporary folder that is always deleted. ProfileOutputPathPrefix must be set before
/// EnableProfiling: ORT opens the trace file when profiling is enabled on the session.
/// </summary>
public static class OperatorProfiler
{
    public static OperatorBreakdown Profile(
        string modelPath,
        ExecutionSettings execution,
        OperatorBreakdownSettings? settings = null,
        MeasurementInputs? inputs = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(modelPath);
        ArgumentNullException.ThrowIfNull(execution);
        settings ??= new OperatorBreakdownSettings();
        if (settings.Runs < 1)
        {
            throw new Diagnostics.CompressionException(
                Diagnostics.DiagnosticCodes.InvalidMeasurementSettings,
                new Diagnostics.SourceLocation(null, Element: "measure.operatorBreakdown.runs"),
                $"measure.operatorBreakdown.runs must be at least 1, got {settings.Runs}.");
        }

        var executed = ProfileSession(modelPath, execution, settings, inputs, cancellationToken);
        IReadOnlyList<OperatorTime>? original = null;
        if (settings.IncludeOriginalOpTypes)
        {
            var unoptimized = ProfileSession(modelPath, execution with { DisableGraphOptimizations = true }, settings, inputs, cancellationToken);
            original = OperatorBreakdown.ByType(unoptimized);
        }

        return new OperatorBreakdown(
            OperatorBreakdown.ByType(executed),
            original,
            OperatorBreakdown.SlowestNodes(executed, settings.TopNodes),
            executed.MeasuredRuns,
            executed.MeasuredRuns == 0 ? 0 : executed.Kernels.Sum(k => k.DurationMs) / executed.MeasuredRuns);
    }

    private static OrtProfile ProfileSession(
        string modelPath,
        ExecutionSettings execution,
        OperatorBreakdownSettings settings,
        MeasurementInputs? inputs,
        CancellationToken cancellationToken) =>
        Trace(modelPath, execution, inputs, settings.WarmupRuns, settings.Runs, cancellationToken);

    /// <summary>
    /// ONNX Runtime's profiler trace of <paramref name="warmupRuns"/> + <paramref name="runs"/> inferences of one model in one
    /// session, the warm-up runs left out: every executed kernel with its node, op type and duration.
    /// </summary>
    public static OrtProfile Trace(
        string modelPath,
        ExecutionSettings execution,
        MeasurementInputs? inputs,
        int warmupRuns,
        int runs,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(modelPath);
        ArgumentNullException.ThrowIfNull(execution);
        var folder = Directory.CreateTempSubdirectory("compression-profile-");
        try
        {
            string profilePath;
            using (var session = MeasurementSession.Open(modelPath, execution, inputs, options =>
            {
                options.ProfileOutputPathPrefix = Path.Combine(folder.FullName, "ort_profile");
                options.EnableProfiling = true;
            }))
            {
                for (var i = 0; i < warmupRuns + runs; i++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    session.RunOnce();
                }

                profilePath = session.Session.EndProfiling();
            }

            // EndProfiling returns the path ORT chose from the prefix; it may be relative to the working directory.
            return OrtProfileReader.Read(Path.GetFullPath(profilePath), warmupRuns);
        }
        finally
        {
            try
            {
                folder.Delete(recursive: true);
            }
            catch (IOException)
            {
                // Best effort: a leftover temp folder must not turn a finished measurement into a failure.
            }
        }
    }
}
