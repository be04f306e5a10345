namespace CompressionTasks.Passes.Binding;

/// <summary>
/// An options record that needs to tell an option the manifest spelled out from one left at its default (a sample
/// count that must be met when asked for, but only bounds what is read when defaulted). Binding fills in
/// <see cref="Given"/>; a record created from code leaves it null.
/// </summary>
public interface IGivenPassOptions : IPassOptions
{
    /// <summary>The manifest keys bound from the manifest; null when the record was not bound from one.</summary>
    IReadOnlySet<string>? Given { get; init; }
}
