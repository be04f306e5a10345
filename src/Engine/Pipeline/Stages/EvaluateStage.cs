using CompressionTasks.Evaluation;
using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Protobuf;
using CompressionTasks.Reports;

namespace CompressionTasks.Pipeline.Stages;

/// <summary>
/// Runs a variant over its model's dataset and records accuracy and agreement with the baseline; also scores the
/// candidate models an accuracy-aware pass tries (<see cref="Passes.PassContext.AccuracyProbe"/>).
/// </summary>
internal sealed class EvaluateStage(RunContext run)
{
    public async Task<EvaluationResult?> EvaluateAsync(PreparedModel model, string variant, string modelPath, CancellationToken cancellationToken)
    {
        if (!run.Options.Evaluate || model.Dataset is not { } dataset)
        {
            return null;
        }

        model.Steps.Start(RunStage.Evaluating, variant);
        run.Report($"{model.Model.Name}/{variant}: evaluating on {dataset.Name}");
        var options = model.Steps.ReportsProgress
            ? run.EvaluationOptions with { Progress = model.Steps.Evaluation(variant) }
            : run.EvaluationOptions;
        return await ModelEvaluator.EvaluateAsync(modelPath, dataset, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds the evaluation's accuracy, and its agreement with the baseline's predictions, to the variant's report.</summary>
    public static VariantReport Record(VariantReport report, EvaluationResult? evaluation, EvaluationResult? baselineEvaluation) => report with
    {
        Accuracy = evaluation?.Accuracy is { } accuracy ? ReportMapping.Accuracy(accuracy, evaluation.SkippedFiles.Count) : null,
        Agreement = evaluation is not null && baselineEvaluation is not null
            ? ReportMapping.Agreement(AgreementCalculator.Compare(baselineEvaluation, evaluation))
            : null,
        OutputFit = evaluation is not null && baselineEvaluation is not null && OutputFitCalculator.CompareOutputs(baselineEvaluation, evaluation) is { Count: > 0 } fits
            ? fits.Select(f => ReportMapping.OutputFit(f.Output, f.Fit)).ToArray()
            : null,
    };

    public async Task<double> ProbeAccuracyAsync(ModelProto candidate, DatasetSource dataset, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("compress-probe-");
        try
        {
            var path = Path.Combine(folder.FullName, "candidate.onnx");
            OnnxModelFile.Save(candidate, path);
            var result = await ModelEvaluator.EvaluateAsync(path, dataset, run.EvaluationOptions with { KeepOutputs = false }, cancellationToken).ConfigureAwait(false);
            return result.Accuracy?.Top1 ?? double.NaN;
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
