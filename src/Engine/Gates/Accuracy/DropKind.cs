namespace CompressionTasks.Gates.Accuracy;

/// <summary>How a gate's <c>maxDrop</c> is measured.</summary>
public enum DropKind
{
    /// <summary>Percentage points: <c>baseline − variant</c>.</summary>
    Absolute,

    /// <summary>Percent of the baseline value: <c>100 · (baseline − variant) / baseline</c>.</summary>
    Relative,
}
