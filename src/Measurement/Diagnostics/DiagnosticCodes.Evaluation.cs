namespace CompressionTasks.Diagnostics;

/// <summary>Dataset and evaluation codes (3001-3099) and accuracy gate codes (5001-5049).</summary>
public static partial class DiagnosticCodes
{
    public static readonly DiagnosticCode DatasetNotFound = new(3001, "Dataset not found");
    public static readonly DiagnosticCode DatasetEmpty = new(3002, "Dataset is empty");
    public static readonly DiagnosticCode InvalidNpyFile = new(3003, "Invalid .npy file");
    public static readonly DiagnosticCode InvalidNpzFile = new(3004, "Invalid .npz archive");
    public static readonly DiagnosticCode LabelCountMismatch = new(3005, "Labels do not match samples");
    public static readonly DiagnosticCode LabelOutOfRange = new(3006, "Label out of range");
    public static readonly DiagnosticCode InvalidLabelsCsv = new(3007, "Invalid labels CSV");
    public static readonly DiagnosticCode UnreadableImage = new(3008, "Unreadable image");
    public static readonly DiagnosticCode InvalidPreprocessOptions = new(3009, "Invalid preprocessing options");
    public static readonly DiagnosticCode ImageSizeMismatch = new(3010, "Images differ in size");
    public static readonly DiagnosticCode ModelInputMismatch = new(3011, "Samples do not fit the model input");
    public static readonly DiagnosticCode ModelNotEvaluable = new(3012, "Model cannot be evaluated");
    public static readonly DiagnosticCode InvalidEvaluationOptions = new(3013, "Invalid evaluation options");
    public static readonly DiagnosticCode ResultsNotComparable = new(3014, "Evaluation results are not comparable");
    public static readonly DiagnosticCode MetricNeedsLabels = new(3015, "Metric needs a labelled dataset");
    public static readonly DiagnosticCode TooManyInvalidImages = new(3016, "Too many unreadable images");

    public static readonly DiagnosticCode AccuracyGateFailed = new(5001, "Accuracy gate failed");
    public static readonly DiagnosticCode AgreementGateFailed = new(5002, "Agreement gate failed");
}
