namespace CompressionTasks.Deployment.TensorRt;

/// <summary>
/// The command-line flags trtexec accepts in the TensorRT versions JetPack 4.6.x ships: 8.0.1 (JetPack 4.6) and 8.2.1
/// (JetPack 4.6.1 and later), as parsed by <c>samples/common/sampleOptions.cpp</c> at the TensorRT OSS tags
/// <c>8.0.1</c> and <c>8.2.1</c>. trtexec rejects an unknown flag, so every flag the bundle's scripts and the runner pass
/// must be in both sets; later versions renamed some (<c>--workspace</c> became <c>--memPoolSize</c> in 8.4).
/// </summary>
public static class TrtexecFlags
{
    public static IReadOnlySet<string> TensorRt801 { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "--allowGPUFallback", "--avgRuns", "--avgTiming", "--batch", "--best", "--buildOnly", "--calib", "--deploy", "--device",
        "--dumpOutput", "--dumpProfile", "--dumpRefit", "--duration", "--explicitBatch", "--explicitPrecision", "--exportOutput",
        "--exportProfile", "--exportTimes", "--exposeDMA", "--fp16", "--help", "--inputIOFormats", "--int8", "--iterations",
        "--loadEngine", "--loadInputs", "--maxBatch", "--maxShapes", "--maxShapesCalib", "--minShapes", "--minShapesCalib",
        "--minTiming", "--model", "--noBuilderCache", "--noDataTransfers", "--noTF32", "--nvtxMode", "--onnx", "--optShapes",
        "--optShapesCalib", "--output", "--outputIOFormats", "--percentile", "--plugins", "--refit", "--safe", "--saveEngine",
        "--separateProfileRun", "--serialized", "--shapes", "--sleepTime", "--sparsity", "--streams", "--tacticSources", "--threads",
        "--timeDeserialize", "--timeRefit", "--timingCacheFile", "--uff", "--uffInput", "--uffNHWC", "--useCudaGraph",
        "--useDLACore", "--useSpinWait", "--verbose", "--warmUp", "--workspace",
    };

    /// <summary>8.0.1's flags plus those 8.2 added (<c>--consistency</c>, <c>--directIO</c>, <c>--dumpLayerInfo</c>, ...).</summary>
    public static IReadOnlySet<string> TensorRt821 { get; } = new HashSet<string>(TensorRt801, StringComparer.Ordinal)
    {
        "--consistency", "--directIO", "--dumpLayerInfo", "--exportLayerInfo", "--idleTime", "--precisionConstraints",
        "--profilingVerbosity", "--restricted", "--useManagedMemory",
    };

    /// <summary>The TensorRT versions of JetPack 4.6.x, oldest first, with their flag sets.</summary>
    public static IReadOnlyList<(string Version, IReadOnlySet<string> Flags)> JetPack46 { get; } =
    [
        ("8.0.1", TensorRt801),
        ("8.2.1", TensorRt821),
    ];

    /// <summary>The flag name of an argument: <c>--shapes=x:1x3</c> → <c>--shapes</c>; null for a non-flag.</summary>
    public static string? FlagName(string argument)
    {
        ArgumentNullException.ThrowIfNull(argument);
        if (!argument.StartsWith("--", StringComparison.Ordinal))
        {
            return null;
        }

        var equals = argument.IndexOf('=', StringComparison.Ordinal);
        return equals < 0 ? argument : argument[..equals];
    }

    /// <summary>Flags among <paramref name="arguments"/> that some JetPack 4.6.x trtexec does not know, with that version.</summary>
    public static IReadOnlyList<string> Unsupported(IEnumerable<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        return arguments.Select(FlagName).OfType<string>()
            .SelectMany(flag => JetPack46.Where(v => !v.Flags.Contains(flag)).Select(v => $"{flag} (TensorRT {v.Version})"))
            .Distinct(StringComparer.Ordinal)
            .ToArray();
    }
}
