using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Graph;

namespace CompressionTasks.Passes.Quantization.Operators;

/// <summary>
/// How int8 quantization treats one op type (ONNX Runtime's quantization tool keeps one such class per operator under
/// <c>operators/</c>): whether a node can be quantized, which of its inputs are activations that get a
/// QuantizeLinear/DequantizeLinear pair, and how its constant inputs become int8 in each mode. The defaults describe an
/// operator whose every input and output goes through QDQ and that has no constants to rewrite.
/// </summary>
public abstract class OperatorQuantizer
{
    protected OperatorQuantizer(string opType)
    {
        ArgumentException.ThrowIfNullOrEmpty(opType);
        OpType = opType;
    }

    public string OpType { get; }

    /// <summary>The operator's entry in the shared table (weight input, channel axes, bias input).</summary>
    public OperatorTraits Traits => OperatorTraits.Of(OpType);

    /// <summary>
    /// True when a Relu or Clip that alone reads the output may take the output's QuantizeLinear: ORT fuses the
    /// activation into the int8 kernel. False where the output must keep exactly the range ORT expects (MaxPool, Concat).
    /// </summary>
    public virtual bool FusesFollowingActivation => true;

    /// <summary>True when the output's range is its first input's (ORT runs MaxPool on int8 only with equal scales).</summary>
    public virtual bool OutputSharesInputRange => false;

    /// <summary>
    /// The outputs that get a calibrated QuantizeLinear/DequantizeLinear pair (the first one may move past a fused
    /// Relu/Clip); empty when the quantizer writes its output's quantization itself (HardSigmoid's fixed [0, 1] range).
    /// </summary>
    public virtual IEnumerable<Value> QuantizedOutputs(Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return [node.Outputs[0]];
    }

    /// <summary>
    /// Outputs already int8 when the node is rewritten (a fixed range the quantizer sets itself): a reader quantizes
    /// them with no pair of its own.
    /// </summary>
    public virtual IEnumerable<Value> FixedRangeOutputs(Node node) => [];

    /// <summary>Whether static quantization turns <paramref name="node"/> to int8, and along which axis its weight is quantized.</summary>
    public abstract QuantizationDecision Plan(Node node, QuantizationScope scope);

    /// <summary>The inputs that get a QuantizeLinear/DequantizeLinear pair.</summary>
    public virtual IEnumerable<Value> ActivationInputs(Node node, QuantizationScope scope)
    {
        ArgumentNullException.ThrowIfNull(node);
        return node.Inputs;
    }

    /// <summary>
    /// Static mode: replaces the node's constant inputs by int8 data behind DequantizeLinear. Runs for every planned
    /// node before any activation pair is inserted; <paramref name="activations"/> holds each planned activation's
    /// scale and zero point (a bias is quantized with its input's scale).
    /// </summary>
    public virtual void QuantizeConstants(QdqBuilder builder, Node node, int weightAxis, IReadOnlyDictionary<Value, ActivationQuantization> activations)
    {
    }

    /// <summary>Weight-only mode: stores the weight as int8 behind DequantizeLinear; false when the node has none or it cannot be quantized.</summary>
    public virtual bool QuantizeWeightOnly(QdqBuilder builder, Node node, int weightAxis) => false;

    /// <summary>Dynamic mode: replaces the node by integer kernels with run-time activation ranges; false when it stays fp32.</summary>
    public virtual bool QuantizeDynamic(OnnxGraph graph, Node node, int weightAxis, QuantizeOptions options) => false;
}
