namespace CompressionTasks.Passes.FineTuning;

/// <summary>What the fine-tuning loss compares the model's output with.</summary>
public enum FineTuneLoss
{
    /// <summary>Labels and the teacher when the data is labelled; the teacher alone otherwise.</summary>
    Auto,

    /// <summary>Cross-entropy on the dataset's labels.</summary>
    Labels,

    /// <summary>Knowledge distillation from the model as the pass received it; needs no labels.</summary>
    Distill,

    /// <summary>A weighted sum of both (<see cref="FineTuneOptions.DistillWeight"/> on the distillation term).</summary>
    Mixed,
}
