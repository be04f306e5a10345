using System.Globalization;
using CompressionTasks.Bench;
using CompressionTasks.Evaluation;

namespace CompressionTasks.Bench.Study;

/// <summary>The models this machine can get: the digits fixtures, the NuGet ResNet18 and the torchvision exports.</summary>
public static class StudyModelSets
{
    public static IReadOnlyList<StudyModelSet> For(StudyOptions options)
    {
        var root = options.RepositoryRoot;
        var digitsTest = new DatasetSource("digits-test", DatasetFormat.Npy, Path.Combine(root, "data", "digits", "test_x.npy"), Path.Combine(root, "data", "digits", "test_y.npy"));
        var sets = new List<StudyModelSet>
        {
            new(
                "digits",
                $$"""
                  digits-test: { format: npy, path: {{Yaml(Path.Combine(root, "data", "digits", "test_x.npy"))}}, labels: {{Yaml(Path.Combine(root, "data", "digits", "test_y.npy"))}} }
                  digits-calib: { format: npy, path: {{Yaml(Path.Combine(root, "data", "digits", "calib_x.npy"))}} }
                """,
                [
                    new("digits-cnn", Path.Combine(root, "models", "digits_cnn.onnx"), "digits-test", "digits-calib", Labelled: true, "trained") { ThroughputData = digitsTest },
                    new("digits-resnet", Path.Combine(root, "models", "digits_resnet.onnx"), "digits-test", "digits-calib", Labelled: true, "trained") { ThroughputData = digitsTest },
                ],
                options.Quick ? new LatencyBudget(2, 5, 30, 0.5) : new LatencyBudget(20, 30, 1000, 5)),
        };
        if (options.Quick)
        {
            return sets;
        }

        var resNet18 = BenchModels.ResNet18Path();
        var photos = new DatasetSource("photos", DatasetFormat.ImageFolder, Path.Combine(root, "data", "photos"), Preprocess: new PreprocessOptions
        {
            ColorMode = ColorMode.Rgb,
            Resize = ResizeOptions.Shorter(256),
            CenterCrop = (224, 224),
            Scale = 1 / 255.0,
            Mean = [0.485, 0.456, 0.406],
            Std = [0.229, 0.224, 0.225],
        });
        if (File.Exists(resNet18))
        {
            // Unlabelled photographs: agreement with the baseline, and activations for calibration and recovery.
            sets.Add(new(
                "resnet18",
                $$"""
                  photos:
                    format: image-folder
                    path: {{Yaml(Path.Combine(root, "data", "photos"))}}
                    preprocess: { colorMode: rgb, resize: { shorterSide: 256 }, centerCrop: [224, 224], scale: 0.0039215686, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] }
                """,
                [new("resnet18", resNet18, "photos", "photos", Labelled: false, "trained") { ThroughputData = photos }],
                new LatencyBudget(3, 10, 500, 10)));
        }

        if (options.TorchvisionFolder is { } folder && Directory.Exists(folder))
        {
            var models = new List<StudyModel>();
            foreach (var (name, side) in new[] { ("mobilenet_v2", 224), ("resnet50", 224), ("inception_v3", 299), ("vgg16", 224) })
            {
                var path = Path.Combine(folder, name + ".onnx");
                if (File.Exists(path))
                {
                    var inputs = "inputs-" + side.ToString(CultureInfo.InvariantCulture);
                    models.Add(new(name, path, inputs, inputs, Labelled: false, "random"));
                }
            }

            if (models.Count > 0)
            {
                sets.Add(new(
                    "torchvision",
                    $$"""
                      inputs-224: { format: npy, path: {{Yaml(Path.Combine(folder, "inputs_224.npy"))}} }
                      inputs-299: { format: npy, path: {{Yaml(Path.Combine(folder, "inputs_299.npy"))}} }
                    """,
                    models,
                    new LatencyBudget(2, 5, 200, 6)));
            }
        }

        return sets;
    }

    private static string Yaml(string path) => "'" + path.Replace('\\', '/').Replace("'", "''", StringComparison.Ordinal) + "'";
}
