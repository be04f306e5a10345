using CompressionTasks.Evaluation;
using CompressionTasks.Manifest;
using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Shapes;
using CompressionTasks.Passes;
using CompressionTasks.Reports;

namespace CompressionTasks.Pipeline.Stages;

/// <summary>
/// Writes each variant's model into the staging folder (the baseline as the source, the others through their passes)
/// and describes what came out: size, parameters and MACs.
/// </summary>
internal sealed class BuildStage(RunContext run, EvaluateStage evaluate)
{
    public VariantBuilder.BuiltVariant Baseline(PreparedModel model)
    {
        var destination = run.Staging.ModelPath(model.Model.Name, VariantReport.BaselineName);
        return VariantBuilder.Baseline(model.Source!, model.Model.Path, destination, model.Prepared);
    }

    public VariantBuilder.BuiltVariant Variant(PreparedModel model, VariantDefinition variant, CancellationToken cancellationToken)
    {
        model.Steps.Start(RunStage.Compressing, variant.Name);
        run.Report($"{model.Model.Name}/{variant.Name}: compressing");
        var dataset = model.Dataset;
        var context = new PassContext(model.Model.Name, cancellationToken)
        {
            Calibration = model.Calibration,
            Training = model.Training,
            Uncompressed = model.Prepared ?? model.Source!.Model,
            Shapes = model.PassShapes,
            StatisticsShapes = model.ShapeOptions with { Lenient = true },
            AccuracyProbe = (candidate, tuning, ct) => evaluate.ProbeAccuracyAsync(candidate, tuning, ct),
            Evaluation = dataset,
            Progress = run.Progress,
            IntraOpThreads = run.IntraOpThreads,
            Execution = new Measurement.ExecutionSettings(
                run.Options.ExecutionProvider ?? run.Manifest.Measure.ExecutionProvider, run.IntraOpThreads, run.Manifest.Measure.InterOpThreads, run.Manifest.Measure.AllowCpuFallback, run.Manifest.Target.NativeLibraryPath),
        };
        var save = new OnnxSaveOptions { PartlyWritten = PublishStage.Checkpoint(run.Options, RunCheckpoint.ModelPartlyWritten) };
        var built = VariantBuilder.Build(model.Prepared ?? model.Source!.Model, variant, context, run.Staging.ModelPath(model.Model.Name, variant.Name), save);
        run.Options.OnCheckpoint?.Invoke(RunCheckpoint.VariantBuilt);
        return built;
    }

    /// <summary>The variant's report entry as far as the built file tells: path, sizes, parameters, MACs, passes and their warnings.</summary>
    public VariantReport Describe(string variantName, VariantBuilder.BuiltVariant built, ShapeInferenceOptions shapeOptions, CancellationToken cancellationToken)
    {
        var statistics = ModelStatistics.Compute(built.Graph, ShapeInference.Run(built.Graph, shapeOptions with { Lenient = true }, cancellationToken));
        return new VariantReport
        {
            Name = variantName,
            Path = run.Staging.Relative(built.ModelPath),
            SizeBytes = new FileInfo(built.ModelPath).Length,
            GzipSizeBytes = GzipSize.Of(built.ModelPath),
            Params = statistics.ParameterCount,
            Macs = statistics.Macs,
            Passes = built.Passes.Count > 0 ? built.Passes : null,
            Warnings = built.Warnings.Count > 0 ? built.Warnings : null,
        };
    }
}
