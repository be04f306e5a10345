using System.Numerics;

namespace CompressionTasks.Training;

/// <summary>
/// A dense row-major tensor the training engine computes with. <typeparamref name="T"/> is <see cref="float"/> for
/// training and <see cref="double"/> for the reference mode that gradient checks run in.
/// </summary>
public sealed class TrainingTensor<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public TrainingTensor(int[] shape, T[] data)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(data);
        if (ElementCount(shape) != data.Length)
        {
            throw new ArgumentException($"Shape [{string.Join(',', shape)}] does not hold {data.Length} elements.", nameof(data));
        }

        Shape = shape;
        Data = data;
    }

    public TrainingTensor(params int[] shape)
        : this(shape, new T[ElementCount(shape)])
    {
    }

    public int[] Shape { get; }

    public T[] Data { get; }

    public int Length => Data.Length;

    public int Rank => Shape.Length;

    public Span<T> Span => Data;

    public static int ElementCount(ReadOnlySpan<int> shape)
    {
        var count = 1L;
        foreach (var d in shape)
        {
            count *= d;
        }

        return checked((int)count);
    }

    public TrainingTensor<T> Reshaped(int[] shape) => new(shape, Data);

    public TrainingTensor<T> Clone() => new((int[])Shape.Clone(), (T[])Data.Clone());

    public static TrainingTensor<T> ZerosLike(TrainingTensor<T> other) => new((int[])other.Shape.Clone());

    public override string ToString() => $"[{string.Join(',', Shape)}]";
}
