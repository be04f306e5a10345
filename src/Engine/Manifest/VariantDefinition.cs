using CompressionTasks.Diagnostics;
using CompressionTasks.Passes.Binding;

namespace CompressionTasks.Manifest;

/// <summary>A named list of passes applied in order to a model, each bound into its typed options when the manifest loaded.</summary>
public sealed record VariantDefinition(string Name, string? Description, IReadOnlyList<BoundPass> Passes, SourceLocation Location);
