using CompressionTasks.Onnx.Graph;

namespace CompressionTasks.Training;

/// <summary>How a graph is turned into a trainable one.</summary>
public sealed record TrainingGraphOptions
{
    /// <summary>BatchNormalization uses its running statistics even in training (small batches, or to keep calibration).</summary>
    public bool FreezeBatchNorm { get; init; }

    /// <summary>
    /// Which float initializers are trained; null means the weights and biases of Conv, Gemm and MatMul and the scale
    /// and shift of BatchNormalization. Everything else stays constant.
    /// </summary>
    public Func<Value, bool>? IsTrainable { get; init; }

    /// <summary>Also compute the gradient with respect to the graph input (gradient checks).</summary>
    public bool InputGradient { get; init; }

    /// <summary>
    /// Quantization-aware training: the weights and data inputs of Conv, Gemm and MatMul pass through
    /// <see cref="FakeQuantizer{T}"/>s, so training sees the int8 rounding static quantization will apply.
    /// </summary>
    public bool FakeQuantize { get; init; }

    /// <summary>Fake-quantized weights get one scale per output channel (on the weight's output-channel axis), else one per tensor.</summary>
    public bool FakeQuantizePerChannel { get; init; } = true;

    /// <summary>Fake-quantized weights use 7 bits, as static quantization's <c>reduceRange</c> stores them.</summary>
    public bool FakeQuantizeReduceRange { get; init; }

    /// <summary>When the output is a Softmax, stop before it so the loss sees logits (numerically safer cross-entropy).</summary>
    public bool StopBeforeSoftmax { get; init; } = true;
}
