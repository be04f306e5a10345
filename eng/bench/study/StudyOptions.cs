namespace CompressionTasks.Bench.Study;

/// <summary>What one reproduction run covers and where it reads and writes.</summary>
public sealed record StudyOptions
{
    /// <summary>The repository checkout (holds models/, data/ and eng/).</summary>
    public required string RepositoryRoot { get; init; }

    /// <summary>Folder for manifests, compressed models, reports and the result tables (git-ignored eng/bench/out/study by default).</summary>
    public required string OutputFolder { get; init; }

    /// <summary>The built <c>dotnet-compress.dll</c>; every model is compressed by running it as a child process.</summary>
    public required string ToolPath { get; init; }

    /// <summary>Folder of the torchvision exports (eng/fixtures/export_torchvision.py); ignored in quick mode.</summary>
    public string? TorchvisionFolder { get; init; }

    /// <summary>Digits fixtures only, short latency budgets, one repetition of the tool timings.</summary>
    public bool Quick { get; init; }

    /// <summary>ONNX Runtime intra-op threads for every measurement (inter-op is always 1).</summary>
    public int Threads { get; init; } = 1;

    /// <summary>Render the tables and figure again from an earlier run's reports and measurements, without running anything.</summary>
    public bool RenderOnly { get; init; }

    /// <summary>Also write the figure here (docs/figures/…), besides the output folder.</summary>
    public string? FigurePath { get; init; }
}
