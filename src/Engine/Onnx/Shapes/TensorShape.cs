namespace CompressionTasks.Onnx.Shapes;

/// <summary>A tensor's shape: a list of <see cref="Dim"/>s (rank 0 for scalars).</summary>
public sealed record TensorShape(IReadOnlyList<Dim> Dims)
{
    public static TensorShape Scalar { get; } = new([]);

    public int Rank => Dims.Count;

    public bool IsFullyKnown => Dims.All(d => d.IsKnown);

    public Dim this[int axis] => Dims[axis];

    /// <summary>The number of elements, when every dim is known (null otherwise; saturates at <see cref="long.MaxValue"/>).</summary>
    public long? ElementCount
    {
        get
        {
            long count = 1;
            foreach (var dim in Dims)
            {
                if (dim.Value is not { } value)
                {
                    return null;
                }

                count = value != 0 && count > long.MaxValue / value ? long.MaxValue : count * value;
            }

            return count;
        }
    }

    public static TensorShape Of(params long[] dims) => new(dims.Select(Dim.Of).ToArray());

    public bool Equals(TensorShape? other) => other is not null && Dims.SequenceEqual(other.Dims);

    public override int GetHashCode() => Dims.Aggregate(Rank, (h, d) => HashCode.Combine(h, d));

    public override string ToString() => $"[{string.Join(", ", Dims)}]";
}
