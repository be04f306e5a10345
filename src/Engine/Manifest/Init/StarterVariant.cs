namespace CompressionTasks.Manifest.Init;

/// <summary>A variant <c>init</c> writes: its passes in flow YAML and the one-line reason for it.</summary>
/// <param name="Commented">Written as a commented example (it needs something the folder does not have).</param>
public sealed record StarterVariant(string Name, string Passes, string Why, bool Commented = false);
