using CompressionTasks.Diagnostics;

namespace CompressionTasks.Manifest;

/// <summary>
/// One pass of a variant, its options checked against the pass catalogue and typed: <see cref="bool"/>,
/// <see cref="long"/>, <see cref="double"/>, <see cref="string"/>, <c>IReadOnlyList&lt;string&gt;</c> or
/// <c>IReadOnlyList&lt;double&gt;</c>. Options left out that have a default in the catalogue hold that default.
/// </summary>
public sealed record PassInvocation(string Name, IReadOnlyDictionary<string, object?> Options, SourceLocation Location);
