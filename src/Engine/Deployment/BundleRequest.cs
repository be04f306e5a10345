using CompressionTasks.Manifest;

namespace CompressionTasks.Deployment;

/// <summary>One bundle to write: a model's variant (as named in the report) for a target profile.</summary>
public sealed record BundleRequest(TargetProfile Target, string Model, string Variant);
