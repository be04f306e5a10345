namespace CompressionTasks.Manifest.Spec;

/// <summary>
/// Manifest v1, key by key: the one source of truth for the validator, the JSON Schema and the key reference in
/// docs/manifest.md. Keys are camelCase; paths are relative to the manifest's folder; percentages are numbers.
/// </summary>
public static class ManifestSpec
{
    public const int CurrentVersion = 1;

    /// <summary>The variant every model has implicitly: the model as given, compressed by nothing.</summary>
    public const string BaselineVariant = "baseline";

    public static IReadOnlyList<string> ExecutionProviders { get; } = Measurement.ExecutionProviderNames.Vocabulary.Names;

    public static IReadOnlyList<string> EnergySensors { get; } = global::CompressionTasks.Energy.EnergySensorNames.Vocabulary.Names;

    public static IReadOnlyList<string> DatasetFormats { get; } = ["image-folder", "npy", "npz"];

    public static IReadOnlyList<string> ColorModes { get; } = ["rgb", "bgr", "grayscale"];

    public static IReadOnlyList<string> Layouts { get; } = ["NCHW", "NHWC"];

    public static IReadOnlyList<string> SamplingModes { get; } = ["first", "stride", "random", "stratified"];

    public static IReadOnlyList<string> AccuracyMetrics { get; } = ["top1", "top5", "precision", "recall", "f1", "agreement"];

    public static IReadOnlyList<string> GateMetrics { get; } = [.. AccuracyMetrics, "latency", "size", "energy", "cosine", "sqnr"];

    public static IReadOnlyList<string> Architectures { get; } = ["x64", "arm64"];

    private static ScalarSpec Str { get; } = new(ScalarKind.String);

    private static ScalarSpec PathValue { get; } = new(ScalarKind.Path);

    private static ScalarSpec Name { get; } = new(ScalarKind.Reference);

    private static ScalarSpec Bool { get; } = new(ScalarKind.Boolean);

    private static ScalarSpec Choice(IReadOnlyList<string> values) => new(ScalarKind.String) { AllowedValues = values };

    private static ScalarSpec Int(double? min = null, double? max = null) => new(ScalarKind.Integer) { Minimum = min, Maximum = max };

    private static ScalarSpec Num(double? min = null, double? max = null, bool exclusiveMin = false, bool exclusiveMax = false) =>
        new(ScalarKind.Number) { Minimum = min, Maximum = max, ExclusiveMinimum = exclusiveMin, ExclusiveMaximum = exclusiveMax };

    private static ListSpec Pair(ValueSpec item) => new(item) { MinItems = 2, MaxItems = 2 };

    public static ObjectSpec Latency { get; } = new("latency", "When to stop repeating inferences: once the confidence interval of the mean is narrow enough.",
    [
        new("confidence", Num(0, 1, exclusiveMin: true, exclusiveMax: true), "Confidence level of the interval around the mean latency.") { Default = 0.95 },
        new("maxRelativeHalfWidth", Num(0, 1, exclusiveMin: true), "Stop once the interval's half-width is below this fraction of the mean.") { Default = 0.05 },
        new("warmupRuns", Int(0), "Inferences run and discarded before measuring (caches, lazy initialisation).") { Default = 5L },
        new("minRuns", Int(2), "Measured inferences at least, whatever the interval.") { Default = 10L },
        new("maxRuns", Int(2), "Measured inferences at most, even if the interval is still wide.") { Default = 1000L },
        new("timeBudgetSeconds", Num(0, exclusiveMin: true), "Stop measuring one variant after this many seconds (the result says the rule was not met).") { Default = 60.0 },
        new("clock", Choice(Measurement.LatencyClockNames.Vocabulary.Names), "What a sample is timed with: `wall` (what a user waits) or `cpu` (the measuring thread's CPU time, immune to waiting for a CPU; needs `intraOpThreads: 1`).") { Default = "wall" },
        new("sessionEpochs", Int(1), "With several variants: split the measurement into this many epochs and create every variant's ONNX Runtime session afresh for each, so the speed-up interval covers the difference between two sessions of the same model (1: one session per variant throughout). At most this many: fewer when re-creating the sessions would take more than half the time budget, none (warning CMP4012) when not even 3 fit.") { Default = (long)Measurement.LatencySettings.DefaultSessionEpochs },
    ]);

    public static ObjectSpec Energy { get; } = new("energy", "Energy per inference from a power sensor, idle power subtracted.",
    [
        new("sensor", Choice(EnergySensors), "Power sensor: `auto` picks the first available; `none` turns energy off.") { Default = "auto" },
        new("sampleRateHz", Num(0, 1000, exclusiveMin: true), "How often the sensor is read, up to 1 kHz.") { Default = 1000.0 },
    ]);

    public static ObjectSpec Measure { get; } = new("measure", "How latency, operator breakdown and energy are measured.",
    [
        new("executionProvider", Choice(ExecutionProviders), "ONNX Runtime execution provider to measure with.") { Default = "cpu" },
        new("allowCpuFallback", Bool, "When the provider asked for is unavailable, measure on the CPU with a warning instead of failing.") { Default = false },
        new("intraOpThreads", Int(0), "Threads within one operator; 0 lets ONNX Runtime choose.") { Default = 0L },
        new("interOpThreads", Int(0), "Threads across operators; 0 lets ONNX Runtime choose.") { Default = 0L },
        new("latency", Latency, "The latency stopping rule.") { DefaultText = "see `measure.latency.*`" },
        new("energy", Energy, "Energy measurement.") { DefaultText = "see `measure.energy.*`" },
        new("operatorBreakdown", Bool, "Profile one extra run per variant and report time per operator type.") { Default = true },
    ]);

    public static ObjectSpec ShorterSide { get; } = new("resizeShorterSide", "Resize so the shorter side has this length, keeping the aspect ratio.",
    [
        new("shorterSide", Int(1), "Length in pixels of the shorter side after resizing.") { Required = true },
    ]);

    public static ObjectSpec Preprocess { get; } = new("preprocess", "How an image becomes an input tensor: colour, resize, crop, then (pixel × scale − mean) / std.",
    [
        new("colorMode", Choice(ColorModes), "Channel order and count of the tensor.") { Default = "rgb" },
        new("resize", new OneOfSpec([Pair(Int(1)), ShorterSide], "[height, width] or { shorterSide: N }"), "`[height, width]`, or `{ shorterSide: N }` to keep the aspect ratio.") { Example = "[224, 224]" },
        new("centerCrop", Pair(Int(1)), "`[height, width]` cut from the centre after resizing.") { Example = "[224, 224]" },
        new("scale", Num(0, exclusiveMin: true), "Factor applied to 0..255 pixel values first (1/255 maps them to 0..1).") { Default = 1.0 },
        new("mean", new ListSpec(Num()) { MinItems = 1, MaxItems = 4 }, "Subtracted per channel after scaling (one value for all channels, or one per channel).") { Default = new[] { 0.0 } },
        new("std", new ListSpec(Num(0, exclusiveMin: true)) { MinItems = 1, MaxItems = 4 }, "Divides per channel after subtracting the mean.") { Default = new[] { 1.0 } },
        new("layout", Choice(Layouts), "Tensor layout the model expects.") { Default = "NCHW" },
    ]);

    public static ObjectSpec Dataset { get; } = new("dataset", "Samples with labels, for evaluation, calibration or fine-tuning.",
    [
        new("format", Choice(DatasetFormats), "`image-folder`: one subfolder per class, or images listed by a `labels:` CSV (`path,label`); `npy`: an array file of inputs; `npz`: an archive with input and label arrays.") { Required = true },
        new("path", PathValue, "The folder (image-folder) or file (npy, npz).") { Required = true, Example = "data/digits/test" },
        new("labels", PathValue, "Labels: a CSV `path,label` for image-folder, an `.npy` of class indices for npy.") { Example = "data/digits/calib_y.npy" },
        new("inputArray", Str, "npz only: name of the input array in the archive.") { Default = "x" },
        new("labelArray", Str, "npz only: name of the label array in the archive.") { Default = "y" },
        new("preprocess", Preprocess, "Image preprocessing (image-folder).") { DefaultText = "see `preprocess.*`" },
        new("classNames", new ListSpec(Str), "Class names in output-index order, for reports.") { DefaultText = "subfolder names, sorted" },
        new("limit", Int(1), "Use at most this many samples.") { DefaultText = "all" },
        new("sampling", Choice(SamplingModes), "Which samples `limit` keeps: the first ones, every n-th one, a seeded random choice, or a seeded choice stratified by label.") { Default = "first" },
        new("seed", Int(), "Seed for `sampling: random` and `sampling: stratified`.") { Default = 0L },
        new("except", Name, "Leave out the samples another dataset over the same files selects (with its own `limit`, `sampling` and `seed`); this set's `limit` and `sampling` then choose from the rest. Keeps an evaluation set disjoint from a calibration subset cut from the same files, without copying any.") { Example = "digits-calib" },
        new("batchSize", Int(1), "Samples per inference (the model's batch dimension).") { Default = 1L },
        new("maxInvalid", Int(0), "image-folder: images that cannot be read are skipped (counted in the report) up to this many; one more fails the run. 0 fails on the first.") { Default = 0L },
    ]);

    public static ObjectSpec Variant { get; } = new("variant", "A named list of passes applied to the model, in order.",
    [
        new("name", Name, $"Variant name, unique within the model; `{BaselineVariant}` is reserved for the uncompressed model.") { Required = true, Example = "int8" },
        new("description", Str, "Free text shown in reports."),
        new("passes", new PassListSpec(), "Passes in order: `{ quantize: { mode: static } }`, the scalar form `{ convert: fp16 }`, or a bare pass name.") { Required = true },
    ]);

    public static ObjectSpec Model { get; } = new("model", "An ONNX model (or several, by glob) and the variants to make of it.",
    [
        new("name", Name, "Model name, unique in the manifest.") { DefaultText = "the file name without extension" },
        new("path", PathValue, "The `.onnx` file, or a glob such as `models/*.onnx` (one model per matching file).") { Required = true, Example = "models/digits_cnn.onnx" },
        new("inputShapes", new MapSpec("input name", new ListSpec(Int(1)) { MinItems = 1 }), "Concrete shapes for inputs with dynamic dimensions.") { Example = "{ input: [1, 1, 8, 8] }" },
        new("dataset", Name, "Dataset to evaluate accuracy on.") { Example = "digits-test" },
        new("calibration", Name, "Dataset for static quantization calibration and recovery passes.") { Example = "digits-calib" },
        new("training", Name, "Dataset for fine-tuning passes.") { Example = "digits-train" },
        new("labelMap", new MapSpec("dataset label", Int(0)), "Maps dataset labels to model output indices when they differ.") { Example = "{ cat: 281, dog: 207 }" },
        new("variants", new ListSpec(Variant), $"Variants to produce; `{BaselineVariant}` is always there implicitly.") { DefaultText = "none (baseline only)" },
    ]);

    public static ObjectSpec Gate { get; } = new("gate", "A condition every selected variant must meet, or the run fails (exit 1).",
    [
        new("name", Str, "Name shown in reports; unique among the gates.") { DefaultText = "metric and threshold, e.g. `top1-maxDrop` (`-2`, `-3`… added if taken)" },
        new("metric", Choice(GateMetrics), "What the gate checks.") { DefaultText = "implied by `maxLatencyMs`, `maxSizeBytes` or `minTop1`" },
        new("maxDrop", Num(0, 100), "Accuracy metrics: largest allowed drop vs the baseline, in percentage points.") { Example = "1.0" },
        new("maxRelativeDrop", Num(0, 100), "Accuracy metrics: largest allowed drop vs the baseline, in percent of the baseline's value.") { Example = "2" },
        new("confidence", Num(0, 1, exclusiveMin: true, exclusiveMax: true), "Accuracy drops: decide with a paired test at this confidence instead of comparing point values.") { Example = "0.95" },
        new("maxRegression", Num(0), "latency, size, energy: largest allowed increase vs the baseline, in percent.") { Example = "10" },
        new("baseline", PathValue, "Compare with this previous `report.json` instead of this run's baseline variant.") { Example = "baseline/report.json" },
        new("maxLatencyMs", Num(0, exclusiveMin: true), "Absolute limit on mean latency, in milliseconds (metric `latency`).") { Example = "5" },
        new("maxSizeBytes", Int(1), "Absolute limit on model size, in bytes (metric `size`).") { Example = "1000000" },
        new("minTop1", Num(0, 100), "Absolute lower limit on top-1 accuracy, in percent (metric `top1`).") { Example = "95" },
        new("min", Num(), "cosine, sqnr: lowest allowed output fit to the baseline of the worst output that is not class scores (cosine, or SQNR in dB).") { Example = "0.99" },
        new("variants", new ListSpec(Name), "Only these variants (`baseline` included if named).") { DefaultText = "every variant except baseline" },
        new("models", new ListSpec(Name), "Only these models.") { DefaultText = "every model" },
    ]);

    public static ObjectSpec Deploy { get; } = new("deploy", "Variants to bundle for a target device.",
    [
        new("target", Name, "Target profile: built-in or defined under `targets:`.") { DefaultText = "the top-level `target`" },
        new("variants", new ListSpec(Name), "Variants to bundle.") { DefaultText = "every variant" },
        new("models", new ListSpec(Name), "Models to bundle.") { DefaultText = "every model" },
    ]);

    public static ObjectSpec Target { get; } = new("target", "A device profile: what it runs and what it is good at.",
    [
        new("extends", Name, "Built-in profile to start from (`host`, `jetson-tx2`).") { Default = "host" },
        new("description", Str, "Free text shown in reports."),
        new("arch", Choice(Architectures), "CPU architecture.") { DefaultText = "from `extends`" },
        new("executionProviders", new ListSpec(Choice(ExecutionProviders)) { MinItems = 1 }, "Execution providers available on the device.") { DefaultText = "from `extends`" },
        new("fp16", Bool, "The device's accelerator runs fp16 fast.") { DefaultText = "from `extends`" },
        new("int8", Bool, "The device's accelerator runs int8 (false on Jetson TX2's GPU).") { DefaultText = "from `extends`" },
        new("nativeLibraryPath", Str, "Path on the device to the ONNX Runtime native library the runner loads.") { Example = "/opt/onnxruntime/lib/libonnxruntime.so" },
    ]);

    public static ObjectSpec Root { get; } = new("manifest", "compression.yaml: what to compress, how to judge it, where to ship it.",
    [
        new("version", Int(), $"Manifest format version; must be {CurrentVersion}.") { Required = true, Example = "1" },
        new("target", Name, "Target profile the run measures for: `host`, `jetson-tx2`, or one under `targets:`.") { Default = "host" },
        new("targets", new MapSpec("target name", Target), "Custom target profiles.") { Example = "{ lab-pc: { extends: host, executionProviders: [cpu, cuda] } }" },
        new("output", PathValue, "Folder for compressed models and reports.") { Default = "artifacts/compression" },
        new("measure", Measure, "Measurement settings.") { DefaultText = "see `measure.*`" },
        new("datasets", new MapSpec("dataset name", Dataset), "Datasets by name.") { DefaultText = "none" },
        new("models", new ListSpec(Model), "Models to compress.") { DefaultText = "none" },
        new("gates", new ListSpec(Gate), "Conditions the variants must meet.") { DefaultText = "none" },
        new("deploy", new ListSpec(Deploy), "Bundles to build for target devices.") { DefaultText = "none" },
    ]);
}
