using CompressionTasks.Passes;

namespace CompressionTasks.Manifest.Init;

/// <summary>
/// Decides the starter manifest for a folder: for each model, the dataset its input fits, a calibration set (a set
/// named for it, else a training set, else a stratified subset of the evaluation set), the preprocessing, the
/// concrete input shape and the variants its architecture calls for.
/// </summary>
public static class StarterPlanner
{
    public static StarterPlan Plan(
        IReadOnlyList<string> modelPaths,
        Func<string, ModelProfile?> readProfile,
        IReadOnlyList<FoundDataset> datasets,
        PassCatalog passes,
        bool gpuTarget = false,
        bool? int8CanSaturate = null)
    {
        var saturates = int8CanSaturate ?? Reports.InstructionSet.Current.Int8ProductsCanSaturate;
        ArgumentNullException.ThrowIfNull(modelPaths);
        ArgumentNullException.ThrowIfNull(readProfile);
        ArgumentNullException.ThrowIfNull(datasets);
        var entries = new List<StarterDataset>();
        var taken = new HashSet<string>(datasets.Select(d => d.Name), StringComparer.Ordinal);
        var fileNames = modelPaths.Select(p => System.IO.Path.GetFileNameWithoutExtension(p)).ToArray();
        var models = new List<StarterModel>();
        for (var i = 0; i < modelPaths.Count; i++)
        {
            var path = modelPaths[i];
            // Two files with the same name in different folders: the default name would collide.
            var name = fileNames.Count(n => n == fileNames[i]) > 1 ? path[..^".onnx".Length].Replace('/', '-') : null;
            var profile = readProfile(path);
            if (profile is null)
            {
                models.Add(new StarterModel(path, name, null, null, null, null, null, VariantChooser.Choose(ModelArchitecture.Unknown, false, gpuTarget, passes, saturates)));
                continue;
            }

            var evaluation = DatasetMatcher.ChooseEvaluation(profile, datasets);
            var evalEntry = evaluation is null ? null : Entry(entries, taken, profile, evaluation, null, "evaluation set");
            StarterDataset? calibration = null;
            string? calibrationWhy = null;
            if (DatasetMatcher.ChooseCalibration(profile, datasets, DatasetRole.Calibration) is { } calib)
            {
                calibration = Entry(entries, taken, profile, calib, null, "calibration set");
                calibrationWhy = "a calibration set fits the input";
            }
            else if (DatasetMatcher.ChooseCalibration(profile, datasets, DatasetRole.Training) is { } train)
            {
                calibration = Entry(entries, taken, profile, train, CalibrationSubset.Plan(train), "calibration subset of the training set");
                calibrationWhy = "no calibration set: a subset of the training set (kept apart from the test set)";
            }
            else if (evaluation is not null)
            {
                var subset = CalibrationSubset.Plan(evaluation);
                calibration = subset is null ? evalEntry : Entry(entries, taken, profile, evaluation, subset, $"calibration subset of {evalEntry!.Name}");
                calibrationWhy = $"the only set: calibrating on {(subset is null ? "all" : "part")} of it (calibration sees no labels, so the accuracy it reports is still fair enough for a first run; add a separate set to be strict)";
            }

            var sample = evalEntry is null ? null
                : evalEntry.Preprocess is { } guess ? guess.SampleShape(evalEntry.Source) : evalEntry.Source.SampleShape;
            models.Add(new StarterModel(path, name, profile, evalEntry, calibration, calibrationWhy, InputShapeGuess.For(profile, sample),
                VariantChooser.Choose(profile.Architecture, calibration is not null, gpuTarget, passes, saturates)));
        }

        var used = entries.Select(e => e.Source).ToHashSet();
        return new StarterPlan(models, entries, datasets.Where(d => !used.Contains(d)).ToArray());
    }

    /// <summary>The entry for this set with this model's preprocessing and subset: shared when another model needs the same, else a new name.</summary>
    private static StarterDataset Entry(List<StarterDataset> entries, HashSet<string> taken, ModelProfile profile, FoundDataset dataset, CalibrationSubset? subset, string purpose)
    {
        var preprocess = dataset.IsImages ? PreprocessGuess.For(profile, dataset) : null;
        var existing = entries.FirstOrDefault(e => e.Source == dataset && e.Subset == subset && e.Preprocess?.ToYaml() == preprocess?.ToYaml());
        if (existing is not null)
        {
            return existing;
        }

        var name = subset is null && !entries.Any(e => e.Name == dataset.Name)
            ? dataset.Name
            : DatasetNaming.Unique(dataset.Name, subset is null ? "alt" : "calib", taken);
        var entry = new StarterDataset(name, dataset, preprocess, subset, purpose);
        entries.Add(entry);
        return entry;
    }
}
