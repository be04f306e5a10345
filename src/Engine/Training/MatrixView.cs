using System.Numerics;

namespace CompressionTasks.Training;

/// <summary>
/// A matrix inside an array: element (i, j) is <c>Data[Offset + i * RowStride + j]</c>, or
/// <c>Data[Offset + j * RowStride + i]</c> when <see cref="Transposed"/> (the stored matrix read as its transpose).
/// </summary>
public readonly record struct MatrixView<T>(T[] Data, int Offset, int RowStride, bool Transposed = false)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public T this[int row, int column] => Data[Transposed ? Offset + column * RowStride + row : Offset + row * RowStride + column];

    public MatrixView<T> Transpose() => this with { Transposed = !Transposed };
}
