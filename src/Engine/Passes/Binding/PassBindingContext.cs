namespace CompressionTasks.Passes.Binding;

/// <summary>
/// What a pass may know when it is bound, before any model is read: the model entry's datasets and input shapes, and
/// the passes before it in the same variant. A null fact is unknown (binding outside a manifest, or a dataset format
/// whose labels only reading it tells): checks only refuse what is known to be missing.
/// </summary>
public sealed record PassBindingContext
{
    /// <summary>Nothing known: the context of a pass created from code rather than a manifest.</summary>
    public static PassBindingContext Unknown { get; } = new();

    public string? ModelName { get; init; }

    /// <summary>Whether the model entry names a <c>calibration:</c> dataset.</summary>
    public bool? HasCalibration { get; init; }

    /// <summary>Whether the model entry names a <c>training:</c> dataset.</summary>
    public bool? HasTraining { get; init; }

    /// <summary>Whether the model entry names an evaluation <c>dataset:</c> that has labels.</summary>
    public bool? HasLabelledDataset { get; init; }

    /// <summary>Whether the model entry's <c>calibration:</c> dataset has labels.</summary>
    public bool? HasLabelledCalibration { get; init; }

    /// <summary>Whether the <c>calibration:</c> dataset is the evaluation <c>dataset:</c> (the same key, or the same path without an <c>except</c> that keeps them apart).</summary>
    public bool? CalibrationIsEvaluation { get; init; }

    /// <summary>The model entry's <c>inputShapes</c>, by input name.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<long>> InputShapes { get; init; } = new Dictionary<string, IReadOnlyList<long>>(StringComparer.Ordinal);

    /// <summary>The passes bound before this one in the same variant, in order; null when unknown.</summary>
    public IReadOnlyList<BoundPass>? Earlier { get; init; }

    /// <summary>"model 'x'" for messages, or "the model" when unnamed.</summary>
    public string ModelLabel => ModelName is null ? "the model" : $"model '{ModelName}'";
}
