using System.Globalization;

namespace CompressionTasks.Energy;

/// <summary>Reads one integer or text attribute of a sysfs-style file (trailing newline trimmed).</summary>
internal static class SysfsValue
{
    public static double ReadNumber(string path)
    {
        var text = File.ReadAllText(path).Trim();
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            throw new FormatException($"{path} holds '{text}', not a number");
        }

        return value;
    }

    public static string? ReadText(string path) => File.Exists(path) ? File.ReadAllText(path).Trim() : null;
}
