using CompressionTasks.Evaluation;

namespace CompressionTasks.Manifest.Init;

/// <summary>Which found datasets fit a model's input, and which of them <c>init</c> proposes for evaluation and calibration.</summary>
public static class DatasetMatcher
{
    /// <summary>
    /// How well <paramref name="dataset"/> fits the model's first input; null when it cannot feed it. Arrays fit when
    /// every fixed dim matches; images fit image inputs (preprocessing converts colour and resizes), better when
    /// channels and size already match. Labels beyond the model's class count rule a set out (the run would fail).
    /// </summary>
    public static int? Fit(ModelProfile model, FoundDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(dataset);
        if (dataset.Labels is { Count: > 0 } labels && model.OutputClasses is { } classes && labels.Max() >= classes)
        {
            return null;
        }

        if (!dataset.IsImages)
        {
            var sample = dataset.SampleShape;
            if (sample.Count != model.Shape.Count - 1)
            {
                return null;
            }

            for (var i = 0; i < sample.Count; i++)
            {
                if (model.Shape[i + 1] is long fixedDim && fixedDim != sample[i])
                {
                    return null;
                }
            }

            return 3;
        }

        if (!model.IsImageInput)
        {
            return null;
        }

        // The reader gives image samples as [3, H, W] (RGB, NCHW, no resize).
        var (height, width) = (dataset.SampleShape[1], dataset.SampleShape[2]);
        var score = 1;
        if ((model.Channels == 1) == dataset.Grayscale)
        {
            score++;
        }

        if (model.Height is not { } h || model.Width is not { } w || (h == height && w == width))
        {
            score++;
        }

        return score;
    }

    /// <summary>The set to evaluate on: a fitting one, labelled first, then named like a test set, then the best fit; images before arrays.</summary>
    public static FoundDataset? ChooseEvaluation(ModelProfile model, IReadOnlyList<FoundDataset> datasets) =>
        datasets
            .Select(d => (Dataset: d, Fit: Fit(model, d)))
            .Where(c => c.Fit is not null && c.Dataset.Role is not (DatasetRole.Calibration or DatasetRole.Training))
            .OrderByDescending(c => c.Dataset.Labelled)
            .ThenByDescending(c => c.Dataset.Role == DatasetRole.Evaluation)
            .ThenByDescending(c => c.Fit)
            .ThenByDescending(c => c.Dataset.IsImages)
            .Select(c => c.Dataset)
            .FirstOrDefault();

    /// <summary>A set named for calibration that fits, else a training set that fits (disjoint from the test set); null when neither exists.</summary>
    public static FoundDataset? ChooseCalibration(ModelProfile model, IReadOnlyList<FoundDataset> datasets, DatasetRole role) =>
        datasets
            .Select(d => (Dataset: d, Fit: Fit(model, d)))
            .Where(c => c.Fit is not null && c.Dataset.Role == role)
            .OrderByDescending(c => c.Fit)
            .ThenByDescending(c => c.Dataset.Format != DatasetFormat.ImageFolder)
            .Select(c => c.Dataset)
            .FirstOrDefault();
}
