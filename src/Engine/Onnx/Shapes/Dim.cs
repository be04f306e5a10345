using System.Globalization;

namespace CompressionTasks.Onnx.Shapes;

/// <summary>One tensor dimension: a known size, a named symbol (ONNX <c>dim_param</c>, e.g. <c>batch</c>), or unknown.</summary>
public readonly record struct Dim
{
    private Dim(long? value, string? symbol)
    {
        Value = value;
        Symbol = symbol;
    }

    public static Dim Unknown { get; }

    public long? Value { get; }

    public string? Symbol { get; }

    public bool IsKnown => Value.HasValue;

    public static Dim Of(long value) => new(value, null);

    public static Dim Named(string symbol) => new(null, symbol);

    public static implicit operator Dim(long value) => Of(value);

    public static Dim FromInt64(long value) => Of(value);

    public override string ToString() => Value?.ToString(CultureInfo.InvariantCulture) ?? Symbol ?? "?";
}
