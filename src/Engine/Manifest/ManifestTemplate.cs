using System.Globalization;
using System.Text;
using CompressionTasks.Manifest.Init;
using CompressionTasks.Manifest.Spec;
using CompressionTasks.Passes;

namespace CompressionTasks.Manifest;

/// <summary>
/// The commented starter compression.yaml that <c>dotnet compress init</c> writes: one model per ONNX file found, the
/// datasets found beside them, variants chosen by architecture from the passes the catalogue has, each choice with a
/// comment saying why, and the rest as commented examples. It always validates.
/// </summary>
public static class ManifestTemplate
{
    /// <summary>Relative paths ('/'-separated, sorted) of every .onnx file below the folder, skipping build outputs and hidden folders.</summary>
    public static IReadOnlyList<string> DiscoverModels(string folder)
    {
        var found = new List<string>();
        var pending = new Stack<string>([folder]);
        while (pending.TryPop(out var current))
        {
            IEnumerable<string> files, folders;
            try
            {
                files = Directory.EnumerateFiles(current, "*.onnx").ToArray();
                folders = Directory.EnumerateDirectories(current).ToArray();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            found.AddRange(files.Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/')));
            foreach (var sub in folders)
            {
                var name = Path.GetFileName(sub);
                if (!FolderWalker.IsSkipped(name))
                {
                    pending.Push(sub);
                }
            }
        }

        return found.Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>
    /// The starter for a folder: its models, the datasets found below it, and for each model the dataset, calibration
    /// set, preprocessing, input shape and variants <see cref="StarterPlanner"/> chooses.
    /// </summary>
    public static string ForFolder(string folder, PassCatalog passes, string schemaReference, bool gpuTarget = false, CancellationToken cancellationToken = default) =>
        Create(PlanFolder(folder, passes, gpuTarget, cancellationToken), schemaReference, gpuTarget);

    /// <summary>What the starter for <paramref name="folder"/> will say: models, datasets and choices.</summary>
    public static StarterPlan PlanFolder(string folder, PassCatalog passes, bool gpuTarget = false, CancellationToken cancellationToken = default)
    {
        var models = DiscoverModels(folder);
        var datasets = DatasetDiscovery.Discover(folder);
        return StarterPlanner.Plan(models, path => ReadProfile(Path.Combine(folder, path), cancellationToken), datasets, passes, gpuTarget);
    }

    /// <summary>The starter for model files that are not read (no datasets, the generic variants).</summary>
    public static string Create(IReadOnlyList<string> modelPaths, PassCatalog passes, string schemaReference) =>
        Create(StarterPlanner.Plan(modelPaths, _ => null, [], passes), schemaReference, gpuTarget: false);

    public static string Create(StarterPlan plan, string schemaReference, bool gpuTarget)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var text = new StringBuilder();
        text.Append("# yaml-language-server: $schema=").Append(schemaReference).Append('\n');
        text.Append($$"""
            # CompressionTasks manifest: what to compress, how to judge it, where to ship it.
            # Reference: docs/manifest.md. Check it with `dotnet compress validate`, run it with `dotnet compress run`.
            version: 1

            # Target profile to measure for: host (this machine) or jetson-tx2; custom ones go under `targets:`.
            target: {{(gpuTarget ? "jetson-tx2" : "host")}}
            # output: artifacts/compression

            measure:
              executionProvider: {{(gpuTarget ? "cuda" : "cpu")}}        # cpu | cuda | tensorrt
              # Repeat inferences until the 95% confidence interval is within ±5% of the mean latency.
              latency: { confidence: 0.95, maxRelativeHalfWidth: 0.05, warmupRuns: 5, minRuns: 10, maxRuns: 1000, timeBudgetSeconds: 60 }
              energy: { sensor: auto }      # auto | jetson-ina3221 | nvml | rapl | none

            # Datasets give accuracy numbers and calibration data. Paths are relative to this file.

            """);
        AppendDatasets(text, plan);
        text.Append('\n');
        AppendModels(text, plan);
        text.Append('\n');
        AppendGates(text, plan);
        text.Append("""

            # Bundles for target devices.
            # deploy:
            #  - { target: jetson-tx2, variants: [fp16] }

            """);
        return text.ToString();
    }

    private static void AppendDatasets(StringBuilder text, StarterPlan plan)
    {
        if (plan.Datasets.Count == 0)
        {
            text.Append("""
                datasets: {}
                #  test:
                #    format: image-folder      # one subfolder per class | npy | npz
                #    path: data/test
                #    preprocess: { colorMode: rgb, resize: [224, 224], scale: 0.0039215686, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225], layout: NCHW }
                #  calib: { format: npy, path: data/calib_x.npy, labels: data/calib_y.npy }

                """);
        }
        else
        {
            text.Append("datasets:\n");
            foreach (var entry in plan.Datasets)
            {
                var source = entry.Source;
                text.Append("  # ").Append(entry.Purpose).Append(": ").Append(Describe(source)).Append('\n');
                text.Append("  ").Append(entry.Name).Append(":\n");
                text.Append("    format: ").Append(FormatName(source)).Append('\n');
                text.Append("    path: ").Append(Quote(source.Path)).Append('\n');
                if (source.LabelsPath is { } labels)
                {
                    text.Append("    labels: ").Append(Quote(labels)).Append('\n');
                }

                if (source.Format == Evaluation.DatasetFormat.Npz)
                {
                    text.Append("    inputArray: ").Append(Quote(source.InputArray ?? "x")).Append('\n');
                    text.Append("    labelArray: ").Append(Quote(source.LabelArray ?? "y")).Append('\n');
                }

                if (entry.Preprocess is { } preprocess)
                {
                    text.Append("    # ").Append(preprocess.Why).Append('\n');
                    text.Append("    preprocess: ").Append(preprocess.ToYaml()).Append('\n');
                }

                if (entry.Subset is { } subset)
                {
                    text.Append("    # ").Append(subset.Why).Append('\n');
                    text.Append("    limit: ").Append(subset.Limit.ToString(CultureInfo.InvariantCulture)).Append('\n');
                    text.Append("    sampling: ").Append(subset.Sampling.ToString().ToLowerInvariant()).Append('\n');
                    if (subset.Sampling is Evaluation.SamplingMode.Random or Evaluation.SamplingMode.Stratified)
                    {
                        text.Append("    seed: ").Append(subset.Seed.ToString(CultureInfo.InvariantCulture)).Append('\n');
                    }
                }

                if (entry.Except is { } except)
                {
                    text.Append(Invariant($"    # the same files without the {except.Count} samples {except.Name} selects: {entry.Count} samples, none seen by calibration or recovery\n"));
                    text.Append("    except: ").Append(except.Name).Append('\n');
                }
            }
        }

        foreach (var unused in plan.Unused)
        {
            text.Append("  # also found, not used (fits no model, or another set was preferred): ")
                .Append(unused.Path).Append(", ").Append(Describe(unused)).Append('\n');
        }
    }

    private static void AppendModels(StringBuilder text, StarterPlan plan)
    {
        if (plan.Models.Count == 0)
        {
            text.Append("""
                # No .onnx file was found; list your models here (a path or a glob such as models/*.onnx).
                models: []
                #  - path: models/my_model.onnx
                #    dataset: test

                """);
            return;
        }

        text.Append("models:\n");
        foreach (var model in plan.Models)
        {
            text.Append("  - path: ").Append(Quote(model.Path)).Append('\n');
            if (model.Name is { } name)
            {
                text.Append("    name: ").Append(Quote(name)).Append('\n');
            }

            if (model.Profile is { } profile)
            {
                text.Append("    # ").Append(DescribeModel(profile)).Append('\n');
            }
            else
            {
                text.Append("    # (not readable as an ONNX model yet: generic variants)\n");
            }

            if (model.InputShape is { } shape)
            {
                text.Append("    inputShapes: { ").Append(Quote(model.Profile!.InputName)).Append(": [")
                    .Append(string.Join(", ", shape.Dims.Select(d => d.ToString(CultureInfo.InvariantCulture)))).Append("] }   # ").Append(shape.Why).Append('\n');
            }

            if (model.Dataset is { } dataset)
            {
                text.Append("    dataset: ").Append(dataset.Name).Append("   # its input fits: ").Append(Describe(dataset.Source)).Append('\n');
            }
            else
            {
                text.Append("    # dataset: test                # no dataset found that fits the input; evaluate accuracy on one defined above\n");
            }

            if (model.Calibration is { } calibration)
            {
                text.Append("    calibration: ").Append(calibration.Name).Append("   # ").Append(model.CalibrationWhy).Append('\n');
            }
            else
            {
                text.Append("    # calibration: calib           # calibration data for static int8 quantization and pruning recovery\n");
            }

            text.Append($"    # The `{ManifestSpec.BaselineVariant}` variant (the model as it is) is always there.\n");
            var active = model.Variants.Where(v => !v.Commented).ToArray();
            text.Append(active.Length == 0 ? "    variants: []\n" : "    variants:\n");
            foreach (var variant in model.Variants)
            {
                var prefix = variant.Commented ? "      # " : "      ";
                text.Append("      # ").Append(variant.Commented ? "not enabled, " : string.Empty).Append(variant.Why).Append('\n');
                text.Append(prefix).Append("- name: ").Append(variant.Name).Append('\n');
                text.Append(prefix).Append("  passes: [ ").Append(variant.Passes).Append(" ]\n");
            }

            if (model.Variants.Count == 0)
            {
                text.Append("    #  - name: int8\n    #    passes: [ { quantize: { mode: static, calibration: percentile } } ]\n");
            }
        }
    }

    private static void AppendGates(StringBuilder text, StarterPlan plan)
    {
        text.Append("# Gates fail the run (exit code 1) when a variant gets worse than allowed.\n");
        var evaluated = plan.Models.Where(m => m.Dataset is not null && m.Variants.Any(v => !v.Commented)).ToArray();
        var labelled = evaluated.Where(m => m.Dataset!.Source.Labelled && m.Profile?.OutputClasses is not null).ToArray();
        var unlabelled = evaluated.Where(m => !m.Dataset!.Source.Labelled && m.Profile?.OutputClasses is not null).ToArray();
        if (labelled.Length + unlabelled.Length == 0)
        {
            text.Append("gates: []\n");
            text.Append("#  - { metric: top1, maxDrop: 1.0 }                  # percentage points vs baseline (needs a labelled dataset)\n");
        }
        else
        {
            text.Append("gates:\n");
            foreach (var group in labelled.GroupBy(m => MaxDrop(m, 1.0)))
            {
                text.Append(group.Key.Samples is { } n
                    ? Invariant($"  # labelled data, {n} samples: one changed prediction moves top-1 by {100.0 / n:0.##} points, so the gate allows one; more labelled images give a finer gate\n")
                    : "  # labelled data: a variant may lose at most 1 percentage point of top-1 accuracy against the baseline\n");
                text.Append(Invariant($"  - {{ metric: top1, maxDrop: {group.Key.Limit:0.0}")).Append(ModelsClause([.. group], plan)).Append(" }\n");
            }

            foreach (var group in unlabelled.GroupBy(m => MaxDrop(m, 2.0)))
            {
                text.Append(group.Key.Samples is { } n
                    ? Invariant($"  # no labels, {n} samples: one changed prediction is {100.0 / n:0.##}% of them, so the gate allows one; more images give a finer gate\n")
                    : "  # no labels: at most 2% of the samples may change their predicted class against the baseline\n");
                text.Append(Invariant($"  - {{ metric: agreement, maxDrop: {group.Key.Limit:0.0}")).Append(ModelsClause([.. group], plan)).Append(" }\n");
            }
        }

        text.Append("#  - { metric: latency, maxRegression: 10 }          # percent vs baseline\n");
        text.Append("#  - { metric: size, maxSizeBytes: 10000000 }\n");
    }

    /// <summary>
    /// The gate's limit in points: <paramref name="limit"/>, unless the evaluation set is so small that one changed
    /// prediction already exceeds it; then a little more than one sample's share (rounded up to 0.1), so the gate
    /// allows one change and fails on two, instead of failing on any change at all. <c>Samples</c> is set only then.
    /// </summary>
    private static (double Limit, int? Samples) MaxDrop(StarterModel model, double limit)
    {
        var samples = model.Dataset!.Count;
        if (samples <= 0)
        {
            return (limit, null);
        }

        var oneAndAFifth = Math.Ceiling(1200.0 / samples) / 10;
        return oneAndAFifth > limit ? (oneAndAFifth, samples) : (limit, null);
    }

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);

    /// <summary>An accuracy gate on a model without the data for it fails the run, so it names its models unless it covers all of them.</summary>
    private static string ModelsClause(IReadOnlyList<StarterModel> models, StarterPlan plan) =>
        models.Count == plan.Models.Count ? string.Empty
            : ", models: [" + string.Join(", ", models.Select(m => Quote(m.Name ?? Path.GetFileNameWithoutExtension(m.Path)))) + "]";

    private static ModelProfile? ReadProfile(string path, CancellationToken cancellationToken)
    {
        try
        {
            return ModelProfileReader.Read(path, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // init must always write a starter: a model the inspector cannot handle gets the generic variants.
            return null;
        }
    }

    private static string FormatName(FoundDataset dataset) => dataset.Format switch
    {
        Evaluation.DatasetFormat.ImageFolder => "image-folder",
        Evaluation.DatasetFormat.Npz => "npz",
        _ => "npy",
    };

    private static string Describe(FoundDataset dataset)
    {
        var count = dataset.Count.ToString(CultureInfo.InvariantCulture);
        var classes = dataset.Labels is { } labels ? $", {labels.Distinct().Count()} classes" : ", no labels";
        return dataset.IsImages
            ? $"{count} {(dataset.Grayscale ? "grayscale" : "colour")} {dataset.SampleShape[1]}x{dataset.SampleShape[2]} images{classes}{(dataset.LabelsPath is null && dataset.Labelled ? " (class subfolders)" : string.Empty)}"
            : $"{count} samples of [{string.Join(", ", dataset.SampleShape)}]{classes}";
    }

    private static string DescribeModel(ModelProfile profile)
    {
        var kind = profile.Architecture switch
        {
            ModelArchitecture.Convolutional => $"conv net ({profile.ConvMacShare * 100:0}% of the weighted-layer MACs in Conv)",
            ModelArchitecture.MatMulHeavy => $"MatMul/Gemm-heavy ({(1 - profile.ConvMacShare) * 100:0}% of the weighted-layer MACs in MatMul/Gemm)",
            _ => "no weighted layers found",
        };
        var shape = string.Join(", ", profile.Shape.Select(d => d is long v ? v.ToString(CultureInfo.InvariantCulture) : $"{d}"));
        var classes = profile.OutputClasses is { } k ? $", {k} classes out" : string.Empty;
        return $"{kind}; input '{profile.InputName}' [{shape}]{classes}";
    }

    private static string Quote(string value) =>
        value.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '_' or '-') && !value.StartsWith('-') ? value : $"'{value.Replace("'", "''", StringComparison.Ordinal)}'";
}
