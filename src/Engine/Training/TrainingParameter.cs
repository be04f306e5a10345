using System.Numerics;
using CompressionTasks.Onnx.Graph;

namespace CompressionTasks.Training;

/// <summary>
/// A trainable initializer: its current value, the gradient accumulated since the last step, and (for pruned
/// weights) the mask of entries that must stay zero.
/// </summary>
public sealed class TrainingParameter<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    internal TrainingParameter(Value source, TrainingTensor<T> value, ParameterRole role)
    {
        Source = source;
        Value = value;
        Gradient = TrainingTensor<T>.ZerosLike(value);
        Role = role;
    }

    public string Name => Source.Name;

    /// <summary>The graph initializer the parameter is read from and written back to.</summary>
    public Value Source { get; }

    public TrainingTensor<T> Value { get; }

    public TrainingTensor<T> Gradient { get; }

    public ParameterRole Role { get; }

    /// <summary>1 where the weight may change, 0 where it was pruned; null when nothing is pruned.</summary>
    public T[]? Mask { get; set; }
}
