namespace CompressionTasks.Deployment.Contracts;

/// <summary>One file of a bundle: path relative to the bundle folder (forward slashes), size and SHA-256 (lowercase hex).</summary>
public sealed record BundleFile(string Path, long SizeBytes, string Sha256);
