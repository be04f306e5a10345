namespace CompressionTasks.Measurement;

/// <summary>One native library a provider needs: a readable description and the sonames that satisfy it.</summary>
public sealed record NativeLibraryRequirement(string Description, IReadOnlyList<string> Candidates);
