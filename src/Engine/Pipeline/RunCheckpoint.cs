namespace CompressionTasks.Pipeline;

/// <summary>
/// Points inside a run before publishing (<see cref="RunOptions.OnCheckpoint"/>): after each stage of a model, and in the
/// middle of writing a file into the staging folder. Each is reported every time it is reached (per model, per variant).
/// A run stopped at any of them, however it stops, leaves the output folder as the previous run left it; the next run
/// removes the staging folder and its half-written files.
/// </summary>
public enum RunCheckpoint
{
    /// <summary>A model is loaded and fingerprinted, and its reuse decided.</summary>
    ModelPrepared,

    /// <summary>Part of a compressed variant's model file is written to its temporary file in the staging folder; the rest is not.</summary>
    ModelPartlyWritten,

    /// <summary>A compressed variant's model file is complete in the staging folder, before it is evaluated.</summary>
    VariantBuilt,

    /// <summary>A variant (the baseline included) has passed its evaluation step: evaluated on the dataset, or none to evaluate on.</summary>
    VariantEvaluated,

    /// <summary>A model's variants are measured (or measuring is off) and judged by its gates.</summary>
    ModelJudged,

    /// <summary>A freshly built model's result cache entry is written to the staging folder.</summary>
    ResultCached,

    /// <summary>Half of report.json is written to its temporary file in the staging folder.</summary>
    ReportPartlyWritten,

    /// <summary>Part of a deploy bundle's .tar.gz is written to its temporary file in the staging folder.</summary>
    BundlePartlyWritten,
}
