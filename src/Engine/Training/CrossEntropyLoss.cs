using System.Numerics;
using System.Numerics.Tensors;

namespace CompressionTasks.Training;

/// <summary>Softmax cross-entropy on logits [N, C], averaged over the batch, with its gradient <c>(softmax - onehot)/N</c>.</summary>
public static class CrossEntropyLoss
{
    public static T Compute<T>(TrainingTensor<T> logits, ReadOnlySpan<int> labels, TrainingTensor<T> gradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(gradient);
        var (batch, classes) = Rows(logits);
        var scale = T.One / T.CreateChecked(batch);
        var loss = T.Zero;
        for (var n = 0; n < batch; n++)
        {
            var row = logits.Data.AsSpan(n * classes, classes);
            var probabilities = gradient.Data.AsSpan(n * classes, classes);
            TensorPrimitives.SoftMax<T>(row, probabilities);
            var label = labels[n];
            var max = TensorPrimitives.Max<T>(row);
            var logSumExp = max + T.Log(SumExp(row, max));
            loss += logSumExp - row[label];
            probabilities[label] -= T.One;
            TensorPrimitives.Multiply(probabilities, scale, probabilities);
        }

        return loss * scale;
    }

    internal static T SumExp<T>(ReadOnlySpan<T> row, T max)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var sum = T.Zero;
        foreach (var v in row)
        {
            sum += T.Exp(v - max);
        }

        return sum;
    }

    internal static (int Batch, int Classes) Rows<T>(TrainingTensor<T> logits)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        (logits.Shape[0], logits.Length / Math.Max(1, logits.Shape[0]));
}
