using CompressionTasks.Statistics;
using CompressionTasks.Vocabularies;

namespace CompressionTasks.Measurement;

/// <summary>report.json spellings of <see cref="SpeedupVerdict"/> (<c>speedup.verdict</c>).</summary>
public static class SpeedupVerdictNames
{
    public static Vocabulary<SpeedupVerdict> Vocabulary { get; } = new(
    [
        new(SpeedupVerdict.Faster, "faster"),
        new(SpeedupVerdict.Slower, "slower"),
        new(SpeedupVerdict.Indistinguishable, "indistinguishable"),
    ]);

    public static string ToReportName(this SpeedupVerdict verdict) => Vocabulary.NameOf(verdict);
}
