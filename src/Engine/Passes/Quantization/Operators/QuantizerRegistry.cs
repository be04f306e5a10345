using System.Collections.Frozen;

namespace CompressionTasks.Passes.Quantization.Operators;

/// <summary>
/// The op types int8 quantization handles, each with its <see cref="OperatorQuantizer"/> (ONNX Runtime's
/// <c>registry.py</c>). Every mode plans through it, so quantizing another operator is one quantizer class and one line
/// in <see cref="Default"/>; the operator table's <see cref="Onnx.OperatorTraits.Quantization"/> says the same in words.
/// </summary>
public sealed class QuantizerRegistry
{
    private readonly FrozenDictionary<string, OperatorQuantizer> _quantizers;

    public QuantizerRegistry(IEnumerable<OperatorQuantizer> quantizers)
    {
        ArgumentNullException.ThrowIfNull(quantizers);
        var byOpType = new Dictionary<string, OperatorQuantizer>(StringComparer.Ordinal);
        foreach (var quantizer in quantizers)
        {
            if (!byOpType.TryAdd(quantizer.OpType, quantizer))
            {
                throw new ArgumentException($"two quantizers for {quantizer.OpType}", nameof(quantizers));
            }
        }

        _quantizers = byOpType.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public static QuantizerRegistry Default { get; } = new(
    [
        new ConvQuantizer(),
        new GemmQuantizer(),
        new MatMulQuantizer(),
        new AddQuantizer(),
        new ConcatQuantizer(),
        new MaxPoolQuantizer(),
        new AveragePoolQuantizer(),
        new PoolQuantizer("GlobalAveragePool"),
        new MulQuantizer(),
        new UnaryQuantizer("Sigmoid"),
        new UnaryQuantizer("LeakyRelu"),
        new UnaryQuantizer("Softmax"),
        new HardSigmoidQuantizer(),
        new HardSwishQuantizer(),
        new DataMovementQuantizer("Reshape"),
        new DataMovementQuantizer("Transpose"),
        new DataMovementQuantizer("Squeeze"),
        new DataMovementQuantizer("Unsqueeze"),
        new DataMovementQuantizer("Gather"),
        new DataMovementQuantizer("Split"),
        new DataMovementQuantizer("Resize"),
    ]);

    public IReadOnlyCollection<string> OpTypes => _quantizers.Keys;

    public IEnumerable<OperatorQuantizer> Quantizers => _quantizers.Values;

    /// <summary>The quantizer of <paramref name="opType"/>; null when it stays fp32.</summary>
    public OperatorQuantizer? Find(string opType)
    {
        ArgumentNullException.ThrowIfNull(opType);
        return _quantizers.GetValueOrDefault(opType);
    }

    /// <summary>A registry with <paramref name="quantizer"/> added, or replacing the one of its op type.</summary>
    public QuantizerRegistry With(OperatorQuantizer quantizer)
    {
        ArgumentNullException.ThrowIfNull(quantizer);
        return new QuantizerRegistry(_quantizers.Values.Where(q => q.OpType != quantizer.OpType).Append(quantizer));
    }
}
