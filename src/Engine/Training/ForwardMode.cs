namespace CompressionTasks.Training;

/// <summary>How a forward pass runs: for training (batch statistics, saved state for backward) or for inference.</summary>
public enum ForwardMode
{
    Inference,
    Training,
}
