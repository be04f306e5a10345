using CompressionTasks.Diagnostics;
using CompressionTasks.Energy;
using CompressionTasks.Evaluation;
using CompressionTasks.Manifest;
using CompressionTasks.Measurement;
using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Graph;
using CompressionTasks.Onnx.Protobuf;
using CompressionTasks.Onnx.Shapes;
using CompressionTasks.Passes;
using CompressionTasks.Reports;

namespace CompressionTasks.Pipeline;

/// <summary>
/// The <c>run</c> pipeline (DESIGN.md): expand the manifest into model × variant jobs (the original model is always the
/// variant <c>baseline</c>), build each variant through its passes, evaluate it against the baseline, measure it,
/// apply the gates, and write <c>report.json</c>.
/// </summary>
public sealed class CompressionRunner
{
    private readonly CompressionManifest _manifest;
    private readonly RunOptions _options;
    private readonly OutputLayout _layout;

    public CompressionRunner(CompressionManifest manifest, RunOptions options)
    {
        _manifest = manifest;
        _options = options;
        _layout = new OutputLayout(options.OutputFolder ?? manifest.OutputFolder);
    }

    public OutputLayout Layout => _layout;

    public async Task<RunResult> RunAsync(CancellationToken cancellationToken = default)
    {
        var started = DateTimeOffset.UtcNow;
        var models = _manifest.Models.Where(m => _options.Selection.IncludesModel(m.Name)).ToArray();
        if (models.Length == 0 && _options.Selection.Model is { } missing)
        {
            throw new CompressionException(DiagnosticCodes.UsageError, SourceLocation.InFile(_manifest.Path),
                $"--only names model '{missing}', which the manifest does not define (models: {string.Join(", ", _manifest.Models.Select(m => m.Name))})");
        }

        var diagnostics = new List<Diagnostic>(_manifest.Warnings);
        var reports = new List<ModelReport>();
        foreach (var model in models)
        {
            cancellationToken.ThrowIfCancellationRequested();
            reports.Add(await RunModelAsync(model, diagnostics, cancellationToken).ConfigureAwait(false));
        }

        var report = new CompressionReport
        {
            Tool = EnvironmentProbe.Tool,
            Environment = EnvironmentProbe.Capture(_manifest.Folder, started),
            Manifest = Path.GetFileName(_manifest.Path),
            Target = _manifest.Target.Name,
            Models = reports,
        };
        report = RegressionGateChecker.Apply(report, _manifest.Gates);
        diagnostics.AddRange(GateDiagnostics(report));
        ReportJson.Write(report, _layout.ReportPath);
        return new RunResult(report, _layout.ReportPath, diagnostics);
    }

    private async Task<ModelReport> RunModelAsync(ModelEntry model, List<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        Report($"{model.Name}: loading {Path.GetFileName(model.Path)}");
        var source = OnnxModelFile.LoadWithExternalData(model.Path);
        var dataset = model.Dataset is { } datasetName ? DatasetSources.From(_manifest.Datasets[datasetName]) : null;
        var calibration = model.Calibration is { } calibrationName ? DatasetSources.From(_manifest.Datasets[calibrationName]) : null;
        var training = model.Training is { } trainingName ? DatasetSources.From(_manifest.Datasets[trainingName]) : null;
        var shapeOptions = ShapeOptions(source.Model, model);

        var baselinePath = _layout.ModelPath(model.Name, VariantReport.BaselineName);
        var baseline = VariantBuilder.Baseline(source, model.Path, baselinePath);
        var baselineEvaluation = await EvaluateAsync(model, VariantReport.BaselineName, baselinePath, dataset, cancellationToken).ConfigureAwait(false);
        var baselineReport = Describe(model, VariantReport.BaselineName, baseline, shapeOptions, baselineEvaluation, null, cancellationToken);
        var variants = new List<VariantReport> { baselineReport };

        foreach (var variant in model.Variants.Where(v => _options.Selection.IncludesVariant(v.Name)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            Report($"{model.Name}/{variant.Name}: compressing");
            var context = new PassContext(model.Name, cancellationToken)
            {
                Calibration = calibration,
                Training = training,
                Uncompressed = source.Model,
                AccuracyProbe = dataset is null || baselineEvaluation?.Accuracy is null ? null : (candidate, ct) => ProbeAccuracyAsync(candidate, dataset, ct),
                BaselineTop1 = baselineEvaluation?.Accuracy?.Top1,
                Progress = _options.Progress,
                IntraOpThreads = IntraOpThreads,
            };
            var built = VariantBuilder.Build(source.Model, variant, context, _layout.ModelPath(model.Name, variant.Name));
            var evaluation = await EvaluateAsync(model, variant.Name, built.ModelPath, dataset, cancellationToken).ConfigureAwait(false);
            var report = Describe(model, variant.Name, built, shapeOptions, evaluation, baselineEvaluation, cancellationToken);
            report = report with
            {
                VsBaseline = Ratios(baselineReport, report),
                Gates = GateChecker.Check(
                    _manifest.Gates.Where(g => g.AppliesTo(model.Name, variant.Name)),
                    report,
                    baselineEvaluation,
                    evaluation,
                    _options.Evaluate,
                    _options.Measure),
            };
            variants.Add(report);
        }

        // Gates may name the baseline explicitly (an absolute limit on the original model).
        var baselineGates = _manifest.Gates.Where(g => g.AppliesTo(model.Name, VariantReport.BaselineName)).ToArray();
        if (baselineGates.Length > 0)
        {
            variants[0] = baselineReport with
            {
                Gates = GateChecker.Check(baselineGates, baselineReport, baselineEvaluation, baselineEvaluation, _options.Evaluate, _options.Measure),
            };
        }

        return new ModelReport
        {
            Name = model.Name,
            Source = Path.GetRelativePath(_manifest.Folder, model.Path).Replace('\\', '/'),
            Variants = variants,
        };
    }

    private VariantReport Describe(
        ModelEntry model,
        string variantName,
        VariantBuilder.BuiltVariant built,
        ShapeInferenceOptions shapeOptions,
        EvaluationResult? evaluation,
        EvaluationResult? baselineEvaluation,
        CancellationToken cancellationToken)
    {
        var statistics = ModelStatistics.Compute(built.Graph, ShapeInference.Run(built.Graph, shapeOptions, cancellationToken));
        var measurement = _options.Measure ? Measure(model, variantName, built.ModelPath, cancellationToken) : null;
        return new VariantReport
        {
            Name = variantName,
            Path = _layout.Relative(built.ModelPath),
            SizeBytes = new FileInfo(built.ModelPath).Length,
            GzipSizeBytes = GzipSize.Of(built.ModelPath),
            Params = statistics.ParameterCount,
            Macs = statistics.Macs,
            Passes = built.Passes.Count > 0 ? built.Passes : null,
            Accuracy = evaluation?.Accuracy is { } accuracy ? ReportMapping.Accuracy(accuracy) : null,
            Agreement = evaluation is not null && baselineEvaluation is not null
                ? ReportMapping.Agreement(AgreementCalculator.Compare(baselineEvaluation, evaluation))
                : null,
            LatencyMs = measurement is null ? null : ReportMapping.Latency(measurement.Latency),
            Energy = measurement is null ? null : ReportMapping.Energy(measurement.Energy),
            OpBreakdown = measurement?.OperatorBreakdown is { } breakdown ? ReportMapping.Operators(breakdown) : null,
            Warnings = built.Warnings.Count > 0 ? built.Warnings : null,
        };
    }

    private async Task<EvaluationResult?> EvaluateAsync(ModelEntry model, string variant, string modelPath, DatasetSource? dataset, CancellationToken cancellationToken)
    {
        if (!_options.Evaluate || dataset is null)
        {
            return null;
        }

        Report($"{model.Name}/{variant}: evaluating on {dataset.Name}");
        return await ModelEvaluator.EvaluateAsync(modelPath, dataset, EvaluationOptions, cancellationToken).ConfigureAwait(false);
    }

    private async Task<double> ProbeAccuracyAsync(ModelProto candidate, DatasetSource dataset, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("compress-probe-");
        try
        {
            var path = Path.Combine(folder.FullName, "candidate.onnx");
            OnnxModelFile.Save(candidate, path);
            var result = await ModelEvaluator.EvaluateAsync(path, dataset, EvaluationOptions with { KeepOutputs = false }, cancellationToken).ConfigureAwait(false);
            return result.Accuracy?.Top1 ?? double.NaN;
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private MeasurementResult Measure(ModelEntry model, string variant, string modelPath, CancellationToken cancellationToken)
    {
        Report($"{model.Name}/{variant}: measuring latency");
        var measure = _manifest.Measure;
        var settings = new MeasurementSettings(
            measure.Latency,
            new ExecutionSettings(measure.ExecutionProvider, IntraOpThreads, measure.InterOpThreads, measure.AllowCpuFallback, _manifest.Target.NativeLibraryPath),
            new Energy.EnergySettings(Sensor: EnergySensorName(measure.Energy.Sensor), SampleHz: measure.Energy.SampleRateHz),
            measure.OperatorBreakdown ? new OperatorBreakdownSettings() : null,
            new MeasurementInputs(model.InputShapes.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal)));
        return ModelBenchmark.Measure(modelPath, settings, _options.Progress, cancellationToken);
    }

    private int IntraOpThreads => _manifest.Measure.IntraOpThreads > 0 ? _manifest.Measure.IntraOpThreads : Environment.ProcessorCount;

    private EvaluationOptions EvaluationOptions => new() { IntraOpNumThreads = IntraOpThreads };

    private static string EnergySensorName(EnergySensor sensor) => sensor switch
    {
        EnergySensor.JetsonIna3221 => "jetson-ina3221",
        _ => sensor.ToString().ToLowerInvariant(),
    };

    /// <summary>Binds the symbolic dimensions of the model's inputs from the manifest's <c>inputShapes</c>; anything left unbound is taken as 1 (batch of one).</summary>
    private static ShapeInferenceOptions ShapeOptions(ModelProto model, ModelEntry entry)
    {
        var symbols = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var input in model.Graph.Input)
        {
            if (!entry.InputShapes.TryGetValue(input.Name, out var dims) || input.Type?.TensorType?.Shape is not { } shape)
            {
                continue;
            }

            for (var i = 0; i < Math.Min(dims.Count, shape.Dim.Count); i++)
            {
                if (shape.Dim[i].HasDimParam && shape.Dim[i].DimParam.Length > 0)
                {
                    symbols[shape.Dim[i].DimParam] = dims[i];
                }
            }
        }

        return new ShapeInferenceOptions { Symbols = symbols, UnboundSymbolValue = 1 };
    }

    private static BaselineRatios Ratios(VariantReport baseline, VariantReport variant) => new()
    {
        Size = Ratio(variant.SizeBytes, baseline.SizeBytes),
        Latency = Ratio(variant.LatencyMs?.Mean, baseline.LatencyMs?.Mean),
        Speedup = Ratio(baseline.LatencyMs?.Mean, variant.LatencyMs?.Mean),
        Macs = Ratio(variant.Macs, baseline.Macs),
        Energy = Ratio(variant.Energy?.JoulesPerInference, baseline.Energy?.JoulesPerInference),
        Top1Delta = Delta(variant.Accuracy?.Top1, baseline.Accuracy?.Top1),
        Top5Delta = Delta(variant.Accuracy?.Top5, baseline.Accuracy?.Top5),
        F1Delta = Delta(variant.Accuracy?.F1, baseline.Accuracy?.F1),
    };

    private static double? Ratio(double? numerator, double? denominator) =>
        numerator is { } n && denominator is { } d && d > 0 ? Math.Round(n / d, 6) : null;

    private static double? Delta(double? value, double? reference) =>
        value is { } v && reference is { } r ? Math.Round(v - r, 6) : null;

    private IEnumerable<Diagnostic> GateDiagnostics(CompressionReport report)
    {
        var severity = _options.GatesAsWarnings ? DiagnosticSeverity.Warning : DiagnosticSeverity.Error;
        foreach (var model in report.Models)
        {
            foreach (var variant in model.Variants)
            {
                foreach (var gate in variant.Gates ?? [])
                {
                    if (gate.Passed)
                    {
                        continue;
                    }

                    var definition = _manifest.Gates.FirstOrDefault(g => g.Name == gate.Name);
                    var code = DiagnosticCodes.ById(gate.Code) ?? DiagnosticCodes.LimitExceeded;
                    var location = definition?.Location ?? SourceLocation.InFile(_manifest.Path);
                    yield return new Diagnostic(code, severity, location,
                        $"{model.Name}/{variant.Name}: gate '{gate.Name}' failed: {gate.Summary()}");
                }
            }
        }
    }

    private void Report(string message) => _options.Progress?.Report(message);
}
