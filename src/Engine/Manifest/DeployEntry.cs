using CompressionTasks.Diagnostics;

namespace CompressionTasks.Manifest;

/// <summary>Variants to bundle for a target; null lists mean "all".</summary>
public sealed record DeployEntry(TargetProfile Target, IReadOnlyList<string>? Variants, IReadOnlyList<string>? Models, SourceLocation Location);
