using System.Text;

namespace CompressionTasks.Manifest.Init;

/// <summary>Names and roles for found datasets, from their folder and file names.</summary>
internal static class DatasetNaming
{
    private static readonly string[] EvaluationWords = ["test", "val", "valid", "validation", "eval", "holdout", "dev"];
    private static readonly string[] CalibrationWords = ["calib", "calibration", "cal"];
    private static readonly string[] TrainingWords = ["train", "training"];

    public static DatasetRole RoleOf(string name)
    {
        var words = Words(name);
        return words.Any(w => CalibrationWords.Contains(w)) ? DatasetRole.Calibration
            : words.Any(w => EvaluationWords.Contains(w)) ? DatasetRole.Evaluation
            : words.Any(w => TrainingWords.Contains(w)) ? DatasetRole.Training
            : DatasetRole.Unknown;
    }

    /// <summary>
    /// "test" alone says little in a manifest with several sets, so a bare role word takes its parent folder's name
    /// first: data/digits/test becomes <c>digits-test</c>.
    /// </summary>
    public static string NameOf(string stem, string? parentFolderName)
    {
        var name = Sanitize(stem);
        if (RoleOf(stem) != DatasetRole.Unknown && Words(stem).Length == 1 && parentFolderName is { } parent && Sanitize(parent) is { Length: > 0 } prefix && prefix != "data")
        {
            name = prefix + "-" + name;
        }

        return name.Length == 0 ? "data" : name;
    }

    public static string Unique(string name, string suffix, ISet<string> taken)
    {
        var candidate = taken.Contains(name) ? name + "-" + suffix : name;
        for (var i = 2; taken.Contains(candidate); i++)
        {
            candidate = $"{name}-{suffix}{i}";
        }

        taken.Add(candidate);
        return candidate;
    }

    private static string[] Words(string name) =>
        name.ToLowerInvariant().Split(['-', '_', '.', ' '], StringSplitOptions.RemoveEmptyEntries);

    private static string Sanitize(string text)
    {
        var name = new StringBuilder();
        foreach (var c in text.ToLowerInvariant())
        {
            name.Append(char.IsAsciiLetterOrDigit(c) ? c : '-');
        }

        return name.ToString().Trim('-');
    }
}
