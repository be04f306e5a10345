namespace CompressionTasks.Manifest.Init;

/// <summary>
/// Concrete dims for a model input's symbolic ones (<c>inputShapes:</c>): the batch is 1 (latency per sample), the
/// rest come from the dataset's samples; without a dataset they are a guess the user must confirm, because a
/// wrong one measures the wrong model (a 1x1 image) or fails shape inference.
/// </summary>
public sealed record InputShapeGuess(IReadOnlyList<long> Dims, bool Guessed, string Why)
{
    /// <summary>The side assumed for a symbolic image height or width when no dataset tells: ImageNet's crop.</summary>
    public const int GuessedImageSide = 224;

    /// <summary>Null when the input has no symbolic dims.</summary>
    public static InputShapeGuess? For(ModelProfile model, IReadOnlyList<int>? sampleShape)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!model.HasSymbolicDims)
        {
            return null;
        }

        var symbols = model.Shape.Select((d, i) => (Dim: d, Axis: i)).Where(x => x.Dim is string).Select(x => $"{x.Dim}").ToArray();
        if (sampleShape is not null && sampleShape.Count == model.Shape.Count - 1)
        {
            var dims = model.Shape.Select((d, i) => d is long value ? value : i == 0 ? 1L : sampleShape[i - 1]).ToArray();
            return new InputShapeGuess(dims, false, $"{string.Join(", ", symbols.Select(n => $"'{n}'"))} bound: batch 1, the rest from the dataset's samples");
        }

        var guessed = model.Shape.Select((d, i) => d is long value ? value
            : i == 0 ? 1L
            : model.IsImageInput && IsSpatial(model, i) ? GuessedImageSide
            : 1L).ToArray();
        return new InputShapeGuess(guessed, true, $"GUESS, confirm it: no dataset gives {string.Join(", ", symbols.Select(n => $"'{n}'"))}; batch 1{(model.IsImageInput ? $", image side {GuessedImageSide}" : ", other dims 1")}");
    }

    private static bool IsSpatial(ModelProfile model, int axis) =>
        model.Layout == Evaluation.TensorLayout.Nhwc ? axis is 1 or 2 : axis is 2 or 3;
}
