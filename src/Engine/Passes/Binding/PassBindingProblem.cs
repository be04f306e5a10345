using CompressionTasks.Diagnostics;

namespace CompressionTasks.Passes.Binding;

/// <summary>
/// A problem found while binding a pass: placed at <see cref="Option"/>'s value in the manifest (at its
/// <see cref="Item"/>-th entry for a list), or at the pass's name when <see cref="Option"/> is null or the manifest
/// left the option to its default.
/// </summary>
public sealed record PassBindingProblem(DiagnosticCode Code, string Message)
{
    public string? Option { get; init; }

    public int? Item { get; init; }
}
