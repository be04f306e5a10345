namespace CompressionTasks.Deployment.Contracts;

/// <summary>A graph input or output: its name, element type (<c>float32</c>) and dims (a number, or a symbol name).</summary>
public sealed record TensorDescription(string Name, string ElementType, IReadOnlyList<string> Shape);
