namespace CompressionTasks.Gates.Accuracy;

/// <summary>
/// The verdict of one gate on one variant (report.json <c>gates[]</c>). <paramref name="Observed"/> and
/// <paramref name="Threshold"/> are in the gate's unit (percentage points, or percent for a relative drop).
/// </summary>
public sealed record GateResult(string Name, bool Passed, double Observed, double Threshold, string? Detail);
