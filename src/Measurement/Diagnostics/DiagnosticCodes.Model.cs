namespace CompressionTasks.Diagnostics;

/// <summary>2xxx: the model file and its ONNX content.</summary>
public static partial class DiagnosticCodes
{
    public static readonly DiagnosticCode ModelNotFound = new(2001, "Model file not found");
    public static readonly DiagnosticCode ModelEmpty = new(2002, "Model file is empty");
    public static readonly DiagnosticCode ModelMalformed = new(2003, "Model file is not valid protobuf");
    public static readonly DiagnosticCode NotAModel = new(2004, "File is not an ONNX model");
    public static readonly DiagnosticCode TensorSizeInvalid = new(2005, "Tensor size is inconsistent");
    public static readonly DiagnosticCode ExternalDataMissing = new(2006, "External data file not found");
    public static readonly DiagnosticCode ExternalDataOutsideModelFolder = new(2007, "External data path escapes the model folder");
    public static readonly DiagnosticCode ExternalDataOutOfRange = new(2008, "External data range is outside its file");
    public static readonly DiagnosticCode TensorTypeUnsupported = new(2009, "Tensor data type not supported here");
    public static readonly DiagnosticCode ShapeInferenceFailed = new(2010, "Shape inference failed");
    public static readonly DiagnosticCode ModelWriteFailed = new(2011, "Model could not be written");
    public static readonly DiagnosticCode GraphInvalid = new(2012, "Graph is not well formed");
    public static readonly DiagnosticCode OpsetUpgradeUnsupported = new(2013, "Opset upgrade not supported");
    public static readonly DiagnosticCode ModelTooLarge = new(2014, "Model too large for a single protobuf file");
    public static readonly DiagnosticCode ModelUnreadable = new(2015, "Model file could not be read");
}
