using CompressionTasks.Manifest;

namespace CompressionTasks.Passes.FineTuning;

/// <summary>What the fine-tuning loss compares the model's output with.</summary>
public enum FineTuneLoss
{
    /// <summary>Labels and the teacher when the data is labelled; the teacher alone otherwise.</summary>
    [ManifestName("auto")]
    Auto,

    /// <summary>Cross-entropy on the dataset's labels.</summary>
    [ManifestName("labels")]
    Labels,

    /// <summary>Knowledge distillation from the model as the pass received it; needs no labels.</summary>
    [ManifestName("distill")]
    Distill,

    /// <summary>A weighted sum of both (<see cref="FineTuneOptions.DistillWeight"/> on the distillation term).</summary>
    [ManifestName("mixed")]
    Mixed,
}
