using CompressionTasks.Gates;
using CompressionTasks.Manifest;
using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Shapes;
using CompressionTasks.Reports;

namespace CompressionTasks.Pipeline.Stages;

/// <summary>
/// Loads one model, fingerprints everything its results depend on, and either reuses the previous run's results
/// (<see cref="ModelResultCache"/>) or resolves its datasets and the shapes its statistics are counted with.
/// </summary>
internal sealed class PrepareStage(RunContext run, RunPlan plan)
{
    public PreparedModel Prepare(ModelEntry model, EnvironmentInfo machine, CancellationToken cancellationToken)
    {
        var options = run.Options;
        var variants = model.Variants.Count(v => options.Selection.IncludesVariant(v.Name));
        var steps = new StepCounter(model.Name, StepCounter.Count(variants, options.Evaluate && model.Dataset is not null, options.Measure), options.StepProgress);
        steps.Start(RunStage.Loading, VariantReport.BaselineName);
        run.Report($"{model.Name}: loading {Path.GetFileName(model.Path)}");
        var source = OnnxModelFile.LoadWithExternalData(model.Path);
        var modelFolder = Path.GetDirectoryName(Path.GetFullPath(model.Path))!;
        var fingerprint = JobFingerprint.Compute(
            run.Manifest, model, source.ExternalDataFiles.Select(f => Path.Combine(modelFolder, f.Location)), options, machine, cancellationToken);
        if (options.Incremental && ModelResultCache.TryReuse(run.Output, model.Name, fingerprint, out var previous) && HasEveryVerdict(previous))
        {
            run.Report($"{model.Name}: unchanged since the last run in {run.Output.Root}; its results are reused (--force re-runs it)");
            return new PreparedModel(model, steps, fingerprint) { Reused = previous };
        }

        var datasets = run.Manifest.Datasets;
        return new PreparedModel(model, steps, fingerprint)
        {
            Source = source,
            Dataset = model.Dataset is { } datasetName ? DatasetSources.From(datasets[datasetName]) : null,
            Calibration = model.Calibration is { } calibrationName ? DatasetSources.From(datasets[calibrationName]) : null,
            Training = model.Training is { } trainingName ? DatasetSources.From(datasets[trainingName]) : null,
            ShapeOptions = InputShapeSymbols.Options(source.Model, model.InputShapes),
        };
    }

    /// <summary>
    /// A reused report must hold a verdict of every variant gate that applies, under that gate's name: the fingerprint
    /// covers the gates' definitions, but a synthesized name can shift when an unrelated gate is added.
    /// </summary>
    private bool HasEveryVerdict(ModelReport previous) =>
        previous.Variants.All(variant => plan.VariantGates
            .Where(g => g.AppliesTo(previous.Name, variant.Name))
            .All(g => variant.Gates?.Count(r => r.Name == g.Name) == 1));
}
