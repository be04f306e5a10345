using CompressionTasks.Evaluation;
using CompressionTasks.Reports;

namespace CompressionTasks.Pipeline.Stages;

/// <summary>One model's step count for <see cref="RunOptions.StepProgress"/>; touched by one thread at a time (its build, later the sequential measurement).</summary>
internal sealed class StepCounter(string model, int totalSteps, IProgress<RunProgress>? progress)
{
    private int _started;

    public bool ReportsProgress => progress is not null;

    /// <summary>Loading, then per variant (the baseline too): compressing (not the baseline), evaluating, measuring.</summary>
    public static int Count(int variants, bool evaluates, bool measures) =>
        1 + variants + ((variants + 1) * ((evaluates ? 1 : 0) + (measures ? 1 : 0)));

    public void Start(RunStage stage, string variant)
    {
        progress?.Report(new RunProgress(stage, model, variant, _started, totalSteps));
        _started++;
    }

    public void Finish() => progress?.Report(new RunProgress(RunStage.Finished, model, VariantReport.BaselineName, totalSteps, totalSteps));

    /// <summary>Progress within the step last started.</summary>
    public void Within(RunStage stage, string variant, double fraction) =>
        progress?.Report(new RunProgress(stage, model, variant, _started - 1, totalSteps) { StepFraction = Math.Clamp(fraction, 0, 1) });

    /// <summary>An evaluation's progress as progress within its step.</summary>
    public IProgress<EvaluationProgress> Evaluation(string variant) => new EvaluationStepProgress(this, variant);

    private sealed class EvaluationStepProgress(StepCounter steps, string variant) : IProgress<EvaluationProgress>
    {
        public void Report(EvaluationProgress value) =>
            steps.Within(RunStage.Evaluating, variant, value.Total > 0 ? (double)value.Done / value.Total : 0);
    }
}
