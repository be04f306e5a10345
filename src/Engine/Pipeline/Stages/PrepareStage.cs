using CompressionTasks.Diagnostics;
using CompressionTasks.Evaluation;
using CompressionTasks.Evaluation.Datasets;
using CompressionTasks.Gates;
using CompressionTasks.Manifest;
using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Graph;
using CompressionTasks.Onnx.Preparation;
using CompressionTasks.Onnx.Protobuf;
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
        var (graph, preparation) = GraphPreparer.Prepare(source.Model, cancellationToken);
        if (preparation.Changed)
        {
            run.Report($"{model.Name}: prepared: {preparation}");
        }

        var dataset = model.Dataset is { } datasetName ? DatasetSources.From(datasets[datasetName]) : null;
        var calibration = model.Calibration is { } calibrationName ? DatasetSources.From(datasets[calibrationName]) : null;
        var inputShapes = InputShapes(source.Model, model.InputShapes, calibration ?? dataset);
        return new PreparedModel(model, steps, fingerprint)
        {
            Source = source,
            Prepared = preparation.Changed ? graph.Export() : source.Model,
            Dataset = dataset,
            Calibration = calibration,
            Training = model.Training is { } trainingName ? DatasetSources.From(datasets[trainingName]) : null,
            ShapeOptions = InputShapeSymbols.Options(source.Model, inputShapes) with { Lenient = true },
            PassShapes = InputShapeSymbols.ForPasses(source.Model, inputShapes),
        };
    }

    /// <summary>
    /// The concrete input shapes: the manifest's <c>inputShapes</c>; else, for a model with one input, the dataset's
    /// sample shape behind the input's leading (batch) dim, when its rank fits; else none (the file's shapes stand).
    /// </summary>
    private static IReadOnlyDictionary<string, IReadOnlyList<long>> InputShapes(ModelProto model, IReadOnlyDictionary<string, IReadOnlyList<long>> declared, DatasetSource? data)
    {
        if (declared.Count > 0 || data is null)
        {
            return declared;
        }

        var initializers = new HashSet<string>(model.Graph.Initializer.Select(i => i.Name), StringComparer.Ordinal);
        var inputs = model.Graph.Input.Where(i => !initializers.Contains(i.Name)).ToList();
        if (inputs is not [{ Type.TensorType.Shape: { } shape } input] || !shape.Dim.Any(d => d.HasDimParam))
        {
            return declared;
        }

        try
        {
            using var reader = DatasetReader.Open(data);
            if (reader.SampleShape.Count != shape.Dim.Count - 1)
            {
                return declared;
            }

            var batch = shape.Dim[0].HasDimValue ? shape.Dim[0].DimValue : 1;
            return new Dictionary<string, IReadOnlyList<long>>(StringComparer.Ordinal) { [input.Name] = [batch, .. reader.SampleShape.Select(d => (long)d)] };
        }
        catch (CompressionException)
        {
            return declared; // the dataset's own problem is reported where it is read for evaluation
        }
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
