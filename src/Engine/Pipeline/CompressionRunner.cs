using CompressionTasks.Deployment;
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
/// <remarks>
/// Two phases. Building and evaluating run for up to <see cref="RunOptions.MaxParallelism"/> models at once; then every
/// variant is measured alone, in manifest order, so no other work competes for the CPU while latency is sampled.
/// Everything is written to a hidden staging folder inside the output folder and moved into place only when the run
/// succeeds: a failed or cancelled run leaves the previous outputs as they were and no partial files behind.
/// </remarks>
public sealed class CompressionRunner
{
    private const string StagingPrefix = ".partial-";

    private readonly CompressionManifest _manifest;
    private readonly RunOptions _options;
    private readonly OutputLayout _layout;
    private readonly OutputLayout _staging;
    private readonly IProgress<string>? _progress;

    public CompressionRunner(CompressionManifest manifest, RunOptions options)
    {
        _manifest = manifest;
        _options = options;
        _layout = new OutputLayout(options.OutputFolder ?? manifest.OutputFolder);
        _staging = new OutputLayout(Path.Combine(_layout.Root, StagingPrefix + Guid.NewGuid().ToString("N")));

        // Passes and the benchmark name the files they work on; people should read where those files will end up.
        _progress = options.Progress is { } progress
            ? new StagingPathProgress(progress, _staging.Root, _layout.Root)
            : null;
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

        // Read the baseline report before hours of work, so a wrong path fails at once.
        var baselineReport = _options.BaselineReportPath is { } baselinePath ? ReportJson.Read(baselinePath) : null;
        var diagnostics = new List<Diagnostic>(_manifest.Warnings);
        var machine = EnvironmentProbe.Capture(_manifest.Folder, started);
        var staging = _staging;

        // One run per output folder at a time (a second one waits); then what killed runs left behind can go.
        using var outputLock = await OutputLock.AcquireAsync(_layout.Root, _options.Progress, cancellationToken: cancellationToken).ConfigureAwait(false);
        outputLock.RemoveLeftovers(StagingPrefix);
        var outputExisted = Directory.Exists(_layout.Root);
        try
        {
            var built = new BuiltModel[models.Length];
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _options.MaxParallelism), CancellationToken = cancellationToken };
            await Parallel.ForEachAsync(Enumerable.Range(0, models.Length), parallel, async (index, token) =>
                built[index] = await BuildModelAsync(models[index], staging, machine, token).ConfigureAwait(false)).ConfigureAwait(false);

            var reports = new List<ModelReport>(built.Length);
            foreach (var model in built)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var modelReport = model.Reused;
                if (modelReport is null)
                {
                    modelReport = MeasureAndGate(model, cancellationToken);
                    ModelResultCache.Write(staging, model.Model.Name, model.Fingerprint, modelReport);
                }

                reports.Add(modelReport);
                model.Steps.Finish();
            }

            var report = new CompressionReport
            {
                Tool = EnvironmentProbe.Tool,
                Environment = machine,
                Manifest = Path.GetFileName(_manifest.Path),
                Target = _manifest.Target.Name,
                Models = reports,
            };
            report = RegressionGateChecker.Apply(report, _manifest.Gates);
            if (baselineReport is not null)
            {
                report = RegressionGateChecker.ApplyBaseline(report, baselineReport);
            }

            report = _options.FinishReport?.Invoke(report, relative => File.Exists(Path.Combine(staging.Root, relative)) ? Path.Combine(staging.Root, relative) : Path.Combine(_layout.Root, relative)) ?? report;
            diagnostics.AddRange(GateDiagnostics(report));
            ReportJson.Write(report, staging.ReportPath);
            cancellationToken.ThrowIfCancellationRequested();
            Publish(staging.Root, _layout.Root);
            if (_manifest.Deploy.Count > 0)
            {
                // Bundles for the manifest's `deploy:` targets, limited to what this run built (--only).
                var deployed = Deployer.Deploy(_manifest, report, _layout.Root,
                    new DeployOptions(Model: _options.Selection.Model, Variant: _options.Selection.Variant), cancellationToken);
                diagnostics.AddRange(deployed.Diagnostics);
            }

            return new RunResult(report, _layout.ReportPath, diagnostics);
        }
        catch (CompressionException ex) when (ex.Diagnostics.Any(d => d.Location.File?.StartsWith(staging.Root, StringComparison.Ordinal) == true))
        {
            // Name the file where it would have been written, not the staging folder that is about to disappear.
            throw new CompressionException(
                [.. ex.Diagnostics.Select(d => d.Location.File is { } file && file.StartsWith(staging.Root, StringComparison.Ordinal)
                    ? d with { Location = d.Location with { File = _layout.Root + file[staging.Root.Length..] } }
                    : d)],
                ex);
        }
        finally
        {
            DeleteStaging(staging.Root, outputExisted ? null : _layout.Root);
        }
    }

    private async Task<BuiltModel> BuildModelAsync(ModelEntry model, OutputLayout staging, EnvironmentInfo machine, CancellationToken cancellationToken)
    {
        var steps = new StepCounter(model.Name, StepCount(model), _options.StepProgress);
        steps.Start(RunStage.Loading, VariantReport.BaselineName);
        Report($"{model.Name}: loading {Path.GetFileName(model.Path)}");
        var source = OnnxModelFile.LoadWithExternalData(model.Path);
        var modelFolder = Path.GetDirectoryName(Path.GetFullPath(model.Path))!;
        var fingerprint = JobFingerprint.Compute(
            _manifest, model, source.ExternalDataFiles.Select(f => Path.Combine(modelFolder, f.Location)), _options, machine, cancellationToken);
        if (_options.Incremental && ModelResultCache.TryReuse(_layout, model.Name, fingerprint, out var previous))
        {
            Report($"{model.Name}: unchanged since the last run in {_layout.Root}; its results are reused (--force re-runs it)");
            return new BuiltModel(model, [], steps) { Fingerprint = fingerprint, Reused = previous };
        }

        var dataset = model.Dataset is { } datasetName ? DatasetSources.From(_manifest.Datasets[datasetName]) : null;
        var calibration = model.Calibration is { } calibrationName ? DatasetSources.From(_manifest.Datasets[calibrationName]) : null;
        var training = model.Training is { } trainingName ? DatasetSources.From(_manifest.Datasets[trainingName]) : null;
        var shapeOptions = ShapeOptions(source.Model, model);

        var baselinePath = staging.ModelPath(model.Name, VariantReport.BaselineName);
        var baseline = VariantBuilder.Baseline(source, model.Path, baselinePath);
        var baselineEvaluation = await EvaluateAsync(model, VariantReport.BaselineName, baselinePath, dataset, steps, cancellationToken).ConfigureAwait(false);
        var variants = new List<BuiltVariantResult>
        {
            new(Describe(VariantReport.BaselineName, baseline, staging, shapeOptions, baselineEvaluation, null, cancellationToken), baselineEvaluation, baselinePath),
        };

        foreach (var variant in model.Variants.Where(v => _options.Selection.IncludesVariant(v.Name)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            steps.Start(RunStage.Compressing, variant.Name);
            Report($"{model.Name}/{variant.Name}: compressing");
            var context = new PassContext(model.Name, cancellationToken)
            {
                Calibration = calibration,
                Training = training,
                Uncompressed = source.Model,
                AccuracyProbe = dataset is null || baselineEvaluation?.Accuracy is null ? null : (candidate, ct) => ProbeAccuracyAsync(candidate, dataset, ct),
                BaselineTop1 = baselineEvaluation?.Accuracy?.Top1,
                Progress = _progress,
                IntraOpThreads = IntraOpThreads,
            };
            var built = VariantBuilder.Build(source.Model, variant, context, staging.ModelPath(model.Name, variant.Name));
            var evaluation = await EvaluateAsync(model, variant.Name, built.ModelPath, dataset, steps, cancellationToken).ConfigureAwait(false);
            variants.Add(new(Describe(variant.Name, built, staging, shapeOptions, evaluation, baselineEvaluation, cancellationToken), evaluation, built.ModelPath));
        }

        return new BuiltModel(model, variants, steps) { Fingerprint = fingerprint };
    }

    private ModelReport MeasureAndGate(BuiltModel built, CancellationToken cancellationToken)
    {
        var model = built.Model;
        var measured = new List<VariantReport>(built.Variants.Count);
        foreach (var variant in built.Variants)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var report = variant.Report;
            if (_options.Measure)
            {
                built.Steps.Start(RunStage.Measuring, report.Name);
                var measurement = Measure(model, report.Name, variant.ModelPath, cancellationToken);
                report = report with
                {
                    LatencyMs = ReportMapping.Latency(measurement.Latency),
                    Energy = ReportMapping.Energy(measurement.Energy),
                    OpBreakdown = measurement.OperatorBreakdown is { } breakdown ? ReportMapping.Operators(breakdown) : null,
                };
            }

            measured.Add(report);
        }

        var baselineReport = measured[0];
        var baselineEvaluation = built.Variants[0].Evaluation;
        var variants = new List<VariantReport>(measured.Count);
        var baselineGates = _manifest.Gates.Where(g => g.AppliesTo(model.Name, VariantReport.BaselineName)).ToArray();

        // Gates may name the baseline explicitly (an absolute limit on the original model).
        variants.Add(baselineGates.Length == 0 ? baselineReport : baselineReport with
        {
            Gates = GateChecker.Check(baselineGates, baselineReport, baselineEvaluation, baselineEvaluation, _options.Evaluate, _options.Measure),
        });
        for (var i = 1; i < measured.Count; i++)
        {
            var report = measured[i];
            variants.Add(report with
            {
                VsBaseline = Ratios(baselineReport, report),
                Gates = GateChecker.Check(
                    _manifest.Gates.Where(g => g.AppliesTo(model.Name, report.Name)),
                    report,
                    baselineEvaluation,
                    built.Variants[i].Evaluation,
                    _options.Evaluate,
                    _options.Measure),
            });
        }

        return new ModelReport
        {
            Name = model.Name,
            Source = Path.GetRelativePath(_manifest.Folder, model.Path).Replace('\\', '/'),
            Variants = variants,
        };
    }

    private static VariantReport Describe(
        string variantName,
        VariantBuilder.BuiltVariant built,
        OutputLayout staging,
        ShapeInferenceOptions shapeOptions,
        EvaluationResult? evaluation,
        EvaluationResult? baselineEvaluation,
        CancellationToken cancellationToken)
    {
        var statistics = ModelStatistics.Compute(built.Graph, ShapeInference.Run(built.Graph, shapeOptions, cancellationToken));
        return new VariantReport
        {
            Name = variantName,
            Path = staging.Relative(built.ModelPath),
            SizeBytes = new FileInfo(built.ModelPath).Length,
            GzipSizeBytes = GzipSize.Of(built.ModelPath),
            Params = statistics.ParameterCount,
            Macs = statistics.Macs,
            Passes = built.Passes.Count > 0 ? built.Passes : null,
            Accuracy = evaluation?.Accuracy is { } accuracy ? ReportMapping.Accuracy(accuracy, evaluation.SkippedFiles.Count) : null,
            Agreement = evaluation is not null && baselineEvaluation is not null
                ? ReportMapping.Agreement(AgreementCalculator.Compare(baselineEvaluation, evaluation))
                : null,
            Warnings = built.Warnings.Count > 0 ? built.Warnings : null,
        };
    }

    /// <summary>Loading, then per variant (the baseline too): compressing (not the baseline), evaluating, measuring.</summary>
    private int StepCount(ModelEntry model)
    {
        var variants = model.Variants.Count(v => _options.Selection.IncludesVariant(v.Name));
        var perVariant = (_options.Evaluate && model.Dataset is not null ? 1 : 0) + (_options.Measure ? 1 : 0);
        return 1 + variants + ((variants + 1) * perVariant);
    }

    /// <summary>Moves the staged files into the output folder, report.json last so a reader never sees a report whose models are missing.</summary>
    private static void Publish(string stagingRoot, string outputRoot)
    {
        var reportPath = Path.Combine(stagingRoot, OutputLayout.ReportFileName);
        foreach (var file in Directory.EnumerateFiles(stagingRoot, "*", SearchOption.AllDirectories).Where(f => f != reportPath).Order(StringComparer.Ordinal).Append(reportPath))
        {
            var destination = Path.Combine(outputRoot, Path.GetRelativePath(stagingRoot, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Move(file, destination, overwrite: true);
        }
    }

    /// <param name="createdOutputRoot">The output folder when this run created it: removed again if the run left it empty.</param>
    private static void DeleteStaging(string stagingRoot, string? createdOutputRoot)
    {
        try
        {
            if (Directory.Exists(stagingRoot))
            {
                Directory.Delete(stagingRoot, recursive: true);
            }

            if (createdOutputRoot is not null && Directory.Exists(createdOutputRoot) && !Directory.EnumerateFileSystemEntries(createdOutputRoot).Any())
            {
                Directory.Delete(createdOutputRoot);
            }
        }
        catch (IOException)
        {
            // A file still held open (a native library mid-read) must not hide the run's own error; the folder is hidden and named as partial.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
    }

    private async Task<EvaluationResult?> EvaluateAsync(ModelEntry model, string variant, string modelPath, DatasetSource? dataset, StepCounter steps, CancellationToken cancellationToken)
    {
        if (!_options.Evaluate || dataset is null)
        {
            return null;
        }

        steps.Start(RunStage.Evaluating, variant);
        Report($"{model.Name}/{variant}: evaluating on {dataset.Name}");
        var options = steps.ReportsProgress
            ? EvaluationOptions with { Progress = new EvaluationStepProgress(steps, variant) }
            : EvaluationOptions;
        return await ModelEvaluator.EvaluateAsync(modelPath, dataset, options, cancellationToken).ConfigureAwait(false);
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
            new ExecutionSettings(_options.ExecutionProvider ?? measure.ExecutionProvider, IntraOpThreads, measure.InterOpThreads, measure.AllowCpuFallback, _manifest.Target.NativeLibraryPath),
            measure.Energy,
            measure.OperatorBreakdown ? new OperatorBreakdownSettings() : null,
            new MeasurementInputs(model.InputShapes.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal)));
        return ModelBenchmark.Measure(modelPath, settings, _progress, cancellationToken);
    }

    private int IntraOpThreads => _manifest.Measure.IntraOpThreads > 0 ? _manifest.Measure.IntraOpThreads : Environment.ProcessorCount;

    private EvaluationOptions EvaluationOptions => new() { IntraOpNumThreads = IntraOpThreads };

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
                    var location = definition?.Location
                        ?? (_options.BaselineReportPath is { } baselinePath ? SourceLocation.InFile(baselinePath) : SourceLocation.InFile(_manifest.Path));
                    yield return new Diagnostic(code, severity, location,
                        $"{model.Name}/{variant.Name}: gate '{gate.Name}' failed: {gate.Summary()}");
                }
            }
        }
    }

    private void Report(string message) => _progress?.Report(message);

    private sealed class StagingPathProgress(IProgress<string> inner, string stagingRoot, string outputRoot) : IProgress<string>
    {
        public void Report(string value) => inner.Report(value.Replace(stagingRoot, outputRoot, StringComparison.Ordinal));
    }

    private sealed record BuiltVariantResult(VariantReport Report, EvaluationResult? Evaluation, string ModelPath);

    private sealed record BuiltModel(ModelEntry Model, IReadOnlyList<BuiltVariantResult> Variants, StepCounter Steps)
    {
        public required string Fingerprint { get; init; }

        /// <summary>The previous run's report of this model, when nothing it depends on changed.</summary>
        public ModelReport? Reused { get; init; }
    }

    /// <summary>One model's step count; touched by one thread at a time (its build, later the sequential measurement).</summary>
    private sealed class StepCounter(string model, int totalSteps, IProgress<RunProgress>? progress)
    {
        private int _started;

        public bool ReportsProgress => progress is not null;

        public void Start(RunStage stage, string variant)
        {
            progress?.Report(new RunProgress(stage, model, variant, _started, totalSteps));
            _started++;
        }

        public void Finish() => progress?.Report(new RunProgress(RunStage.Finished, model, VariantReport.BaselineName, totalSteps, totalSteps));

        /// <summary>Progress within the step last started.</summary>
        public void Within(RunStage stage, string variant, double fraction) =>
            progress?.Report(new RunProgress(stage, model, variant, _started - 1, totalSteps) { StepFraction = Math.Clamp(fraction, 0, 1) });
    }

    private sealed class EvaluationStepProgress(StepCounter steps, string variant) : IProgress<EvaluationProgress>
    {
        public void Report(EvaluationProgress value) =>
            steps.Within(RunStage.Evaluating, variant, value.Total > 0 ? (double)value.Done / value.Total : 0);
    }
}
