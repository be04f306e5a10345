using CompressionTasks.Diagnostics;

namespace CompressionTasks.Deployment;

/// <summary>The bundles a deployment wrote, and its warnings (CMP6002) for the shells to print.</summary>
public sealed record DeploymentResult(IReadOnlyList<BundleResult> Bundles, IReadOnlyList<Diagnostic> Diagnostics);
