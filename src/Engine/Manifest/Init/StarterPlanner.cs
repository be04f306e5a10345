using CompressionTasks.Passes;

namespace CompressionTasks.Manifest.Init;

/// <summary>
/// Decides the starter manifest for a folder: for each model, the dataset its input fits, a calibration set (a set
/// named for it, else a training set, else a stratified subset of the evaluation set, which the evaluation entry then
/// leaves out with <c>except</c>), the preprocessing, the concrete input shape and the variants its architecture calls for.
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
            var calibrationSet = DatasetMatcher.ChooseCalibration(profile, datasets, DatasetRole.Calibration);
            var trainingSet = calibrationSet is null ? DatasetMatcher.ChooseCalibration(profile, datasets, DatasetRole.Training) : null;
            StarterDataset? evalEntry = null;
            StarterDataset? calibration = null;
            string? calibrationWhy = null;
            if (calibrationSet is null && trainingSet is null && evaluation is not null)
            {
                // The only set: split it. Calibration (and recovery, and fallback) fit on a stratified subset, and the
                // evaluation set leaves that subset out, so the gates judge samples none of them has seen.
                if (CalibrationSubset.Plan(evaluation) is { } subset)
                {
                    (evalEntry, calibration) = Split(entries, taken, profile, evaluation, subset);
                    calibrationWhy = Invariant($"the only set, split: calibration fits on {calibration.Count} of its {evaluation.Count} samples, and `{evalEntry.Name}` leaves them out (except), so the gates judge the other {evalEntry.Count}");
                }
                else
                {
                    evalEntry = calibration = Entry(entries, taken, profile, evaluation, null, "evaluation set");
                    calibrationWhy = Invariant($"the only set, too small to split ({evaluation.Count} samples, under {CalibrationSubset.MinSamplesToSplit}): calibrating on all of it, so the gates judge the samples calibration fitted on; add a separate calibration set to be strict");
                }
            }
            else
            {
                evalEntry = evaluation is null ? null : Entry(entries, taken, profile, evaluation, null, "evaluation set");
                if (calibrationSet is not null)
                {
                    calibration = Entry(entries, taken, profile, calibrationSet, null, "calibration set");
                    calibrationWhy = "a calibration set fits the input";
                }
                else if (trainingSet is not null)
                {
                    calibration = Entry(entries, taken, profile, trainingSet, CalibrationSubset.Plan(trainingSet), "calibration subset of the training set");
                    calibrationWhy = "no calibration set: a subset of the training set (kept apart from the test set)";
                }
            }

            var sample = evalEntry is null ? null
                : evalEntry.Preprocess is { } guess ? guess.SampleShape(evalEntry.Source) : evalEntry.Source.SampleShape;
            models.Add(new StarterModel(path, name, profile, evalEntry, calibration, calibrationWhy, InputShapeGuess.For(profile, sample),
                VariantChooser.Choose(profile.Architecture, calibration is not null, gpuTarget, passes, saturates)));
        }

        var used = entries.Select(e => e.Source).ToHashSet();
        return new StarterPlan(models, entries, datasets.Where(d => !used.Contains(d)).ToArray());
    }

    /// <summary>
    /// The calibration subset of <paramref name="dataset"/> and the evaluation entry that leaves it out, the evaluation
    /// entry written first (it is what the model is judged on).
    /// </summary>
    private static (StarterDataset Evaluation, StarterDataset Calibration) Split(
        List<StarterDataset> entries, HashSet<string> taken, ModelProfile profile, FoundDataset dataset, CalibrationSubset subset)
    {
        var known = entries.Count;
        var calibration = Entry(entries, taken, profile, dataset, subset, $"calibration subset of {dataset.Name}");
        var evaluation = Entry(entries, taken, profile, dataset, null, "evaluation set, all but its calibration subset", calibration);
        if (entries.Count == known + 2)
        {
            entries.Remove(evaluation);
            entries.Insert(known, evaluation);
        }

        return (evaluation, calibration);
    }

    /// <summary>The entry for this set with this model's preprocessing, subset and except: shared when another model needs the same, else a new name.</summary>
    private static StarterDataset Entry(
        List<StarterDataset> entries, HashSet<string> taken, ModelProfile profile, FoundDataset dataset, CalibrationSubset? subset, string purpose, StarterDataset? except = null)
    {
        var preprocess = dataset.IsImages ? PreprocessGuess.For(profile, dataset) : null;
        var existing = entries.FirstOrDefault(e => e.Source == dataset && e.Subset == subset && e.Except == except && e.Preprocess?.ToYaml() == preprocess?.ToYaml());
        if (existing is not null)
        {
            return existing;
        }

        var name = subset is null && !entries.Any(e => e.Name == dataset.Name)
            ? dataset.Name
            : DatasetNaming.Unique(dataset.Name, subset is null ? "alt" : "calib", taken);
        var entry = new StarterDataset(name, dataset, preprocess, subset, purpose, except);
        entries.Add(entry);
        return entry;
    }

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}
