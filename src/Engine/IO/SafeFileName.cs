namespace CompressionTasks.IO;

/// <summary>
/// Names from a manifest (models, variants) become folder and file names under the output folder. Only names that are
/// one plain path segment on every OS are allowed, so no name can climb out (<c>..</c>), nest (<c>/</c>, <c>\</c>),
/// be absolute, or need quoting by a shell or Windows.
/// </summary>
public static class SafeFileName
{
    public const int MaxLength = 100;

    public const string Rule = "use letters, digits, '-', '_', '.' or '+' (at most 100 characters, not starting or ending with '.')";

    /// <summary>A leading dot is refused too: hidden names are kept for a run's own bookkeeping (staging folders, the result cache, the lock).</summary>
    public static bool IsValid(string name) =>
        name.Length is > 0 and <= MaxLength
        && !name.StartsWith('.')
        && !name.EndsWith('.')
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '+');
}
