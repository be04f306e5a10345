namespace CompressionTasks.Training.Operators;

/// <summary>The sizes of one 2-D convolution: input, kernel and output extents, and the im2col matrix they give.</summary>
internal readonly record struct ConvGeometry(
    int Batch, int Channels, int Height, int Width, int OutChannels, int KernelHeight, int KernelWidth, int OutHeight, int OutWidth, int PatchRows, int Columns);
