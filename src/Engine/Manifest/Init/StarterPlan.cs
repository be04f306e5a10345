namespace CompressionTasks.Manifest.Init;

/// <summary>One entry under <c>datasets:</c>: a found set, with the preprocessing and subset a model needs of it.</summary>
/// <param name="Purpose">The comment above the entry: what it is and why it is there.</param>
/// <param name="Except">The calibration subset of the same set this entry leaves out (<c>except:</c>), so that the two are disjoint; null for none.</param>
public sealed record StarterDataset(string Name, FoundDataset Source, PreprocessGuess? Preprocess, CalibrationSubset? Subset, string Purpose, StarterDataset? Except = null)
{
    /// <summary>How many samples the entry reads: its subset, or the set less what its <see cref="Except"/> takes.</summary>
    public int Count => Subset?.Limit ?? Source.Count - (Except?.Subset?.Limit ?? 0);
}

/// <summary>One entry under <c>models:</c>, with what <c>init</c> found out about it and chose for it.</summary>
/// <param name="Profile">Null when the file could not be read as a model: it then gets the generic starter.</param>
public sealed record StarterModel(
    string Path,
    string? Name,
    ModelProfile? Profile,
    StarterDataset? Dataset,
    StarterDataset? Calibration,
    string? CalibrationWhy,
    InputShapeGuess? InputShape,
    IReadOnlyList<StarterVariant> Variants);

/// <summary>Everything the starter manifest says, before it is written as YAML.</summary>
/// <param name="Unused">Found datasets no model uses, listed as comments.</param>
public sealed record StarterPlan(IReadOnlyList<StarterModel> Models, IReadOnlyList<StarterDataset> Datasets, IReadOnlyList<FoundDataset> Unused);
