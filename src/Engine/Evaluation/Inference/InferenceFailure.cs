using CompressionTasks.Diagnostics;

namespace CompressionTasks.Evaluation.Inference;

/// <summary>What went wrong in a dataset feed, for the caller to report under its own code.</summary>
internal enum InferenceFailure
{
    /// <summary>ONNX Runtime cannot load the model.</summary>
    Load,

    /// <summary>The model's inputs or outputs are not what a dataset feed drives (one float input, float outputs).</summary>
    Interface,

    /// <summary>The dataset's samples do not fit the model's input.</summary>
    Input,

    /// <summary>ONNX Runtime failed on a batch, or an output does not split into the batch's samples.</summary>
    Run,
}

/// <summary>
/// Turns a feed failure into the caller's diagnostic: evaluation, calibration and recovery each keep their own codes
/// (CMP3012, CMP2104, CMP2203…) although they share one feed.
/// </summary>
internal delegate CompressionException InferenceErrors(InferenceFailure failure, string reason, Exception? inner);
