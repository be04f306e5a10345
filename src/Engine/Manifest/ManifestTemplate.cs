using System.Text;
using CompressionTasks.Manifest.Spec;
using CompressionTasks.Passes;

namespace CompressionTasks.Manifest;

/// <summary>
/// The commented starter compression.yaml that <c>dotnet compress init</c> writes: one model per ONNX file found,
/// variants from the passes the catalogue has, and the rest as commented examples. It always validates.
/// </summary>
public static class ManifestTemplate
{
    private static readonly HashSet<string> SkippedFolders = new(StringComparer.OrdinalIgnoreCase) { "bin", "obj", "artifacts", "node_modules" };

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
                if (!name.StartsWith('.') && !SkippedFolders.Contains(name))
                {
                    pending.Push(sub);
                }
            }
        }

        return found.Order(StringComparer.Ordinal).ToArray();
    }

    public static string Create(IReadOnlyList<string> modelPaths, PassCatalog passes, string schemaReference)
    {
        var text = new StringBuilder();
        text.Append("# yaml-language-server: $schema=").Append(schemaReference).Append('\n');
        text.Append("""
            # CompressionTasks manifest: what to compress, how to judge it, where to ship it.
            # Reference: docs/manifest.md. Check it with `dotnet compress validate`, run it with `dotnet compress run`.
            version: 1

            # Target profile to measure for: host (this machine) or jetson-tx2; custom ones go under `targets:`.
            target: host
            # output: artifacts/compression

            measure:
              executionProvider: cpu        # cpu | cuda | tensorrt
              # Repeat inferences until the 95% confidence interval is within ±5% of the mean latency.
              latency: { confidence: 0.95, maxRelativeHalfWidth: 0.05, warmupRuns: 5, minRuns: 10, maxRuns: 1000, timeBudgetSeconds: 60 }
              energy: { sensor: auto }      # auto | jetson-ina3221 | nvml | rapl | none

            # Datasets give accuracy numbers and calibration data. Paths are relative to this file.
            datasets: {}
            #  test:
            #    format: image-folder      # one subfolder per class | npy | npz
            #    path: data/test
            #    preprocess: { colorMode: rgb, resize: [224, 224], scale: 0.0039215686, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225], layout: NCHW }
            #  calib: { format: npy, path: data/calib_x.npy, labels: data/calib_y.npy }


            """);

        var variants = StarterVariants(passes);
        if (modelPaths.Count == 0)
        {
            text.Append("""
                # No .onnx file was found; list your models here (a path or a glob such as models/*.onnx).
                models: []
                #  - path: models/my_model.onnx
                #    dataset: test

                """);
        }
        else
        {
            text.Append("models:\n");
            var names = modelPaths.Select(p => Path.GetFileNameWithoutExtension(p)).ToArray();
            for (var i = 0; i < modelPaths.Count; i++)
            {
                text.Append("  - path: ").Append(Quote(modelPaths[i])).Append('\n');
                if (names.Count(n => n == names[i]) > 1)
                {
                    // Two files with the same name in different folders: the default name would collide.
                    text.Append("    name: ").Append(Quote(modelPaths[i][..^".onnx".Length].Replace('/', '-'))).Append('\n');
                }

                text.Append("    # dataset: test                # evaluate accuracy on a dataset defined above\n");
                text.Append("    # calibration: calib           # calibration data for static int8 quantization\n");
                text.Append($"    # The `{ManifestSpec.BaselineVariant}` variant (the model as it is) is always there.\n");
                if (variants.Count == 0)
                {
                    text.Append("    variants: []\n");
                    text.Append("    #  - name: int8\n    #    passes: [ { quantize: { mode: static, calibration: percentile } } ]\n");
                }
                else
                {
                    text.Append("    variants:\n");
                    foreach (var (name, pass, comment) in variants)
                    {
                        text.Append("      - name: ").Append(name).Append('\n');
                        text.Append("        passes: [ ").Append(pass).Append(" ]").Append(comment is null ? "" : "   # " + comment).Append('\n');
                    }
                }
            }
        }

        text.Append("""

            # Gates fail the run (exit code 1) when a variant gets worse than allowed.
            gates: []
            #  - { metric: top1, maxDrop: 1.0 }                  # percentage points vs baseline (needs a dataset)
            #  - { metric: latency, maxRegression: 10 }          # percent vs baseline
            #  - { metric: size, maxSizeBytes: 10000000 }

            # Bundles for target devices.
            # deploy:
            #  - { target: jetson-tx2, variants: [fp16] }

            """);
        return text.ToString();
    }

    /// <summary>Variants that work without a dataset, made only of passes (and option values) the catalogue has.</summary>
    private static List<(string Name, string Pass, string? Comment)> StarterVariants(PassCatalog passes)
    {
        var variants = new List<(string, string, string?)>();
        if (passes.TryGet("quantize", out var quantize) && OnlyRequired(quantize, "mode") &&
            quantize.FindOption("mode") is { } mode && (mode.Kind != PassOptionKind.Choice || mode.AllowedValues.Contains("dynamic")))
        {
            variants.Add(("int8", "{ quantize: { mode: dynamic } }", "static needs a calibration dataset: { mode: static, calibration: percentile }"));
        }

        if (passes.TryGet("convert", out var convert) && convert.ScalarOption is { } option && OnlyRequired(convert, option) &&
            convert.FindOption(option) is { } to && (to.Kind != PassOptionKind.Choice || to.AllowedValues.Contains("fp16")))
        {
            variants.Add(("fp16", "{ convert: fp16 }", null));
        }

        return variants;
    }

    private static bool OnlyRequired(PassDescriptor pass, string option) => pass.Options.All(o => !o.Required || o.Name == option);

    private static string Quote(string value) =>
        value.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '_' or '-') && !value.StartsWith('-') ? value : $"'{value.Replace("'", "''", StringComparison.Ordinal)}'";
}
