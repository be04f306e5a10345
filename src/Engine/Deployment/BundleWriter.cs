using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CompressionTasks.Deployment.Contracts;
using CompressionTasks.Diagnostics;
using CompressionTasks.Energy;
using CompressionTasks.Evaluation;
using CompressionTasks.IO;
using CompressionTasks.Manifest;
using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Protobuf;
using CompressionTasks.Reports;

namespace CompressionTasks.Deployment;

/// <summary>
/// Writes one deployment bundle from a finished run: the variant's ONNX model (and its external data), deployment.json,
/// build-engine.sh (targets with a TensorRT GPU), measure.sh, README.md and SHA256SUMS, into
/// <c>&lt;out&gt;/deploy/&lt;target&gt;/&lt;model&gt;-&lt;variant&gt;/</c>, plus a deterministic .tar.gz of that folder.
/// The folder is assembled beside its final place and swapped in whole, so a reader never sees half a bundle.
/// </summary>
public static class BundleWriter
{
    public const string ChecksumsFileName = "SHA256SUMS";

    /// <param name="outputFolder">The run's output folder: report.json's folder, against which variant paths resolve.</param>
    public static BundleResult Write(
        CompressionManifest manifest,
        CompressionReport report,
        string outputFolder,
        BundleRequest request,
        CancellationToken cancellationToken = default) =>
        Write(manifest, report, outputFolder, request, modelFile: null, cancellationToken);

    /// <param name="outputFolder">The folder the bundle is written into, against which variant paths are checked.</param>
    /// <param name="modelFile">Where a variant's model file lies when not under <paramref name="outputFolder"/> (<see cref="DeployOptions.ModelFile"/>).</param>
    public static BundleResult Write(
        CompressionManifest manifest,
        CompressionReport report,
        string outputFolder,
        BundleRequest request,
        Func<string, string>? modelFile,
        CancellationToken cancellationToken = default,
        Action? archivePartlyWritten = null)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(outputFolder);
        ArgumentNullException.ThrowIfNull(request);
        var root = Path.GetFullPath(outputFolder);
        var reportLocation = SourceLocation.InFile(Path.Combine(root, "report.json"));
        var (model, variant) = Find(report, request, reportLocation);
        var layout = new BundleLayout(root, request.Target.Name, model.Name, variant.Name);
        var reportedPath = Path.GetFullPath(Path.Combine(root, variant.Path));
        var modelPath = modelFile is null ? reportedPath : Path.GetFullPath(modelFile(variant.Path));
        var modelFileName = BundleNames.Check(Path.GetFileName(reportedPath), "model file", reportLocation);
        if (!reportedPath.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(modelPath))
        {
            throw new CompressionException(DiagnosticCodes.DeployInputMissing, new SourceLocation(reportLocation.File, Element: $"{model.Name}/{variant.Name}"),
                $"the report lists '{variant.Path}' for {model.Name}/{variant.Name}, but there is no such file in {root}; run 'dotnet compress run' again");
        }

        var loaded = OnnxModelFile.LoadWithExternalData(modelPath);
        var precision = ModelPrecisionDetector.Detect(loaded.Model, variant.Passes);
        var target = request.Target;
        var warnings = new List<Diagnostic>();
        if (precision.Precision == ModelPrecision.Int8 && target.HasGpu && !target.Int8)
        {
            var fp16 = model.Variants.FirstOrDefault(v => v.Name != variant.Name && v.Name.Contains("fp16", StringComparison.OrdinalIgnoreCase))?.Name;
            warnings.Add(Diagnostic.Warning(DiagnosticCodes.Int8OnGpuWithoutInt8, new SourceLocation(modelPath, Element: $"{model.Name}/{variant.Name}"),
                $"{model.Name}/{variant.Name} is int8 ({precision.Evidence}), but TensorRT on {target.Name} ({target.CudaArchitecture ?? "its GPU"}) has no int8: "
                + $"deploy an fp16 variant{(fp16 is null ? string.Empty : $" such as '{fp16}'")} to the GPU (about 2x fp32 there); int8 stays valid on its CPUs with ONNX Runtime's CPU provider, which is what measure.sh uses"));
        }

        var opset = loaded.Model.OpsetImport.Where(o => o.Domain is "" or "ai.onnx").Select(o => (long?)o.Version).Max();
        if (target.MaxTensorRtOpset is { } maxOpset && opset > maxOpset)
        {
            warnings.Add(Diagnostic.Warning(DiagnosticCodes.OpsetAboveTensorRtParser, new SourceLocation(modelPath, Element: $"{model.Name}/{variant.Name}"),
                $"{model.Name}/{variant.Name} uses ONNX opset {opset}, but the ONNX parser of TensorRT {string.Join(" and ", target.TensorRtVersions)} on {target.Name} reads opsets up to {maxOpset}: "
                + $"build-engine.sh will fail to parse it; export the model at opset {maxOpset} or lower (the CPU path with ONNX Runtime is not affected)"));
        }

        var entry = manifest.Models.FirstOrDefault(m => m.Name == model.Name);
        var dataset = entry?.Dataset is { } datasetName && manifest.Datasets.TryGetValue(datasetName, out var d) ? d : null;
        var descriptor = new DeploymentDescriptor
        {
            Tool = report.Tool.Name,
            ToolVersion = report.Tool.Version,
            Target = Describe(target),
            Model = model.Name,
            Variant = variant.Name,
            ModelFile = modelFileName,
            Precision = precision.Name,
            PrecisionEvidence = precision.Evidence,
            EnginePrecision = EnginePrecision(target, precision.Precision),
            Inputs = Tensors(loaded.Model.Graph, inputs: true),
            Outputs = Tensors(loaded.Model.Graph, inputs: false),
            Preprocessing = dataset is null ? null : Preprocess(dataset),
            Labels = Labels(dataset, entry),
            Host = Host(report, variant),
            Measure = MeasureSettings(manifest, entry, target),
            Files = [],
            Warnings = warnings.Count > 0 ? warnings.Select(w => w.Message).ToArray() : null,
        };

        var staging = Path.Combine(layout.TargetFolder, $".{layout.BundleName}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(staging);
            File.Copy(modelPath, Path.Combine(staging, modelFileName));
            foreach (var external in loaded.ExternalDataFiles)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var relative = BundleNames.CheckRelativePath(external.Location, SourceLocation.InFile(modelPath));
                var destination = Path.Combine(staging, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                File.Copy(Path.Combine(Path.GetDirectoryName(modelPath)!, external.Location), destination, overwrite: true);
            }

            var hasEngineScript = target.HasGpu;
            if (hasEngineScript)
            {
                WriteText(staging, BuildEngineScript.FileName, BuildEngineScript.Render(descriptor));
            }

            WriteText(staging, MeasureScript.FileName, MeasureScript.Render(descriptor));
            WriteText(staging, BundleReadme.FileName, BundleReadme.Render(descriptor, hasEngineScript));
            descriptor = descriptor with { Files = HashFiles(staging, cancellationToken) };
            WriteText(staging, DeploymentDescriptor.FileName, DeploymentJson.Serialize(descriptor));
            var descriptorPath = Path.Combine(staging, DeploymentDescriptor.FileName);
            var everyFile = descriptor.Files
                .Append(new BundleFile(DeploymentDescriptor.FileName, new FileInfo(descriptorPath).Length, Sha256(descriptorPath)))
                .OrderBy(f => f.Path, StringComparer.Ordinal);
            WriteText(staging, ChecksumsFileName, Checksums(everyFile));

            Replace(staging, layout.Folder);
            AtomicFile.Write(layout.ArchivePath, stream => DeterministicTarGz.Write(layout.Folder, layout.BundleName, stream, IsExecutable, cancellationToken), archivePartlyWritten);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CompressionException(DiagnosticCodes.BundleWriteFailed, SourceLocation.InFile(layout.Folder), $"the bundle could not be written: {ex.Message}", ex);
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }

        return new BundleResult(layout.Folder, layout.ArchivePath, descriptor, warnings);
    }

    /// <summary>Scripts are the only executable files of a bundle.</summary>
    public static bool IsExecutable(string relativePath) => relativePath.EndsWith(".sh", StringComparison.Ordinal);

    /// <summary>SHA-256 (lowercase hex) of a file, streamed.</summary>
    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static (ModelReport Model, VariantReport Variant) Find(CompressionReport report, BundleRequest request, SourceLocation location)
    {
        var model = report.Models.FirstOrDefault(m => m.Name == request.Model)
            ?? throw new CompressionException(DiagnosticCodes.DeployVariantNotFound, location with { Element = request.Model },
                $"the report has no model '{request.Model}' (models: {string.Join(", ", report.Models.Select(m => m.Name))})");
        var variant = model.Variants.FirstOrDefault(v => v.Name == request.Variant)
            ?? throw new CompressionException(DiagnosticCodes.DeployVariantNotFound, location with { Element = $"{request.Model}/{request.Variant}" },
                $"the report has no variant '{request.Variant}' of model '{model.Name}' (variants: {string.Join(", ", model.Variants.Select(v => v.Name))}); run it first or fix the name");
        return (model, variant);
    }

    private static string? EnginePrecision(TargetProfile target, ModelPrecision precision)
    {
        if (!target.HasGpu || (precision == ModelPrecision.Int8 && !target.Int8))
        {
            return null;
        }

        // The engine keeps the model's precision: the fp32 reference is built in fp32 (asking TensorRT for fp16 there
        // would measure an fp16 engine under the baseline's name), an fp16 variant in fp16.
        return precision switch
        {
            ModelPrecision.Int8 => "int8",
            ModelPrecision.Fp16 when target.Fp16 => "fp16",
            _ => "fp32",
        };
    }

    private static TargetDescription Describe(TargetProfile t) => new()
    {
        Name = t.Name,
        Description = t.Description,
        Architecture = t.Architecture,
        Cpu = t.Cpu,
        Gpu = t.Gpu,
        CudaArchitecture = t.CudaArchitecture,
        MemoryBytes = t.MemoryBytes,
        SharedMemory = t.SharedMemory,
        ExecutionProviders = t.ExecutionProviders.Select(p => Measurement.ExecutionProviderNames.ToManifestName(p)).ToArray(),
        GpuPrecisions = t.GpuPrecisions,
        CpuPrecisions = t.CpuPrecisions,
        StackVersions = t.StackVersions.Count > 0 ? new SortedDictionary<string, string>(t.StackVersions.ToDictionary(), StringComparer.Ordinal) : null,
        TensorRtVersions = t.TensorRtVersions.Count > 0 ? t.TensorRtVersions : null,
        MaxTensorRtOpset = t.MaxTensorRtOpset,
        PowerRails = t.PowerRails.Count > 0 ? t.PowerRails.Select(r => $"{r.I2cAddress}/{r.Channel} {r.Name}").ToArray() : null,
    };

    private static TensorDescription[] Tensors(GraphProto graph, bool inputs)
    {
        var initializers = graph.Initializer.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        var values = inputs ? graph.Input.Where(i => !initializers.Contains(i.Name)) : graph.Output;
        return values.Select(v =>
        {
            var tensor = v.Type?.TensorType;
            var shape = tensor?.Shape?.Dim.Select(dim => dim.ValueCase switch
            {
                TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue => dim.DimValue.ToString(CultureInfo.InvariantCulture),
                TensorShapeProto.Types.Dimension.ValueOneofCase.DimParam => dim.DimParam,
                _ => "?",
            }).ToArray() ?? [];
            return new TensorDescription(v.Name, ElementTypeName(tensor?.ElemType ?? 0), shape);
        }).ToArray();
    }

    private static string ElementTypeName(int type) => (TensorProto.Types.DataType)type switch
    {
        TensorProto.Types.DataType.Float => "float32",
        TensorProto.Types.DataType.Float16 => "float16",
        TensorProto.Types.DataType.Double => "float64",
        TensorProto.Types.DataType.Bfloat16 => "bfloat16",
        TensorProto.Types.DataType.Int8 => "int8",
        TensorProto.Types.DataType.Uint8 => "uint8",
        TensorProto.Types.DataType.Int16 => "int16",
        TensorProto.Types.DataType.Uint16 => "uint16",
        TensorProto.Types.DataType.Int32 => "int32",
        TensorProto.Types.DataType.Uint32 => "uint32",
        TensorProto.Types.DataType.Int64 => "int64",
        TensorProto.Types.DataType.Uint64 => "uint64",
        TensorProto.Types.DataType.Bool => "bool",
        TensorProto.Types.DataType.String => "string",
        var other => other.ToString().ToLowerInvariant(),
    };

    private static PreprocessDescription Preprocess(DatasetDefinition dataset)
    {
        var p = dataset.Preprocess;
        IReadOnlyList<int>? resize = p.Resize is { Height: { } h, Width: { } w } ? [h, w] : p.Resize?.ShorterSide is { } side ? [side] : null;
        return new PreprocessDescription(dataset.Name, p.ColorMode.ToString().ToLowerInvariant(), resize, p.CenterCrop, p.Scale, p.Mean, p.Std, p.Layout.ToString().ToUpperInvariant());
    }

    private static IReadOnlyList<string>? Labels(DatasetDefinition? dataset, ModelEntry? entry)
    {
        if (dataset?.ClassNames is { Count: > 0 } names)
        {
            return names;
        }

        if (entry?.LabelMap is { Count: > 0 } map)
        {
            return map.OrderBy(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key).ToArray();
        }

        return dataset is { Format: DatasetFormat.ImageFolder, LabelsPath: null } ? ClassFolders(dataset.Path) : null;
    }

    /// <summary>
    /// The classes of an image folder as evaluation numbers them: numeric folder names are the class index, other
    /// names count in ordinal order. Null when the folder has no class subfolders or the numbers leave gaps.
    /// </summary>
    private static IReadOnlyList<string>? ClassFolders(string root)
    {
        if (!Directory.Exists(root))
        {
            return null;
        }

        var names = Directory.GetDirectories(root).Select(d => Path.GetFileName(d)!).Order(StringComparer.Ordinal).ToArray();
        if (names.Length == 0)
        {
            return null;
        }

        if (!names.All(n => int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            return names;
        }

        var byIndex = names.OrderBy(n => int.Parse(n, NumberStyles.None, CultureInfo.InvariantCulture)).ToArray();
        return byIndex.Select((n, i) => int.Parse(n, NumberStyles.None, CultureInfo.InvariantCulture) == i).All(x => x) ? byIndex : null;
    }

    private static HostResults? Host(CompressionReport report, VariantReport variant)
    {
        if (variant.Accuracy is null && variant.LatencyMs is null)
        {
            return null;
        }

        return new HostResults
        {
            Top1 = variant.Accuracy?.Top1,
            Top5 = variant.Accuracy?.Top5,
            Samples = variant.Accuracy?.Samples,
            LatencyMeanMs = variant.LatencyMs?.Mean,
            LatencyMedianMs = variant.LatencyMs?.Median,
            LatencyP90Ms = variant.LatencyMs?.P90,
            ExecutionProvider = variant.LatencyMs?.ExecutionProvider,
            Cpu = report.Environment.Cpu,
            Os = report.Environment.Os,
            OnnxRuntimeVersion = report.Environment.OnnxRuntimeVersion,
        };
    }

    private static DeviceMeasureSettings MeasureSettings(CompressionManifest manifest, ModelEntry? entry, TargetProfile target)
    {
        var m = manifest.Measure;
        return new DeviceMeasureSettings
        {
            Confidence = m.Latency.Confidence,
            MaxRelativeHalfWidth = m.Latency.MaxRelativeHalfWidth,
            WarmupRuns = m.Latency.WarmupRuns,
            MinRuns = m.Latency.MinRuns,
            MaxRuns = m.Latency.MaxRuns,
            TimeBudgetSeconds = m.Latency.TimeBudgetSeconds,
            // The host's NVML or RAPL choice means nothing on a board; its own monitor is found by "auto".
            EnergySensor = (m.Energy.Sensor is EnergySensorKind.None or EnergySensorKind.JetsonIna3221 ? m.Energy.Sensor : EnergySensorKind.Auto).ToManifestName(),
            // A board's INA3221 is read over I²C and its value changes about every 0.42 s: the host's rate (1 kHz by
            // default, for RAPL and NVML) only repeats readings there, so it is capped at the sensor's rate.
            EnergySampleHz = target.PowerRails.Count > 0 ? Math.Min(m.Energy.SampleRateHz, Ina3221Timing.SampleHz) : m.Energy.SampleRateHz,
            IntraOpThreads = m.IntraOpThreads,
            InputShapes = entry is { InputShapes.Count: > 0 } ? entry.InputShapes : null,
        };
    }

    private static void WriteText(string folder, string name, string content) =>
        File.WriteAllText(Path.Combine(folder, name), content, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));

    private static BundleFile[] HashFiles(string folder, CancellationToken cancellationToken) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => (Full: f, Relative: Path.GetRelativePath(folder, f).Replace('\\', '/')))
            .Where(f => f.Relative is not DeploymentDescriptor.FileName and not ChecksumsFileName)
            .OrderBy(f => f.Relative, StringComparer.Ordinal)
            .Select(f =>
            {
                cancellationToken.ThrowIfCancellationRequested();
                return new BundleFile(f.Relative, new FileInfo(f.Full).Length, Sha256(f.Full));
            })
            .ToArray();

    private static string Checksums(IEnumerable<BundleFile> files)
    {
        var s = new StringBuilder();
        foreach (var file in files)
        {
            // sha256sum's text format: hash, two spaces, name.
            s.Append(file.Sha256).Append("  ").Append(file.Path).Append('\n');
        }

        return s.ToString();
    }

    private static void Replace(string staging, string folder)
    {
        if (Directory.Exists(folder))
        {
            var old = folder + $".old-{Guid.NewGuid():N}";
            Directory.Move(folder, old);
            Directory.Move(staging, folder);
            Directory.Delete(old, recursive: true);
        }
        else
        {
            Directory.Move(staging, folder);
        }
    }
}
