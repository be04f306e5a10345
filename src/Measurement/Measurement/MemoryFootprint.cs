namespace CompressionTasks.Measurement;

/// <summary>
/// Memory used while measuring a model. The working-set figures are of the whole measuring process (runtime, managed
/// heap, ORT and the model together), not of the model alone: <see cref="PeakWorkingSetBytes"/> is the process's peak
/// resident set (Linux VmHWM) during the measured session, and <see cref="PeakDeltaBytes"/> its growth over the
/// resident set just before the model was loaded, the closest process-level figure for what loading and running the
/// model cost. The peak is only specific to this session when <see cref="PeakWasReset"/> (Linux clears VmHWM through
/// /proc/self/clear_refs); otherwise it is the process's lifetime peak. <see cref="InitializerBytes"/> is the size of
/// the model's weights; <see cref="ArenaBytes"/> is ORT's CPU arena size when ORT reports it, else null with
/// <see cref="ArenaUnavailable"/> saying why.
/// </summary>
public sealed record MemoryFootprint(
    long PeakWorkingSetBytes,
    long BaselineWorkingSetBytes,
    bool PeakWasReset,
    long InitializerBytes,
    long? ArenaBytes,
    string? ArenaUnavailable)
{
    public long PeakDeltaBytes => Math.Max(0, PeakWorkingSetBytes - BaselineWorkingSetBytes);
}
