using Microsoft.ML.OnnxRuntime;

namespace CompressionTasks.Measurement;

/// <summary>
/// The inputs a measurement feeds the model. By default every input is a tensor of seeded pseudo-random values shaped
/// from the model's input metadata, with dynamic dimensions bound by <see cref="Shapes"/> (full shape per input name)
/// or else 1. <see cref="Values"/> replaces generated inputs by the caller's own tensors (the caller keeps ownership).
/// </summary>
public sealed record MeasurementInputs(
    IReadOnlyDictionary<string, long[]>? Shapes = null,
    int Seed = 1234,
    IReadOnlyDictionary<string, OrtValue>? Values = null)
{
    public static MeasurementInputs Random { get; } = new();
}
