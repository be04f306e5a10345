using CompressionTasks.Reports;

namespace CompressionTasks.Gates;

/// <summary>A gate judged on one variant against the run's own baseline variant, as soon as the model is measured.</summary>
public interface IVariantGate : IGate
{
    /// <summary>
    /// True when the verdict needs the per-sample evaluations, which only a run that built the model has: a model whose
    /// results are reused from the previous run keeps that run's verdict (its inputs are unchanged, by its fingerprint).
    /// </summary>
    bool NeedsSamples { get; }

    GateReport Judge(VariantGateInput input);
}
