namespace CompressionTasks.Manifest.Init;

/// <summary>What a found dataset is for, guessed from its name (<c>test</c>, <c>calib</c>, <c>train</c>, ...).</summary>
public enum DatasetRole
{
    Unknown,
    Evaluation,
    Calibration,
    Training,
}
