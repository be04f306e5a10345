namespace CompressionTasks.Diagnostics;

/// <summary>Manifest (compression.yaml) codes, 1001-1099. Every one carries the manifest's file, line and column.</summary>
public static partial class DiagnosticCodes
{
    public static readonly DiagnosticCode ManifestNotFound = new(1001, "Manifest not found");
    public static readonly DiagnosticCode ManifestTooLarge = new(1002, "Manifest too large");
    public static readonly DiagnosticCode ManifestNotUtf8 = new(1003, "Manifest is not UTF-8");
    public static readonly DiagnosticCode ManifestEmpty = new(1004, "Manifest is empty");
    public static readonly DiagnosticCode YamlSyntaxError = new(1005, "YAML syntax error");
    public static readonly DiagnosticCode TabIndentation = new(1006, "Tab in indentation");
    public static readonly DiagnosticCode AnchorOrAlias = new(1007, "Anchors and aliases are not supported");
    public static readonly DiagnosticCode ExplicitTag = new(1008, "Explicit tags are not supported");
    public static readonly DiagnosticCode MultipleDocuments = new(1009, "More than one YAML document");
    public static readonly DiagnosticCode RootNotMapping = new(1010, "Manifest root is not a mapping");
    public static readonly DiagnosticCode DuplicateKey = new(1011, "Duplicate key");
    public static readonly DiagnosticCode UnknownKey = new(1012, "Unknown key");
    public static readonly DiagnosticCode WrongType = new(1013, "Wrong value type");
    public static readonly DiagnosticCode ValueOutOfRange = new(1014, "Value out of range");
    public static readonly DiagnosticCode InvalidChoice = new(1015, "Value not among the allowed ones");
    public static readonly DiagnosticCode MissingRequiredKey = new(1016, "Required key missing");
    public static readonly DiagnosticCode UnsupportedVersion = new(1017, "Missing or unsupported manifest version");
    public static readonly DiagnosticCode UnknownDataset = new(1018, "Undefined dataset");
    public static readonly DiagnosticCode GlobMatchedNothing = new(1019, "Glob matched no file");
    public static readonly DiagnosticCode DuplicateName = new(1020, "Duplicate name");
    public static readonly DiagnosticCode PathNotFound = new(1021, "File or folder not found");
    public static readonly DiagnosticCode UnknownPass = new(1022, "Unknown pass");
    public static readonly DiagnosticCode UnknownPassOption = new(1023, "Unknown pass option");
    public static readonly DiagnosticCode InvalidPassOption = new(1024, "Invalid pass option value");
    public static readonly DiagnosticCode MissingPassOption = new(1025, "Required pass option missing");
    public static readonly DiagnosticCode InvalidPassEntry = new(1026, "Malformed pass entry");
    public static readonly DiagnosticCode ReservedName = new(1027, "Reserved name");
    public static readonly DiagnosticCode UnknownVariant = new(1028, "Undefined variant");
    public static readonly DiagnosticCode UnknownModel = new(1029, "Undefined model");
    public static readonly DiagnosticCode UnknownTarget = new(1030, "Undefined target");
    public static readonly DiagnosticCode ConflictingKeys = new(1031, "Conflicting keys");
    public static readonly DiagnosticCode GateWithoutThreshold = new(1032, "Gate without a threshold");
    public static readonly DiagnosticCode GateThresholdMismatch = new(1033, "Threshold does not fit the gate's metric");
    public static readonly DiagnosticCode ManifestReadFailed = new(1034, "Manifest could not be read");
    public static readonly DiagnosticCode NoModels = new(1035, "Manifest lists no models");
    public static readonly DiagnosticCode ManifestExists = new(1036, "Manifest already exists");
    public static readonly DiagnosticCode WrongPathKind = new(1037, "Path is a file where a folder is expected, or the reverse");
    public static readonly DiagnosticCode TooManyProblems = new(1038, "Too many problems");
    public static readonly DiagnosticCode ExceptOtherSource = new(1039, "except names a dataset over other files");
    public static readonly DiagnosticCode ExceptChain = new(1040, "except names the dataset itself or another except set");

    // What a pass needs from its model entry, known when the manifest is bound (so `validate` reports it).
    public static readonly DiagnosticCode PassNeedsCalibration = new(1060, "Pass needs a calibration dataset");
    public static readonly DiagnosticCode RecoverNeedsStructuredPrune = new(1061, "recover without a structured prune before it");
    public static readonly DiagnosticCode PassNeedsTrainingData = new(1062, "Pass needs a training or calibration dataset");
    public static readonly DiagnosticCode PassNeedsLabelledDataset = new(1063, "Pass needs a labelled dataset");
}
