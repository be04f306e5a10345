using System.Globalization;
using System.Text.RegularExpressions;
using CompressionTasks.Diagnostics;

namespace CompressionTasks.Hardening.Tests.Fuzzing;

/// <summary>
/// Runs fuzz cases and classifies each outcome. Accepted: the target returns, or throws a
/// <see cref="CompressionException"/> whose every code is documented in docs/errors.md and is not an internal
/// (9xxx, exit code 3) error. Anything else (another exception, an undocumented code, a case that does not finish in
/// <see cref="CaseTimeout"/>) is a finding: its input is saved under <see cref="FindingsFolder"/> so it can be
/// committed as a regression case.
/// </summary>
internal static partial class FuzzHarness
{
    /// <summary>Per-case limit: generous for a shared 2-core machine, yet it catches loops and runaway work.</summary>
    public static readonly TimeSpan CaseTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// <c>CMP_FUZZ_CASES</c> sets the number of cases per target (nightly: eng/fuzz/fuzz.sh); <c>CMP_FUZZ_SEED</c> the
    /// first seed. The suite's default is fixed so that every run checks the same cases.
    /// </summary>
    public static int Cases(int defaultCases) =>
        int.TryParse(Environment.GetEnvironmentVariable("CMP_FUZZ_CASES"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : defaultCases;

    public static int Seed(int defaultSeed) =>
        int.TryParse(Environment.GetEnvironmentVariable("CMP_FUZZ_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : defaultSeed;

    public static string FindingsFolder { get; } =
        Environment.GetEnvironmentVariable("CMP_FUZZ_FINDINGS") is { Length: > 0 } folder
            ? folder
            : Path.Combine(Path.GetTempPath(), "cmp-fuzz-findings");

    public static IReadOnlySet<string> DocumentedCodes { get; } = ReadDocumentedCodes();

    /// <summary>Runs <paramref name="target"/> on <paramref name="input"/>; returns null when accepted, else what went wrong.</summary>
    public static string? RunCase(byte[] input, Action<byte[]> target)
    {
        var task = Task.Run(() => target(input));
        try
        {
            if (!task.Wait(CaseTimeout))
            {
                return $"did not finish in {CaseTimeout.TotalSeconds:0} s";
            }

            return null;
        }
        catch (AggregateException aggregate) when (aggregate.InnerException is { } ex)
        {
            return Classify(ex);
        }
    }

    public static string? Classify(Exception ex)
    {
        if (ex is not CompressionException compression)
        {
            return $"{ex.GetType().FullName}: {ex.Message}\n{ex.StackTrace}";
        }

        foreach (var diagnostic in compression.Diagnostics)
        {
            if (!DocumentedCodes.Contains(diagnostic.Code.Id))
            {
                return $"undocumented code {diagnostic.Code.Id}: {diagnostic}";
            }

            if (diagnostic.Code.ExitCode == ExitCodes.InternalError)
            {
                return $"internal error (exit code 3): {diagnostic}";
            }
        }

        return null;
    }

    /// <summary>Saves a finding's input for a regression case; returns the saved path.</summary>
    public static string Save(string target, int seed, int index, byte[] input, string extension)
    {
        Directory.CreateDirectory(FindingsFolder);
        var path = Path.Combine(FindingsFolder, $"{target}-{seed}-{index}{extension}");
        File.WriteAllBytes(path, input);
        return path;
    }

    private static HashSet<string> ReadDocumentedCodes()
    {
        var text = File.ReadAllText(Repository.Path("docs", "errors.md"));
        return CodeRow().Matches(text).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
    }

    [GeneratedRegex(@"^\|\s*(CMP\d{4})\s*\|", RegexOptions.Multiline)]
    private static partial Regex CodeRow();
}
