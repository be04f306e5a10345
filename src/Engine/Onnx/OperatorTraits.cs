using System.Collections.Frozen;
using CompressionTasks.Onnx.Graph;

namespace CompressionTasks.Onnx;

/// <summary>What the passes know about an operator of the default ONNX domain, independent of any one pass.</summary>
[Flags]
public enum OperatorFacts
{
    None = 0,

    /// <summary>The first output has the first input's shape (unary elementwise ops, normalisations).</summary>
    SameShape = 1 << 0,

    /// <summary>Inputs broadcast numpy-style (multidirectional) to the output's shape.</summary>
    Broadcasting = 1 << 1,

    /// <summary>The output is bool whatever the input type (comparisons and logic).</summary>
    BoolOutput = 1 << 2,

    /// <summary>
    /// Output channel c reads only input channel c of the first input, whatever the data: activations, pooling,
    /// identity. Structured pruning follows the channel axis straight through these.
    /// </summary>
    ChannelPreserving = 1 << 3,

    /// <summary>
    /// Elementwise arithmetic whose operands' channels line up one to one (a residual Add): structured pruning joins
    /// their channel groups and slices per-channel constant operands with them.
    /// </summary>
    JoinsChannels = 1 << 4,

    /// <summary>Pooling over the spatial axes: the channel axis must still be a plain axis, not a flattened block.</summary>
    SpatialPooling = 1 << 5,

    /// <summary>Moves or reinterprets data without arithmetic (reshapes, transposes, slicing, gathering).</summary>
    LayoutOnly = 1 << 6,

    /// <summary>
    /// A layer whose constant weight the compression passes rewrite (magnitude pruning, fine-tuning, quantization).
    /// ConvTranspose has a weight too, but no pass handles its transposed channel layout yet.
    /// </summary>
    WeightedLayer = 1 << 7,

    /// <summary>Does multiply-accumulate work that the model statistics count as MACs.</summary>
    MultiplyAccumulate = 1 << 8,

    /// <summary>An int8 operator or a quantize/dequantize step: a graph holding one is an int8 model.</summary>
    QuantizedForm = 1 << 9,

    /// <summary>Kept in fp32 by fp16 conversion unless the manifest gives its own list: it loses accuracy or has no fp16 kernel.</summary>
    Fp16Blocked = 1 << 10,

    /// <summary>
    /// Has no float16 form at the opsets the tool writes (its float inputs are float only): fp16 conversion keeps it
    /// in fp32 behind Cast nodes whatever <c>blockOps</c> says.
    /// </summary>
    Fp32Only = 1 << 11,
}

/// <summary>How static quantization treats an operator (the quantizer registry holds the code for each).</summary>
public enum QuantizationKind
{
    /// <summary>Stays fp32.</summary>
    None,

    /// <summary>Int8 weight (per output channel) and int8 activation inputs, int32 bias: QLinearConv, QGemm, QLinearMatMul.</summary>
    WeightAndActivations,

    /// <summary>Every input and the output through QuantizeLinear/DequantizeLinear: QLinearAdd, QLinearConcat, QLinear pooling.</summary>
    Activations,

    /// <summary>Runs on int8 directly when its outputs reuse its input's scale and zero point (MaxPool, Reshape, Transpose and other data movement).</summary>
    SharedRange,
}

/// <summary>
/// The weight input of a weighted operator and which of its axes carry the output and input channels. Gemm's B is
/// [K, N] and transB flips it to [N, K]; ConvTranspose's W is [C_in, C_out/group, ...], the other way round from Conv's.
/// </summary>
public sealed record WeightedInput(int Index, int OutputChannelAxis, int InputChannelAxis, string? TransposeAttribute = null)
{
    /// <summary>The axis of the weight that holds the node's output channels.</summary>
    public int OutputAxis(Node node) => Transposed(node) ? InputChannelAxis : OutputChannelAxis;

    /// <summary>The axis of the weight that holds the node's input channels (the features it reads).</summary>
    public int InputAxis(Node node) => Transposed(node) ? OutputChannelAxis : InputChannelAxis;

    private bool Transposed(Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return TransposeAttribute is { } attribute && node.GetInt(attribute, 0) != 0;
    }
}

/// <summary>
/// One table of operator facts (after ONNX Runtime's quantization <c>registry.py</c>): shape inference, structured
/// pruning, fp16 conversion, quantization, the precision detector and training read it instead of keeping their own
/// lists of op types. An op type missing from the table has no facts: every pass treats it as opaque.
/// </summary>
public sealed record OperatorTraits(string OpType, OperatorFacts Facts)
{
    private static readonly OperatorTraits[] Table = BuildTable();

    private static readonly FrozenDictionary<string, OperatorTraits> ByOpType = Table.ToFrozenDictionary(t => t.OpType, StringComparer.Ordinal);

    /// <summary>Set when the operator multiplies by a weight tensor with channel axes.</summary>
    public WeightedInput? Weight { get; init; }

    /// <summary>The index of the per-output-channel bias input; -1 when there is none.</summary>
    public int BiasInput { get; init; } = -1;

    public QuantizationKind Quantization { get; init; }

    /// <summary>Inputs whose type constraint is float alone whatever the data's type (Resize's scales): fp16 conversion keeps them fp32.</summary>
    public IReadOnlyList<int> Fp32Inputs { get; init; } = [];

    /// <summary>True when fp16 conversion can never run the operator in float16 (a quantize/dequantize step, float-only boxes).</summary>
    public bool StaysFp32 => Has(OperatorFacts.Fp32Only) || Has(OperatorFacts.QuantizedForm);

    /// <summary>Every operator the table knows, in table order.</summary>
    public static IReadOnlyList<OperatorTraits> All => Table;

    /// <summary>The op types fp16 conversion keeps in fp32 by default, in table order.</summary>
    public static IReadOnlyList<string> Fp16BlockedByDefault { get; } = WithFacts(OperatorFacts.Fp16Blocked);

    public bool Has(OperatorFacts facts) => (Facts & facts) == facts;

    /// <summary>The traits of <paramref name="opType"/>; an operator with no facts when the table does not know it.</summary>
    public static OperatorTraits Of(string opType)
    {
        ArgumentNullException.ThrowIfNull(opType);
        return ByOpType.TryGetValue(opType, out var traits) ? traits : new OperatorTraits(opType, OperatorFacts.None);
    }

    /// <summary>The traits of a node's operator; no facts for a node of another domain (its op type means something else there).</summary>
    public static OperatorTraits Of(Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return node.Domain is "" or "ai.onnx" ? Of(node.OpType) : new OperatorTraits(node.OpType, OperatorFacts.None);
    }

    /// <summary>True when <paramref name="opType"/> has every one of <paramref name="facts"/>.</summary>
    public static bool Is(string opType, OperatorFacts facts) => Of(opType).Has(facts);

    /// <summary>The op types with every one of <paramref name="facts"/>, in table order.</summary>
    public static IReadOnlyList<string> WithFacts(OperatorFacts facts) => Table.Where(t => t.Has(facts)).Select(t => t.OpType).ToArray();

    private static OperatorTraits[] BuildTable()
    {
        const OperatorFacts Unary = OperatorFacts.SameShape;
        const OperatorFacts Follows = OperatorFacts.SameShape | OperatorFacts.ChannelPreserving;
        const OperatorFacts Binary = OperatorFacts.Broadcasting;
        const OperatorFacts Joins = OperatorFacts.Broadcasting | OperatorFacts.JoinsChannels;
        const OperatorFacts Compares = OperatorFacts.Broadcasting | OperatorFacts.BoolOutput;
        const OperatorFacts Pool = OperatorFacts.ChannelPreserving | OperatorFacts.SpatialPooling;
        const OperatorFacts Layout = OperatorFacts.LayoutOnly;
        const OperatorFacts Int8 = OperatorFacts.QuantizedForm;
        const OperatorFacts Int8Mac = OperatorFacts.QuantizedForm | OperatorFacts.MultiplyAccumulate;
        const OperatorFacts Blocked = OperatorFacts.Fp16Blocked;
        const OperatorFacts Layer = OperatorFacts.WeightedLayer | OperatorFacts.MultiplyAccumulate;

        return
        [
            // Weighted layers.
            new("Conv", Layer) { Weight = new(1, 0, 1), BiasInput = 2, Quantization = QuantizationKind.WeightAndActivations },
            new("ConvTranspose", OperatorFacts.MultiplyAccumulate) { Weight = new(1, 1, 0), BiasInput = 2 },
            new("Gemm", Layer) { Weight = new(1, 1, 0, "transB"), BiasInput = 2, Quantization = QuantizationKind.WeightAndActivations },
            new("MatMul", Layer) { Weight = new(1, 1, 0), Quantization = QuantizationKind.WeightAndActivations },

            // Activations and other unary elementwise ops.
            new("Relu", Follows),
            new("LeakyRelu", Follows) { Quantization = QuantizationKind.Activations },
            new("Sigmoid", Follows) { Quantization = QuantizationKind.Activations },
            new("Tanh", Follows),
            new("HardSigmoid", Follows) { Quantization = QuantizationKind.Activations },
            new("HardSwish", Follows) { Quantization = QuantizationKind.Activations },
            new("Elu", Follows),
            new("Selu", Follows),
            new("Softplus", Follows),
            new("Softsign", Follows),
            new("Identity", Follows),
            new("Dropout", Follows),
            new("Neg", Follows),
            new("Abs", Follows),
            new("Sqrt", Follows),
            new("Exp", Follows),
            new("Erf", Follows),
            new("Gelu", Follows),
            new("Mish", Follows),

            // Clip's bounds may be per element, so pruning checks them before following the channel axis.
            new("Clip", Unary),
            new("Softmax", Unary) { Quantization = QuantizationKind.Activations },
            new("LogSoftmax", Unary),
            new("Log", Unary),
            new("Floor", Unary),
            new("Ceil", Unary),
            new("Round", Unary),
            new("Reciprocal", Unary),
            new("Celu", Unary),
            new("LRN", Unary),
            new("InstanceNormalization", Unary),
            new("LayerNormalization", Unary),
            new("Sin", Unary),
            new("Cos", Unary),
            new("Not", Unary | OperatorFacts.BoolOutput),
            new("Sign", Unary),
            new("ThresholdedRelu", Unary),
            new("Shrink", Unary),

            // fp16 conversion keeps these fp32 by default (the order is the `blockOps` default's).
            new("BatchNormalization", Unary | Blocked),
            new("Resize", Blocked) { Fp32Inputs = [1, 2], Quantization = QuantizationKind.SharedRange },
            new("Upsample", Blocked) { Fp32Inputs = [1] },
            new("NonMaxSuppression", Blocked | OperatorFacts.Fp32Only),
            new("TopK", Blocked),
            new("RoiAlign", Blocked),
            new("Range", Blocked | OperatorFacts.Fp32Only),
            new("CumSum", Unary | Blocked),
            new("RandomNormal", Blocked),
            new("RandomUniform", Blocked),
            new("RandomNormalLike", Blocked),
            new("RandomUniformLike", Blocked),
            new("Multinomial", Blocked),
            new("EyeLike", Blocked),

            // Binary elementwise ops.
            new("Add", Joins) { Quantization = QuantizationKind.Activations },
            new("Sub", Joins),
            new("Mul", Joins) { Quantization = QuantizationKind.Activations },
            new("Div", Joins),
            new("Max", Joins),
            new("Min", Joins),
            new("Sum", Joins),
            new("Pow", Binary),
            new("Mean", Binary),
            new("PRelu", Binary),
            new("Mod", Binary),
            new("BitShift", Binary),
            new("And", Compares),
            new("Or", Compares),
            new("Xor", Compares),
            new("Equal", Compares),
            new("Less", Compares),
            new("Greater", Compares),
            new("LessOrEqual", Compares),
            new("GreaterOrEqual", Compares),

            // Pooling.
            new("MaxPool", Pool) { Quantization = QuantizationKind.SharedRange },
            new("AveragePool", Pool) { Quantization = QuantizationKind.Activations },
            new("GlobalAveragePool", Pool) { Quantization = QuantizationKind.Activations },
            new("GlobalMaxPool", Pool),

            // Data movement.
            new("Concat", Layout) { Quantization = QuantizationKind.Activations },
            new("Reshape", Layout) { Quantization = QuantizationKind.SharedRange },
            new("Flatten", Layout),
            new("Transpose", Layout) { Quantization = QuantizationKind.SharedRange },
            new("Squeeze", Layout) { Quantization = QuantizationKind.SharedRange },
            new("Unsqueeze", Layout) { Quantization = QuantizationKind.SharedRange },
            new("Slice", Layout),
            new("Split", Layout) { Quantization = QuantizationKind.SharedRange },
            new("Gather", Layout) { Quantization = QuantizationKind.SharedRange },
            new("Expand", Layout),
            new("Tile", Layout),
            new("DepthToSpace", Layout),
            new("SpaceToDepth", Layout),

            // Quantized forms (some live in com.microsoft; the precision detector reads op types of any domain).
            new("QuantizeLinear", Int8),
            new("DequantizeLinear", Int8),
            new("DynamicQuantizeLinear", Int8),
            new("QLinearConv", Int8Mac),
            new("QLinearMatMul", Int8Mac),
            new("QLinearAdd", Int8),
            new("QLinearMul", Int8),
            new("QLinearSigmoid", Int8),
            new("QLinearLeakyRelu", Int8),
            new("QLinearSoftmax", Int8),
            new("QLinearAveragePool", Int8),
            new("QLinearGlobalAveragePool", Int8),
            new("QLinearConcat", Int8),
            new("QGemm", Int8),
            new("MatMulInteger", Int8Mac),
            new("ConvInteger", Int8Mac),
            new("DynamicQuantizeMatMul", Int8),
            new("MatMulIntegerToFloat", Int8),
        ];
    }
}
