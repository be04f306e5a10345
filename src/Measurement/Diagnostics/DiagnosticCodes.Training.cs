namespace CompressionTasks.Diagnostics;

public static partial class DiagnosticCodes
{
    /// <summary>A node on the path to the loss has an operator (or attribute) the training engine cannot differentiate.</summary>
    public static readonly DiagnosticCode TrainingOperatorUnsupported = new(3100, "Operator not trainable");

    /// <summary>The model cannot be trained as given: no float input or output, several inputs, non-float weights.</summary>
    public static readonly DiagnosticCode TrainingModelUnsupported = new(3101, "Model not trainable");

    /// <summary>Fine-tuning needs data: neither a training nor a calibration set is declared for the model.</summary>
    public static readonly DiagnosticCode TrainingDataMissing = new(3102, "No training data");

    /// <summary>The loss asks for labels (cross-entropy) but the training set has none.</summary>
    public static readonly DiagnosticCode TrainingLabelsMissing = new(3103, "Training data unlabelled");

    /// <summary>The loss became NaN or infinite: the learning rate is too high for the model.</summary>
    public static readonly DiagnosticCode TrainingDiverged = new(3104, "Training diverged");
}
