using CompressionTasks.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace CompressionTasks.Measurement;

/// <summary>
/// Builds seeded pseudo-random input tensors from ORT input metadata. Values are small and non-negative (floats in
/// [0, 1), integers 0 or 1) so that integer inputs used as indices (Gather, embeddings) stay in range.
/// </summary>
public static class InputTensorFactory
{
    /// <summary>Elements above this are refused: a dynamic dimension bound to a huge number is a mistake, not a benchmark.</summary>
    public const long MaxElementsPerInput = 1L << 28;

    /// <summary>Creates one OrtValue per model input; the caller disposes them.</summary>
    public static Dictionary<string, OrtValue> Create(
        IReadOnlyDictionary<string, NodeMetadata> inputMetadata,
        MeasurementInputs inputs,
        string modelPath)
    {
        ArgumentNullException.ThrowIfNull(inputMetadata);
        ArgumentNullException.ThrowIfNull(inputs);
        var random = new Random(inputs.Seed);
        var values = new Dictionary<string, OrtValue>(StringComparer.Ordinal);
        try
        {
            foreach (var (name, metadata) in inputMetadata)
            {
                if (!metadata.IsTensor || metadata.IsString)
                {
                    throw Invalid(modelPath, name, $"Input '{name}' is a {(metadata.IsString ? "string tensor" : metadata.OnnxValueType.ToString())}; only numeric tensors can be generated. Pass the input values yourself.");
                }

                var shape = ResolveShape(name, metadata, inputs.Shapes, modelPath);
                values[name] = CreateTensor(metadata.ElementDataType, shape, random, modelPath, name);
            }
        }
        catch
        {
            foreach (var value in values.Values)
            {
                value.Dispose();
            }

            throw;
        }

        return values;
    }

    /// <summary>The concrete shape of an input: the caller's shape (checked against the fixed dimensions) or the declared one with dynamic dimensions set to 1.</summary>
    public static long[] ResolveShape(string name, NodeMetadata metadata, IReadOnlyDictionary<string, long[]>? shapes, string modelPath)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var declared = metadata.Dimensions;
        long[] shape;
        if (shapes is not null && shapes.TryGetValue(name, out var given))
        {
            if (given.Length != declared.Length)
            {
                throw Invalid(modelPath, name, $"Input '{name}' has rank {declared.Length} ({Describe(metadata)}) but the given shape [{string.Join(", ", given)}] has rank {given.Length}.");
            }

            for (var i = 0; i < given.Length; i++)
            {
                if (given[i] <= 0 || (declared[i] > 0 && declared[i] != given[i]))
                {
                    throw Invalid(modelPath, name, $"Input '{name}' dimension {i} is {(declared[i] > 0 ? declared[i].ToString(System.Globalization.CultureInfo.InvariantCulture) : "dynamic")} ({Describe(metadata)}) but the given shape has {given[i]}.");
                }
            }

            shape = given;
        }
        else
        {
            shape = declared.Select(d => d > 0 ? (long)d : 1L).ToArray();
        }

        var elements = 1L;
        foreach (var dim in shape)
        {
            elements = dim > MaxElementsPerInput / Math.Max(1, elements) ? long.MaxValue : elements * dim;
        }

        if (elements > MaxElementsPerInput)
        {
            throw Invalid(modelPath, name, $"Input '{name}' shape [{string.Join(", ", shape)}] has more than {MaxElementsPerInput} elements.");
        }

        return shape;
    }

    private static OrtValue CreateTensor(TensorElementType type, long[] shape, Random random, string modelPath, string name)
    {
        var count = checked((int)shape.Aggregate(1L, (a, b) => a * b));
        return type switch
        {
            TensorElementType.Float => OrtValue.CreateTensorValueFromMemory(Fill(count, () => random.NextSingle()), shape),
            TensorElementType.Double => OrtValue.CreateTensorValueFromMemory(Fill(count, random.NextDouble), shape),
            TensorElementType.Float16 => OrtValue.CreateTensorValueFromMemory(Fill(count, () => (Float16)random.NextSingle()), shape),
            TensorElementType.BFloat16 => OrtValue.CreateTensorValueFromMemory(Fill(count, () => (BFloat16)random.NextSingle()), shape),
            TensorElementType.Int64 => OrtValue.CreateTensorValueFromMemory(Fill(count, () => (long)random.Next(2)), shape),
            TensorElementType.Int32 => OrtValue.CreateTensorValueFromMemory(Fill(count, () => random.Next(2)), shape),
            TensorElementType.Int16 => OrtValue.CreateTensorValueFromMemory(Fill(count, () => (short)random.Next(2)), shape),
            TensorElementType.Int8 => OrtValue.CreateTensorValueFromMemory(Fill(count, () => (sbyte)random.Next(2)), shape),
            TensorElementType.UInt8 => OrtValue.CreateTensorValueFromMemory(Fill(count, () => (byte)random.Next(2)), shape),
            TensorElementType.UInt16 => OrtValue.CreateTensorValueFromMemory(Fill(count, () => (ushort)random.Next(2)), shape),
            TensorElementType.UInt32 => OrtValue.CreateTensorValueFromMemory(Fill(count, () => (uint)random.Next(2)), shape),
            TensorElementType.UInt64 => OrtValue.CreateTensorValueFromMemory(Fill(count, () => (ulong)random.Next(2)), shape),
            TensorElementType.Bool => OrtValue.CreateTensorValueFromMemory(Fill(count, () => random.Next(2) == 1), shape),
            _ => throw Invalid(modelPath, name, $"Input '{name}' has element type {type}, which cannot be generated. Pass the input values yourself."),
        };
    }

    private static T[] Fill<T>(int count, Func<T> next)
    {
        var data = new T[count];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = next();
        }

        return data;
    }

    private static string Describe(NodeMetadata metadata) =>
        "[" + string.Join(", ", metadata.Dimensions.Select((d, i) =>
            d > 0 ? d.ToString(System.Globalization.CultureInfo.InvariantCulture)
                : string.IsNullOrEmpty(metadata.SymbolicDimensions[i]) ? "?" : metadata.SymbolicDimensions[i])) + "]";

    private static CompressionException Invalid(string modelPath, string tensor, string message) =>
        new(DiagnosticCodes.MeasurementInputInvalid, new SourceLocation(modelPath, Element: tensor), message);
}
