using CompressionTasks.Diagnostics;
using CompressionTasks.Evaluation;
using CompressionTasks.Gates;
using CompressionTasks.Manifest;
using CompressionTasks.Onnx.Shapes;
using CompressionTasks.Pipeline.Stages;
using CompressionTasks.Reports;

namespace CompressionTasks.Pipeline;

/// <summary>
/// The <c>run</c> pipeline (DESIGN.md) as named stages: <see cref="PlanStage">Plan</see> (select models, bind the run's
/// gates), then per model <see cref="PrepareStage">Prepare</see> (load, fingerprint, reuse), <see cref="BuildStage">Build</see>
/// and <see cref="EvaluateStage">Evaluate</see> (the original model is always the variant <c>baseline</c>), then per
/// model <see cref="MeasureStage">Measure</see> and <see cref="GateStage">Gate</see>, and finally
/// <see cref="PublishStage">Publish</see> (report.json, its renderings and the deploy bundles, moved into place together).
/// This class only sequences them.
/// </summary>
/// <remarks>
/// Building and evaluating run for up to <see cref="RunOptions.MaxParallelism"/> models at once; then the models are
/// measured one at a time, in manifest order, each model's variants interleaved with each other, so no other work
/// competes for the CPU while latency is sampled.
/// </remarks>
public sealed class CompressionRunner
{
    private readonly RunContext _run;

    public CompressionRunner(CompressionManifest manifest, RunOptions options)
    {
        var output = new OutputLayout(options.OutputFolder ?? manifest.OutputFolder);
        _run = new RunContext(manifest, options, output, PublishStage.StagingFor(output));
    }

    public OutputLayout Layout => _run.Output;

    public async Task<RunResult> RunAsync(CancellationToken cancellationToken = default)
    {
        var started = DateTimeOffset.UtcNow;
        var manifest = _run.Manifest;
        var plan = new PlanStage(_run).Plan();
        var machine = EnvironmentProbe.Capture(manifest.Folder, started);
        var prepare = new PrepareStage(_run, plan);
        var evaluate = new EvaluateStage(_run);
        var build = new BuildStage(_run, evaluate);
        var measure = new MeasureStage(_run);
        var gate = new GateStage(_run, plan);

        using var publish = await PublishStage.OpenAsync(_run, cancellationToken).ConfigureAwait(false);
        try
        {
            var built = new BuiltModel[plan.Models.Count];
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _run.Options.MaxParallelism), CancellationToken = cancellationToken };
            await Parallel.ForEachAsync(Enumerable.Range(0, plan.Models.Count), parallel, async (index, token) =>
            {
                var prepared = prepare.Prepare(plan.Models[index], machine, token);
                _run.Options.OnCheckpoint?.Invoke(RunCheckpoint.ModelPrepared);
                built[index] = prepared.Reused is null
                    ? await BuildAndEvaluateAsync(prepared, build, evaluate, token).ConfigureAwait(false)
                    : new BuiltModel(prepared, []);
            }).ConfigureAwait(false);

            var judged = new List<JudgedModel>(built.Length);
            foreach (var model in built)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (model.Prepared.Reused is { } reused)
                {
                    judged.Add(gate.Reuse(reused));
                }
                else
                {
                    var result = gate.JudgeModel(model, measure.Measure(model, cancellationToken));
                    _run.Options.OnCheckpoint?.Invoke(RunCheckpoint.ModelJudged);
                    publish.Cache(model.Prepared, result.Report);
                    judged.Add(result);
                }

                model.Prepared.Steps.Finish();
            }

            var report = new CompressionReport
            {
                Tool = EnvironmentProbe.Tool,
                Environment = machine,
                Manifest = Path.GetFileName(manifest.Path),
                Target = manifest.Target.Name,
                Models = [.. judged.Select(j => j.Report)],
            };
            var (gated, reportVerdicts) = gate.JudgeReport(report);
            var verdicts = GateStage.InReportOrder(gated, [.. judged.SelectMany(j => j.Verdicts), .. reportVerdicts]);
            var published = publish.Publish(gated, cancellationToken);
            IReadOnlyList<Diagnostic> diagnostics = [.. manifest.Warnings, .. PassWarningDiagnostics.From(manifest, published.Report), .. gate.Diagnostics(verdicts), .. published.Diagnostics];
            return new RunResult(published.Report, _run.Output.ReportPath, diagnostics)
            {
                Markdown = published.Markdown,
            };
        }
        catch (CompressionException ex) when (publish.Relocate(ex) is { } relocated)
        {
            // Name the file where it would have been written, not the staging folder that is about to disappear.
            throw relocated;
        }
    }

    private async Task<BuiltModel> BuildAndEvaluateAsync(PreparedModel model, BuildStage build, EvaluateStage evaluate, CancellationToken cancellationToken)
    {
        var baseline = build.Baseline(model);

        // Described (graph checked, shapes inferred) before ONNX Runtime loads it: an invalid model's first error, naming
        // its node, is the one shown, not the runtime's second opinion of the same fault.
        var baselineReport = build.Describe(VariantReport.BaselineName, baseline, model.ShapeOptions, cancellationToken);
        EvaluationResult? baselineEvaluation;
        try
        {
            baselineEvaluation = await evaluate.EvaluateAsync(model, VariantReport.BaselineName, baseline.ModelPath, cancellationToken).ConfigureAwait(false);
            _run.Options.OnCheckpoint?.Invoke(RunCheckpoint.VariantEvaluated);
        }
        catch (CompressionException ex) when (ex.Diagnostics.Any(d => d.Code == DiagnosticCodes.ModelNotEvaluable)
            && ShapeInference.Run(baseline.Graph, model.ShapeOptions with { Lenient = true }, cancellationToken).Failures is [var first, ..])
        {
            // Shape contradictions are only reported while ONNX Runtime may still run the model; when it cannot, the
            // contradiction naming the node is the first error, not the runtime's opinion of the same fault.
            throw new CompressionException(DiagnosticCodes.ShapeInferenceFailed, SourceLocation.InFile(model.Model.Path), first, ex);
        }

        var variants = new List<BuiltVariantResult>
        {
            new(EvaluateStage.Record(baselineReport, baselineEvaluation, null), baselineEvaluation, baseline.ModelPath),
        };

        foreach (var variant in model.Model.Variants.Where(v => _run.Options.Selection.IncludesVariant(v.Name)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var built = build.Variant(model, variant, cancellationToken);
            var evaluation = await evaluate.EvaluateAsync(model, variant.Name, built.ModelPath, cancellationToken).ConfigureAwait(false);
            _run.Options.OnCheckpoint?.Invoke(RunCheckpoint.VariantEvaluated);
            variants.Add(new(EvaluateStage.Record(build.Describe(variant.Name, built, model.ShapeOptions, cancellationToken), evaluation, baselineEvaluation), evaluation, built.ModelPath));
        }

        return new BuiltModel(model, variants);
    }
}
