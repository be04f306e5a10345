using CompressionTasks.Deployment.Contracts;
using CompressionTasks.Diagnostics;

namespace CompressionTasks.Deployment;

/// <summary>A written bundle: its folder, its archive, the deployment.json it holds, and warnings (CMP6002).</summary>
public sealed record BundleResult(string Folder, string ArchivePath, DeploymentDescriptor Descriptor, IReadOnlyList<Diagnostic> Warnings);
