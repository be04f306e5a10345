using CompressionTasks.Diagnostics;
using CompressionTasks.Gates;
using CompressionTasks.IO;
using CompressionTasks.Manifest.Spec;
using CompressionTasks.Manifest.Yaml;
using CompressionTasks.Passes;
using CompressionTasks.Passes.Binding;
using Microsoft.Extensions.FileSystemGlobbing;
using Microsoft.Extensions.FileSystemGlobbing.Abstractions;

using CompressionTasks.Evaluation;

using CompressionTasks.Measurement;

namespace CompressionTasks.Manifest;

/// <summary>
/// Turns a shape-checked YAML tree into a <see cref="CompressionManifest"/>: fills defaults from the key tables,
/// resolves paths against the manifest's folder, expands model globs, and checks what the shapes cannot say:
/// that names are unique, references resolve, files exist, and gate thresholds fit their metric.
/// </summary>
internal sealed class ManifestBinder(string manifestPath, PassCatalog passes, List<Diagnostic> diagnostics)
{
    private readonly string _folder = Path.GetDirectoryName(manifestPath)!;
    private readonly Dictionary<string, TargetProfile> _targets = TargetProfile.BuiltIn.ToDictionary(t => t.Name, StringComparer.Ordinal);

    public CompressionManifest Bind(YamlTreeMapping root)
    {
        var r = new SpecValueReader(root, ManifestSpec.Root);
        if (r.Scalar("version")?.AsInteger() is { } version && version != ManifestSpec.CurrentVersion)
        {
            Error(DiagnosticCodes.UnsupportedVersion, r.Node("version")!,
                $"manifest version {version} is not supported; this tool reads version {ManifestSpec.CurrentVersion}");
        }

        BindTargets(r.Object("targets"));
        var target = ResolveTarget(r.Scalar("target"), r.String("target")!);
        var output = Resolve(r.String("output")!);
        var measure = BindMeasure(r.Object("measure"));
        var datasets = BindDatasets(r.Object("datasets"));
        var models = BindModels(r.List("models"), datasets);
        var (gates, boundGates) = BindGates(r.List("gates"), models);
        var deploy = BindDeploy(r.List("deploy"), models, target);
        if ((r.List("models")?.Items.Count ?? 0) == 0 && !diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error))
        {
            diagnostics.Add(Diagnostic.Warning(DiagnosticCodes.NoModels, r.Node("models")?.Location ?? root.Location,
                "the manifest lists no models; add one under 'models:' (e.g. '- path: models/my_model.onnx')"));
        }

        return new CompressionManifest(manifestPath, ManifestSpec.CurrentVersion, target, _targets, output, measure, datasets, models, gates, deploy)
        {
            BoundGates = boundGates,
            Warnings = diagnostics.Where(d => d.Severity == DiagnosticSeverity.Warning).ToArray(),
        };
    }

    private void BindTargets(YamlTreeMapping? targets)
    {
        foreach (var (key, value) in targets?.Entries ?? [])
        {
            if (_targets.TryGetValue(key.Value, out var existing) && existing.IsBuiltIn)
            {
                Error(DiagnosticCodes.ReservedName, key,
                    $"'{key.Value}' is a built-in target; name the custom profile differently and use 'extends: {key.Value}'");
                continue;
            }

            var t = new SpecValueReader(value as YamlTreeMapping, ManifestSpec.Target);
            var baseName = t.String("extends")!;
            if (!_targets.TryGetValue(baseName, out var basis) || !basis.IsBuiltIn)
            {
                Error(DiagnosticCodes.UnknownTarget, t.Node("extends")!,
                    $"'targets.{key.Value}.extends' must name a built-in target ({string.Join(", ", TargetProfile.BuiltIn.Select(b => b.Name))}), got '{baseName}'{NameSuggester.Hint(baseName, TargetProfile.BuiltIn.Select(b => b.Name))}");
                basis = TargetProfile.Host;
            }

            // `with` keeps every fact of the basis the manifest does not override (GPU, stack versions, power rails).
            _targets[key.Value] = basis with
            {
                Name = key.Value,
                Description = t.String("description") ?? basis.Description,
                Architecture = t.Has("arch") ? t.String("arch")! : basis.Architecture,
                ExecutionProviders = t.Strings("executionProviders") is { } eps
                    ? eps.Select(ExecutionProviderNames.Vocabulary.Find).OfType<ExecutionProviderKind>().Distinct().ToArray()
                    : basis.ExecutionProviders,
                Fp16 = t.Has("fp16") ? t.Boolean("fp16") : basis.Fp16,
                Int8 = t.Has("int8") ? t.Boolean("int8") : basis.Int8,
                NativeLibraryPath = t.String("nativeLibraryPath"),
                IsBuiltIn = false,
            };
        }
    }

    private TargetProfile ResolveTarget(YamlTreeScalar? node, string name)
    {
        if (_targets.TryGetValue(name, out var target))
        {
            return target;
        }

        if (node is not null)
        {
            Error(DiagnosticCodes.UnknownTarget, node,
                $"unknown target '{name}'; " + (NameSuggester.Suggest(name, _targets.Keys) is { } suggestion
                    ? $"did you mean '{suggestion}'?"
                    : $"known targets are {string.Join(", ", _targets.Keys)}; define custom ones under 'targets:'"));
        }

        return TargetProfile.Host;
    }

    private MeasureSettings BindMeasure(YamlTreeMapping? measure)
    {
        var m = new SpecValueReader(measure, ManifestSpec.Measure);
        var l = new SpecValueReader(m.Object("latency"), ManifestSpec.Latency);
        var e = new SpecValueReader(m.Object("energy"), ManifestSpec.Energy);
        var latency = new LatencySettings(
            l.Number("confidence"), l.Number("maxRelativeHalfWidth"), l.Int32("warmupRuns"), l.Int32("minRuns"), l.Int32("maxRuns"), l.Number("timeBudgetSeconds"),
            l.Term("clock", LatencyClockNames.Vocabulary), l.Int32("sessionEpochs"));
        if (latency.Clock == LatencyClock.Cpu && m.Int32("intraOpThreads") != 1)
        {
            Error(DiagnosticCodes.CpuClockNeedsOneThread, l.KeyNode("clock") ?? (YamlTreeNode)l.Mapping!,
                "'measure.latency.clock: cpu' times the measuring thread only, so it needs 'measure.intraOpThreads: 1' (other threads' work would go uncounted)");
        }
        if (latency.MinRuns > latency.MaxRuns)
        {
            Error(DiagnosticCodes.ValueOutOfRange, l.KeyNode("minRuns") ?? l.KeyNode("maxRuns") ?? (YamlTreeNode)l.Mapping!,
                $"'measure.latency.minRuns' ({latency.MinRuns}) must not exceed 'measure.latency.maxRuns' ({latency.MaxRuns})");
        }

        return new MeasureSettings(
            m.Term("executionProvider", ExecutionProviderNames.Vocabulary),
            m.Boolean("allowCpuFallback"),
            m.Int32("intraOpThreads"),
            m.Int32("interOpThreads"),
            latency,
            new Energy.EnergySettings(Sensor: e.Term("sensor", Energy.EnergySensorNames.Vocabulary), SampleRateHz: e.Number("sampleRateHz")),
            m.Boolean("operatorBreakdown"));
    }

    private Dictionary<string, DatasetDefinition> BindDatasets(YamlTreeMapping? datasets)
    {
        var result = new Dictionary<string, DatasetDefinition>(StringComparer.Ordinal);
        var excepts = new List<(string Name, YamlTreeScalar Node)>();
        foreach (var (key, value) in datasets?.Entries ?? [])
        {
            if (value is not YamlTreeMapping mapping)
            {
                continue;
            }

            var d = new SpecValueReader(mapping, ManifestSpec.Dataset);
            var at = $"datasets.{key.Value}";
            var format = d.Enum<DatasetFormat>("format");
            var path = d.String("path") is { } p ? Resolve(p) : _folder;
            if (d.Scalar("path") is { } pathNode && d.Has("format"))
            {
                RequirePath(pathNode, path, folder: format == DatasetFormat.ImageFolder, $"'{at}.path'");
            }

            string? labels = null;
            if (d.Scalar("labels") is { } labelsNode)
            {
                labels = Resolve(labelsNode.Value);
                RequirePath(labelsNode, labels, folder: false, $"'{at}.labels'");
                if (format == DatasetFormat.Npz && d.Has("format"))
                {
                    Error(DiagnosticCodes.ConflictingKeys, d.KeyNode("labels")!,
                        $"'{at}.labels' does not apply to npz datasets; the labels are the archive's '{d.String("labelArray")}' array (set 'labelArray' to choose another)");
                }
            }

            if (d.Scalar("except") is { } exceptNode)
            {
                excepts.Add((key.Value, exceptNode));
            }

            var preprocess = BindPreprocess(d.Object("preprocess"), $"{at}.preprocess");
            result[key.Value] = new DatasetDefinition(
                key.Value, format, path, labels, d.String("inputArray")!, d.String("labelArray")!, preprocess, d.Strings("classNames"),
                d.IntegerOrNull("limit") is { } limit ? (int)Math.Min(limit, int.MaxValue) : null,
                d.Enum<SamplingMode>("sampling"), d.Int32("seed"), d.Int32("batchSize"), d.Int32("maxInvalid"));
        }

        BindExcepts(result, excepts);
        return result;
    }

    /// <summary>
    /// Resolves <c>except</c>: the named dataset must read the same samples in the same order (format, files, labels,
    /// npz members, class names, maxInvalid), so that its selection means the same samples here; and it must select
    /// from the whole source itself, so one <c>except</c> is the whole story (no chains, no cycles).
    /// </summary>
    private void BindExcepts(Dictionary<string, DatasetDefinition> datasets, List<(string Name, YamlTreeScalar Node)> excepts)
    {
        var withExcept = excepts.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var (name, node) in excepts)
        {
            var at = $"'datasets.{name}.except'";
            var otherName = node.Value;
            if (otherName == name)
            {
                Error(DiagnosticCodes.ExceptChain, node, $"{at} names the dataset itself; name the other set over the same files whose samples this one leaves out");
                continue;
            }

            if (!datasets.TryGetValue(otherName, out var other))
            {
                var known = datasets.Keys.Where(k => k != name).ToArray();
                Error(DiagnosticCodes.UnknownDataset, node, $"{at} names dataset '{otherName}', which is not defined{Hint(otherName, known, "datasets")}");
                continue;
            }

            if (withExcept.Contains(otherName))
            {
                var next = excepts.First(e => e.Name == otherName).Node.Value;
                Error(DiagnosticCodes.ExceptChain, node,
                    $"{at} names '{otherName}', which itself leaves out '{next}'{(next == name ? " (a cycle)" : string.Empty)}; except must name a set that selects from all the samples: the subset selects with limit and sampling, the rest names it in except");
                continue;
            }

            if (!datasets.TryGetValue(name, out var self))
            {
                continue;
            }

            if (SourceDifference(self, other) is { } difference)
            {
                Error(DiagnosticCodes.ExceptOtherSource, node,
                    $"{at} names '{otherName}', which reads other samples ({difference}); except leaves out what a set over the same files selects, so give both the same format, path, labels, arrays, classNames and maxInvalid");
                continue;
            }

            datasets[name] = self with { Except = other.ToSelection() };
        }
    }

    /// <summary>The first setting that makes two datasets number their samples differently, or null when they read the same samples in the same order.</summary>
    private static string? SourceDifference(DatasetDefinition a, DatasetDefinition b)
    {
        static string Shown(string? path) => path ?? "none";
        if (a.Format != b.Format)
        {
            return $"format {ManifestSpec.DatasetFormats[(int)a.Format]} against {ManifestSpec.DatasetFormats[(int)b.Format]}";
        }

        if (!Passes.Quantization.TuningSet.SamePath(a.Path, b.Path))
        {
            return $"path {a.Path} against {b.Path}";
        }

        if (!(a.LabelsPath is null ? b.LabelsPath is null : b.LabelsPath is not null && Passes.Quantization.TuningSet.SamePath(a.LabelsPath, b.LabelsPath)))
        {
            return $"labels {Shown(a.LabelsPath)} against {Shown(b.LabelsPath)}";
        }

        if (a.Format == DatasetFormat.Npz && (a.InputArray != b.InputArray || a.LabelArray != b.LabelArray))
        {
            return $"arrays {a.InputArray}/{a.LabelArray} against {b.InputArray}/{b.LabelArray}";
        }

        if (!(a.ClassNames ?? []).SequenceEqual(b.ClassNames ?? [], StringComparer.Ordinal) || (a.ClassNames is null) != (b.ClassNames is null))
        {
            return "other classNames";
        }

        return a.MaxInvalid != b.MaxInvalid ? $"maxInvalid {a.MaxInvalid} against {b.MaxInvalid}" : null;
    }

    private PreprocessSettings BindPreprocess(YamlTreeMapping? preprocess, string at)
    {
        if (preprocess is null)
        {
            return PreprocessSettings.Default;
        }

        var p = new SpecValueReader(preprocess, ManifestSpec.Preprocess);
        var colorMode = p.Enum<ColorMode>("colorMode");
        var mean = p.Numbers("mean")!;
        var std = p.Numbers("std")!;
        var channels = colorMode == ColorMode.Grayscale ? 1 : 3;
        foreach (var (key, values) in new[] { ("mean", mean), ("std", std) })
        {
            if (values.Count != 1 && values.Count != channels && p.Node(key) is { } node)
            {
                Error(DiagnosticCodes.ValueOutOfRange, node,
                    $"'{at}.{key}' has {values.Count} values; colorMode {p.String("colorMode")} has {channels} channel{(channels == 1 ? "" : "s")}: give 1 value or {channels}");
            }
        }

        ResizeSettings? resize = p.Node("resize") switch
        {
            YamlTreeSequence { Items.Count: 2 } hw when Ints(hw) is [var h, var w] => new ResizeSettings(h, w, null),
            YamlTreeMapping side when side["shorterSide"] is YamlTreeScalar s && s.AsInteger() is { } n => new ResizeSettings(null, null, (int)Math.Min(n, int.MaxValue)),
            _ => null,
        };
        var crop = p.List("centerCrop") is { Items.Count: 2 } c && Ints(c) is [var ch, var cw] ? new[] { ch, cw } : null;
        return new PreprocessSettings(colorMode, resize, crop, p.Number("scale"), mean, std, p.Enum<TensorLayout>("layout"));
    }

    private static int[]? Ints(YamlTreeSequence sequence)
    {
        var values = sequence.Items.OfType<YamlTreeScalar>().Select(s => s.AsInteger()).ToArray();
        return values.All(v => v is >= 1 and <= int.MaxValue) ? values.Select(v => (int)v!.Value).ToArray() : null;
    }

    private List<ModelEntry> BindModels(YamlTreeSequence? models, IReadOnlyDictionary<string, DatasetDefinition> datasets)
    {
        var result = new List<ModelEntry>();
        var names = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
        for (var i = 0; i < (models?.Items.Count ?? 0); i++)
        {
            if (models!.Items[i] is not YamlTreeMapping mapping)
            {
                continue;
            }

            var m = new SpecValueReader(mapping, ManifestSpec.Model);
            var at = $"models[{i}]";
            foreach (var key in new[] { "dataset", "calibration", "training" })
            {
                if (m.Scalar(key) is { } reference && !datasets.ContainsKey(reference.Value))
                {
                    var hint = NameSuggester.Suggest(reference.Value, datasets.Keys) is { } s
                        ? $"did you mean '{s}'?"
                        : datasets.Count == 0 ? "no datasets are defined under 'datasets:'" : $"defined datasets: {string.Join(", ", datasets.Keys)}";
                    Error(DiagnosticCodes.UnknownDataset, reference, $"'{at}.{key}' names dataset '{reference.Value}', which is not defined; {hint}");
                }
            }

            var inputShapes = (m.Object("inputShapes")?.Entries ?? [])
                .Where(e => e.Value is YamlTreeSequence)
                .ToDictionary(
                    e => e.Key.Value,
                    e => (IReadOnlyList<long>)((YamlTreeSequence)e.Value).Items.OfType<YamlTreeScalar>().Select(s => s.AsInteger() ?? 1).ToArray(),
                    StringComparer.Ordinal);
            var variants = BindVariants(m.List("variants"), at, PassContextOf(m, datasets, inputShapes));
            var labelMap = (m.Object("labelMap")?.Entries ?? [])
                .Where(e => e.Value is YamlTreeScalar s && s.AsInteger() is >= 0 and <= int.MaxValue)
                .ToDictionary(e => e.Key.Value, e => (int)((YamlTreeScalar)e.Value).AsInteger()!.Value, StringComparer.Ordinal);

            if (m.Scalar("path") is not { } pathNode)
            {
                continue;
            }

            foreach (var file in ExpandModelPath(pathNode, $"'{at}.path'"))
            {
                var nameNode = m.Scalar("name");
                var name = nameNode?.Value ?? Path.GetFileNameWithoutExtension(file);
                var location = (nameNode ?? pathNode).Location;
                if (names.TryGetValue(name, out var first))
                {
                    var why = nameNode is null ? $" (named after the file {Path.GetFileName(file)}; set 'name:' to tell them apart)" : string.Empty;
                    diagnostics.Add(Diagnostic.Error(DiagnosticCodes.DuplicateName, location,
                        $"model name '{name}' is used twice (first at line {first.Line}){why}"));
                    continue;
                }

                if (!SafeFileName.IsValid(name))
                {
                    // Checked here, not only when writing, so `validate` and the build refuse it before any work.
                    var why = nameNode is null ? $" (named after the file {Path.GetFileName(file)}; set 'name:')" : string.Empty;
                    diagnostics.Add(Diagnostic.Error(DiagnosticCodes.UnsafeOutputName, location,
                        $"model name '{name}' cannot be a file name in the output folder{why}: {SafeFileName.Rule}"));
                    continue;
                }

                names[name] = location;
                result.Add(new ModelEntry(
                    name, file, inputShapes, m.String("dataset"), m.String("calibration"), m.String("training"), labelMap, variants, mapping.Location));
            }
        }

        return result;
    }

    /// <summary>What the model entry tells its passes: which datasets it names (a reference to an undefined one counts as unknown, already reported).</summary>
    private static PassBindingContext PassContextOf(
        SpecValueReader model, IReadOnlyDictionary<string, DatasetDefinition> datasets, IReadOnlyDictionary<string, IReadOnlyList<long>> inputShapes)
    {
        bool? Names(string key) => model.String(key) is not { } name ? false : datasets.ContainsKey(name) ? true : null;
        bool? Labelled(string key) => model.String(key) is not { } name ? false
            : datasets.TryGetValue(name, out var dataset) ? dataset.Format switch
            {
                // Image folders are labelled by their class subfolders or their labels CSV; an npz archive may hold its label array or not.
                DatasetFormat.ImageFolder => true,
                DatasetFormat.Npy => dataset.LabelsPath is not null,
                _ => null,
            }
            : null;
        // Two sets over the same files overlap unless one leaves out what the other selects (`except`).
        bool? same = model.String("calibration") is not { } calibrationName || model.String("dataset") is not { } evaluationName ? false
            : calibrationName == evaluationName ? true
            : datasets.TryGetValue(calibrationName, out var calibrationSet) && datasets.TryGetValue(evaluationName, out var evaluationSet)
                ? Passes.Quantization.TuningSet.SamePath(calibrationSet.Path, evaluationSet.Path) && !calibrationSet.Excludes(evaluationSet) && !evaluationSet.Excludes(calibrationSet)
                : null;
        return new PassBindingContext
        {
            ModelName = model.String("name"),
            HasCalibration = Names("calibration"),
            HasTraining = Names("training"),
            HasLabelledDataset = Labelled("dataset"),
            HasLabelledCalibration = Labelled("calibration"),
            CalibrationIsEvaluation = same,
            InputShapes = inputShapes,
        };
    }

    private List<VariantDefinition> BindVariants(YamlTreeSequence? variants, string at, PassBindingContext model)
    {
        var result = new List<VariantDefinition>();
        var seen = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
        for (var i = 0; i < (variants?.Items.Count ?? 0); i++)
        {
            var v = new SpecValueReader(variants!.Items[i] as YamlTreeMapping, ManifestSpec.Variant);
            if (v.Mapping is null || v.Scalar("name") is not { } nameNode)
            {
                continue;
            }

            if (nameNode.Value == ManifestSpec.BaselineVariant)
            {
                Error(DiagnosticCodes.ReservedName, nameNode,
                    $"'{ManifestSpec.BaselineVariant}' is reserved: every model has it implicitly (the uncompressed model); choose another variant name");
                continue;
            }

            if (seen.TryGetValue(nameNode.Value, out var first))
            {
                Error(DiagnosticCodes.DuplicateName, nameNode, $"variant '{nameNode.Value}' is defined twice in '{at}' (first at line {first.Line})");
                continue;
            }

            if (!SafeFileName.IsValid(nameNode.Value))
            {
                Error(DiagnosticCodes.UnsafeOutputName, nameNode, $"variant name '{nameNode.Value}' cannot be a folder name in the output folder: {SafeFileName.Rule}");
                continue;
            }

            seen[nameNode.Value] = nameNode.Location;
            var passList = new List<BoundPass>();
            foreach (var entry in v.List("passes")?.Items ?? [])
            {
                if (BindPass(entry, model with { Earlier = passList.ToArray() }) is { } bound)
                {
                    passList.Add(bound);
                }
            }

            result.Add(new VariantDefinition(nameNode.Value, v.String("description"), passList, nameNode.Location));
        }

        return result;
    }

    /// <summary>
    /// The pass an entry names, bound into its typed options for the model of <paramref name="context"/>. Problems the
    /// options or the context show are reported at the option's value (the list item for a list), or at the pass name.
    /// </summary>
    private BoundPass? BindPass(YamlTreeNode entry, PassBindingContext context)
    {
        var (nameNode, value) = entry switch
        {
            YamlTreeScalar s => (s, (YamlTreeNode?)null),
            YamlTreeMapping { Entries.Count: 1 } m => (m.Entries[0].Key, m.Entries[0].Value),
            _ => (null, null),
        };
        if (nameNode is null || !passes.TryGet(nameNode.Value, out var descriptor))
        {
            return null;
        }

        var options = new Dictionary<string, object?>(StringComparer.Ordinal);
        var nodes = new Dictionary<string, YamlTreeNode>(StringComparer.Ordinal);
        if (value is YamlTreeScalar { IsNull: false } scalar && descriptor.ScalarOption is { } scalarOption && descriptor.FindOption(scalarOption) is { } spec)
        {
            if (!SpecChecker.HasPassOptionProblem(scalar, spec))
            {
                options[scalarOption] = TypedOption(scalar, spec);
                nodes[scalarOption] = scalar;
            }
        }
        else if (value is YamlTreeMapping mapping)
        {
            foreach (var (key, optionValue) in mapping.Entries)
            {
                // Values the validator refused were reported there; the record keeps its default for them.
                if (descriptor.FindOption(key.Value) is { } optionSpec && !SpecChecker.HasPassOptionProblem(optionValue, optionSpec))
                {
                    options[key.Value] = TypedOption(optionValue, optionSpec);
                    nodes[key.Value] = optionValue;
                }
            }
        }

        var (bound, pass, problems) = descriptor.Bind(options, context);
        foreach (var problem in problems)
        {
            YamlTreeNode at = problem.Option is { } option && nodes.TryGetValue(option, out var optionNode)
                ? problem.Item is { } item && optionNode is YamlTreeSequence list && item < list.Items.Count ? list.Items[item] : optionNode
                : nameNode;
            Error(problem.Code, at, $"pass '{descriptor.Name}': {problem.Message}");
        }

        return new BoundPass(descriptor, bound, pass, nameNode.Location);
    }

    private static object? TypedOption(YamlTreeNode node, PassOptionSpec spec) => (spec.Kind, node) switch
    {
        (PassOptionKind.Boolean, YamlTreeScalar s) => s.AsBoolean(),
        (PassOptionKind.Integer, YamlTreeScalar s) => s.AsInteger(),
        (PassOptionKind.Number, YamlTreeScalar s) => s.AsNumber(),
        (PassOptionKind.StringList, YamlTreeSequence l) => (IReadOnlyList<string>)l.Items.OfType<YamlTreeScalar>().Select(s => s.Value).ToArray(),
        (PassOptionKind.NumberList, YamlTreeSequence l) => (IReadOnlyList<double>)l.Items.OfType<YamlTreeScalar>().Select(s => s.AsNumber() ?? 0).ToArray(),
        (_, YamlTreeScalar s) => s.Value,
        _ => null,
    };

    private IEnumerable<string> ExpandModelPath(YamlTreeScalar node, string what)
    {
        var pattern = node.Value.Replace('\\', '/');
        if (!pattern.Contains('*', StringComparison.Ordinal))
        {
            var file = Resolve(pattern);
            return RequirePath(node, file, folder: false, what) ? [file] : [];
        }

        // The matcher only walks below its base folder; split the literal leading folders off so '../models/*.onnx' works.
        var segments = pattern.Split('/');
        var literal = segments.TakeWhile(s => !s.Contains('*', StringComparison.Ordinal)).ToArray();
        var baseFolder = Resolve(literal.Length == 0 ? "." : string.Join('/', literal));
        var include = string.Join('/', segments.Skip(literal.Length));
        var matches = Array.Empty<string>();
        if (Directory.Exists(baseFolder))
        {
            var matcher = new Matcher(StringComparison.Ordinal);
            matcher.AddInclude(include);
            matches = matcher.Execute(new DirectoryInfoWrapper(new DirectoryInfo(baseFolder))).Files
                .Select(f => Path.GetFullPath(Path.Combine(baseFolder, f.Path)))
                .Order(StringComparer.Ordinal)
                .ToArray();
        }

        if (matches.Length == 0)
        {
            Error(DiagnosticCodes.GlobMatchedNothing, node, $"{what} '{node.Value}' matches no file (searched below {baseFolder})");
        }

        return matches;
    }

    /// <summary>
    /// Reads <c>gates:</c> into definitions and binds each threshold into its typed gate. A name the user gives twice is
    /// CMP1020 at the second; a synthesized name that would repeat one gets a <c>-2</c>, <c>-3</c>… suffix, so every
    /// verdict in report.json names exactly one gate.
    /// </summary>
    private (List<GateDefinition> Definitions, List<IGate> Bound) BindGates(YamlTreeSequence? gates, IReadOnlyList<ModelEntry> models)
    {
        var result = new List<GateDefinition>();
        var bound = new List<(GateDefinition Definition, string Key, bool Named)>();
        var explicitNames = new Dictionary<string, YamlTreeNode>(StringComparer.Ordinal);
        for (var i = 0; i < (gates?.Items.Count ?? 0); i++)
        {
            if (gates!.Items[i] is not YamlTreeMapping mapping)
            {
                continue;
            }

            var g = new SpecValueReader(mapping, ManifestSpec.Gate);
            var at = $"gates[{i}]";
            var implied = new (string Key, GateMetric Metric)[] { ("maxLatencyMs", GateMetric.Latency), ("maxSizeBytes", GateMetric.Size), ("minTop1", GateMetric.Top1) }
                .Where(x => g.Has(x.Key))
                .ToArray();
            GateMetric metric;
            if (g.Has("metric"))
            {
                metric = g.Enum<GateMetric>("metric");
            }
            else if (implied.Length > 0)
            {
                metric = implied[0].Metric;
            }
            else
            {
                Error(DiagnosticCodes.MissingRequiredKey, mapping, $"'{at}' needs 'metric' ({string.Join(", ", ManifestSpec.GateMetrics)})");
                continue;
            }

            var metricName = ManifestSpec.GateMetrics[(int)metric];
            var accuracy = metric <= GateMetric.Agreement;
            var outputFit = metric is GateMetric.Cosine or GateMetric.Sqnr;
            var thresholds = new[] { "maxDrop", "maxRelativeDrop", "maxRegression", "maxLatencyMs", "maxSizeBytes", "minTop1", "min" }.Where(g.Has).ToArray();
            if (thresholds.Length == 0)
            {
                Error(DiagnosticCodes.GateWithoutThreshold, mapping,
                    $"'{at}' sets no threshold; add {(outputFit ? "'min'" : accuracy ? "'maxDrop' (percentage points) or 'maxRelativeDrop' (%)" : "'maxRegression' (%)")}{metric switch { GateMetric.Latency => " or 'maxLatencyMs'", GateMetric.Size => " or 'maxSizeBytes'", GateMetric.Top1 => " or 'minTop1'", _ => "" }}");
            }

            if (g.Has("maxDrop") && g.Has("maxRelativeDrop"))
            {
                Error(DiagnosticCodes.ConflictingKeys, g.KeyNode("maxRelativeDrop")!, $"'{at}' sets both 'maxDrop' and 'maxRelativeDrop'; keep one (or write two gates)");
            }

            foreach (var key in thresholds)
            {
                var fits = key switch
                {
                    "maxDrop" or "maxRelativeDrop" => accuracy,
                    "maxRegression" => !accuracy && !outputFit,
                    "maxLatencyMs" => metric == GateMetric.Latency,
                    "maxSizeBytes" => metric == GateMetric.Size,
                    "min" => outputFit,
                    _ => metric == GateMetric.Top1,
                };
                if (!fits)
                {
                    var applies = key switch
                    {
                        "maxDrop" or "maxRelativeDrop" => $"accuracy metrics ({string.Join(", ", ManifestSpec.AccuracyMetrics)})",
                        "maxRegression" => "latency, size and energy",
                        "maxLatencyMs" => "metric latency",
                        "maxSizeBytes" => "metric size",
                        "min" => "metrics cosine and sqnr",
                        _ => "metric top1",
                    };
                    Error(DiagnosticCodes.GateThresholdMismatch, g.KeyNode(key)!, $"'{at}.{key}' does not apply to metric {metricName}; it applies to {applies}");
                }
            }

            if (g.Has("confidence") && !(g.Has("maxDrop") || g.Has("maxRelativeDrop")))
            {
                Error(DiagnosticCodes.ConflictingKeys, g.KeyNode("confidence")!, $"'{at}.confidence' sets a paired test for accuracy drops; use it with 'maxDrop' or 'maxRelativeDrop'");
            }

            string? baseline = null;
            if (g.Scalar("baseline") is { } baselineNode)
            {
                baseline = Resolve(baselineNode.Value);
                RequirePath(baselineNode, baseline, folder: false, $"'{at}.baseline' report");
            }

            var modelNames = CheckModelNames(g, at, models);
            var variantNames = CheckVariantNames(g, at, models, modelNames);
            var name = g.String("name") ?? $"{metricName}-{thresholds.FirstOrDefault() ?? "gate"}";
            if (g.Has("name") && g.Scalar("name") is { } nameNode && !explicitNames.TryAdd(name, nameNode))
            {
                Error(DiagnosticCodes.DuplicateName, nameNode,
                    $"'{at}.name': another gate is already named '{name}' (line {explicitNames[name].Location.Line}); gate names must be unique, as report.json and failures name gates by them");
            }

            var definition = new GateDefinition(
                name, metric,
                Optional(g, "maxDrop"), Optional(g, "maxRelativeDrop"), Optional(g, "confidence"), Optional(g, "maxRegression"), baseline,
                Optional(g, "maxLatencyMs"), g.Has("maxSizeBytes") ? g.IntegerOrNull("maxSizeBytes") : null, Optional(g, "minTop1"),
                variantNames, modelNames, mapping.Location)
            {
                MinOutputFit = Optional(g, "min"),
            };
            result.Add(definition);
            bound.AddRange(GateBinding.Thresholds(definition).Select(key => (definition, key, g.Has("name"))));
        }

        return (result, GateBinding.Bind(bound, explicitNames.Keys));
    }

    private static double? Optional(SpecValueReader reader, string key) => reader.Has(key) ? reader.NumberOrNull(key) : null;

    private IReadOnlyList<string>? CheckModelNames(SpecValueReader reader, string at, IReadOnlyList<ModelEntry> models)
    {
        if (reader.List("models") is not { } list)
        {
            return null;
        }

        var known = models.Select(m => m.Name).ToArray();
        foreach (var item in list.Items.OfType<YamlTreeScalar>().Where(s => !known.Contains(s.Value, StringComparer.Ordinal)))
        {
            Error(DiagnosticCodes.UnknownModel, item,
                $"'{at}.models' names model '{item.Value}', which the manifest does not define{Hint(item.Value, known, "models")}");
        }

        return reader.Strings("models");
    }

    private IReadOnlyList<string>? CheckVariantNames(SpecValueReader reader, string at, IReadOnlyList<ModelEntry> models, IReadOnlyList<string>? modelNames)
    {
        if (reader.List("variants") is not { } list)
        {
            return null;
        }

        var selected = models.Where(m => modelNames is null || modelNames.Contains(m.Name, StringComparer.Ordinal));
        var known = selected.SelectMany(m => m.Variants.Select(v => v.Name)).Append(ManifestSpec.BaselineVariant).Distinct(StringComparer.Ordinal).ToArray();
        foreach (var item in list.Items.OfType<YamlTreeScalar>().Where(s => !known.Contains(s.Value, StringComparer.Ordinal)))
        {
            Error(DiagnosticCodes.UnknownVariant, item,
                $"'{at}.variants' names variant '{item.Value}', which no {(modelNames is null ? "" : "selected ")}model defines{Hint(item.Value, known, "variants")}");
        }

        return reader.Strings("variants");
    }

    private static string Hint(string typed, IReadOnlyCollection<string> known, string what) =>
        NameSuggester.Suggest(typed, known) is { } s ? $"; did you mean '{s}'?" : known.Count == 0 ? string.Empty : $"; defined {what}: {string.Join(", ", known)}";

    private List<DeployEntry> BindDeploy(YamlTreeSequence? deploy, IReadOnlyList<ModelEntry> models, TargetProfile defaultTarget)
    {
        var result = new List<DeployEntry>();
        for (var i = 0; i < (deploy?.Items.Count ?? 0); i++)
        {
            if (deploy!.Items[i] is not YamlTreeMapping mapping)
            {
                continue;
            }

            var d = new SpecValueReader(mapping, ManifestSpec.Deploy);
            var at = $"deploy[{i}]";
            var target = d.Scalar("target") is { } targetNode ? ResolveTarget(targetNode, targetNode.Value) : defaultTarget;
            var modelNames = CheckModelNames(d, at, models);
            var variantNames = CheckVariantNames(d, at, models, modelNames);
            result.Add(new DeployEntry(target, variantNames, modelNames, mapping.Location));
        }

        return result;
    }

    private string Resolve(string relative) => Path.GetFullPath(Path.Combine(_folder, relative));

    private bool RequirePath(YamlTreeNode node, string path, bool folder, string what)
    {
        if (folder ? Directory.Exists(path) : File.Exists(path))
        {
            return true;
        }

        if (folder ? File.Exists(path) : Directory.Exists(path))
        {
            Error(DiagnosticCodes.WrongPathKind, node, $"{what} {path} is a {(folder ? "file" : "folder")}; a {(folder ? "folder" : "file")} is expected here");
            return false;
        }

        Error(DiagnosticCodes.PathNotFound, node, $"{what}: {(folder ? "folder" : "file")} not found: {path}");
        return false;
    }

    private void Error(DiagnosticCode code, YamlTreeNode node, string message) =>
        diagnostics.Add(Diagnostic.Error(code, node.Location, message));
}
