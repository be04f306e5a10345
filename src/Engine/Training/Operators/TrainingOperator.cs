using System.Numerics;
using CompressionTasks.Onnx.Graph;

namespace CompressionTasks.Training.Operators;

/// <summary>
/// One ONNX node's forward computation and its vector-Jacobian product. An operator keeps what its backward needs
/// from the last forward (saved statistics, argmax positions) in its own fields, so a graph runs one batch at a time.
/// </summary>
public abstract class TrainingOperator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    protected TrainingOperator(Node node)
    {
        Node = node;
    }

    public Node Node { get; }

    /// <summary>Computes the node's outputs. Inputs the node omits (empty names) are null.</summary>
    public abstract TrainingTensor<T>[] Forward(TrainingTensor<T>?[] inputs, ForwardMode mode);

    /// <summary>
    /// Gradients of the loss with respect to each input whose <paramref name="needsGradient"/> entry is set, given
    /// the gradients of the outputs (null: the output does not reach the loss). Entries not needed stay null.
    /// </summary>
    public abstract TrainingTensor<T>?[] Backward(TrainingTensor<T>?[] inputs, TrainingTensor<T>[] outputs, TrainingTensor<T>?[] outputGradients, bool[] needsGradient);

    protected static T Scalar(double value) => T.CreateChecked(value);
}
