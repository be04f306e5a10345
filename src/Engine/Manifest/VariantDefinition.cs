using CompressionTasks.Diagnostics;

namespace CompressionTasks.Manifest;

/// <summary>A named list of passes applied in order to a model.</summary>
public sealed record VariantDefinition(string Name, string? Description, IReadOnlyList<PassInvocation> Passes, SourceLocation Location);
