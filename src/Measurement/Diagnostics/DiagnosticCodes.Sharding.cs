namespace CompressionTasks.Diagnostics;

public static partial class DiagnosticCodes
{
    /// <summary><c>--shard</c> is not <c>I/N</c> with 1 ≤ I ≤ N, or <c>--shards</c> is below 1.</summary>
    public static readonly DiagnosticCode InvalidShard = new(1950, "Invalid shard");

    /// <summary><c>--job</c> names a job that the plan of this manifest does not contain.</summary>
    public static readonly DiagnosticCode UnknownJob = new(1951, "Unknown job");

    /// <summary>A report given to <c>report --merge</c> was not written by <c>run --shard</c> or <c>run --job</c>.</summary>
    public static readonly DiagnosticCode NotAPartialReport = new(1952, "Not a partial report");

    /// <summary>The partial reports come from different manifests (their plans differ).</summary>
    public static readonly DiagnosticCode PartialReportsDisagree = new(1953, "Partial reports disagree");

    /// <summary>Two partial reports contain the same job.</summary>
    public static readonly DiagnosticCode DuplicateJob = new(1954, "Job in two partial reports");

    /// <summary>Some shards (or jobs) of the plan have no partial report among those given to <c>report --merge</c>.</summary>
    public static readonly DiagnosticCode MissingShards = new(1955, "Shards missing");

    /// <summary>A model file named by a partial report is missing or is not the file the shard wrote (size or SHA-256 differ).</summary>
    public static readonly DiagnosticCode ShardModelMismatch = new(1956, "Shard model file missing or changed");
}
