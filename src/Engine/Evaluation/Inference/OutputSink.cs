namespace CompressionTasks.Evaluation.Inference;

/// <summary>Receives a batch's outputs, <paramref name="perSample"/> floats per sample back to back, valid only during the call.</summary>
internal delegate void OutputSink(ReadOnlySpan<float> outputs, int perSample);
