using CompressionTasks.Onnx.Graph;

namespace CompressionTasks.Passes.Quantization.Operators;

/// <summary>GlobalAveragePool → QLinearGlobalAveragePool (and any pool registered so): input and output through QDQ.</summary>
public class PoolQuantizer(string opType) : OperatorQuantizer(opType)
{
    public override QuantizationDecision Plan(Node node, QuantizationScope scope)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(scope);
        return scope.IsActivation(node.Inputs[0]) ? QuantizationDecision.Quantized() : QuantizationDecision.Unchanged;
    }
}
