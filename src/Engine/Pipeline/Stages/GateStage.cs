using CompressionTasks.Diagnostics;
using CompressionTasks.Gates;
using CompressionTasks.Reports;

namespace CompressionTasks.Pipeline.Stages;

/// <summary>
/// Judges the gates. Variant gates (accuracy drops, absolute limits, regressions against the run's baseline variant) run
/// per model as soon as it is measured, in manifest order, and are cached with the model; gates against a saved report
/// run on the finished report, every run afresh. Each verdict keeps its gate, so a failure is reported at the gate's
/// own manifest line with the gate's code.
/// </summary>
internal sealed class GateStage(RunContext run, RunPlan plan)
{
    public JudgedModel JudgeModel(BuiltModel built, IReadOnlyList<VariantReport> measured)
    {
        var model = built.Model;
        var baseline = measured[0];
        var baselineEvaluation = built.Variants[0].Evaluation;
        var variants = new List<VariantReport>(measured.Count);
        var verdicts = new List<GateVerdict>();
        for (var i = 0; i < measured.Count; i++)
        {
            var report = measured[i];
            if (i > 0 && Int8Slowdown.Warning(report, baseline) is { } slower)
            {
                report = report with { Warnings = [.. report.Warnings ?? [], slower] };
            }

            var input = new VariantGateInput(model.Name, report, baseline, baselineEvaluation, built.Variants[i].Evaluation, run.Options.Evaluate, run.Options.Measure);
            var judged = plan.VariantGates
                .Where(g => g.AppliesTo(model.Name, report.Name))
                .Select(g => new GateVerdict(g, model.Name, report.Name, g.Judge(input)))
                .ToArray();
            verdicts.AddRange(judged);

            // The baseline carries gates only when one names it (an absolute limit on the original model).
            variants.Add(i == 0 && judged.Length == 0 ? report : report with { Gates = [.. judged.Select(v => v.Report)] });
        }

        var modelReport = new ModelReport
        {
            Name = model.Name,
            Source = Path.GetRelativePath(run.Manifest.Folder, model.Path).Replace('\\', '/'),
            Variants = variants,
        };
        return new JudgedModel(modelReport, verdicts);
    }

    /// <summary>A reused model's verdicts, from its cached report: the gates and everything they judged are unchanged (<see cref="PrepareStage"/> checked each has its verdict).</summary>
    public JudgedModel Reuse(ModelReport reused)
    {
        var verdicts = new List<GateVerdict>();
        foreach (var variant in reused.Variants)
        {
            verdicts.AddRange(plan.VariantGates
                .Where(g => g.AppliesTo(reused.Name, variant.Name))
                .Select(g => new GateVerdict(g, reused.Name, variant.Name, variant.Gates!.Single(r => r.Name == g.Name))));
        }

        return new JudgedModel(reused, verdicts);
    }

    /// <summary>Adds the verdicts of the gates against saved reports to every variant they apply to, after its variant gates.</summary>
    public (CompressionReport Report, IReadOnlyList<GateVerdict> Verdicts) JudgeReport(CompressionReport report)
    {
        if (plan.SavedReportGates.Count == 0)
        {
            return (report, []);
        }

        var verdicts = new List<GateVerdict>();
        var models = report.Models.Select(model => model with
        {
            Variants = model.Variants.Select(variant =>
            {
                var judged = plan.SavedReportGates
                    .Where(g => g.AppliesTo(model.Name, variant.Name))
                    .Select(g => new GateVerdict(g, model.Name, variant.Name, g.Judge(model.Name, variant, plan.SavedReports[g.ReportPath])))
                    .ToArray();
                verdicts.AddRange(judged);
                return judged.Length == 0 ? variant : variant with { Gates = [.. variant.Gates ?? [], .. judged.Select(v => v.Report)] };
            }).ToArray(),
        }).ToArray();
        return (report with { Models = models }, verdicts);
    }

    /// <summary>The verdicts in the order report.json lists them: by model and variant, variant gates before saved-report gates.</summary>
    public static IReadOnlyList<GateVerdict> InReportOrder(CompressionReport report, IReadOnlyList<GateVerdict> verdicts)
    {
        var positions = report.Models
            .SelectMany((m, mi) => m.Variants.Select((v, vi) => (Key: (m.Name, v.Name), Position: (mi, vi))))
            .ToDictionary(x => x.Key, x => x.Position);

        // OrderBy is stable, so within a variant the verdicts keep the order they were judged in.
        return [.. verdicts.OrderBy(v => positions.GetValueOrDefault((v.Model, v.Variant), (int.MaxValue, int.MaxValue)))];
    }

    /// <summary>One diagnostic per failed verdict, at its gate's location (errors, or warnings with <see cref="RunOptions.GatesAsWarnings"/>).</summary>
    public IEnumerable<Diagnostic> Diagnostics(IEnumerable<GateVerdict> verdicts)
    {
        var severity = run.Options.GatesAsWarnings ? DiagnosticSeverity.Warning : DiagnosticSeverity.Error;
        foreach (var verdict in verdicts.Where(v => !v.Report.Passed))
        {
            var code = DiagnosticCodes.ById(verdict.Report.Code) ?? verdict.Gate.Code;
            yield return new Diagnostic(code, severity, verdict.Gate.Location,
                $"{verdict.Model}/{verdict.Variant}: gate '{verdict.Report.Name}' failed: {verdict.Report.Summary()}");
        }
    }
}
