namespace CompressionTasks.Passes.FineTuning;

/// <summary>
/// Per-sample augmentation of an NCHW batch in place: a random shift within zero padding (the "random crop with
/// padding" of CIFAR training) and an optional horizontal flip.
/// </summary>
internal sealed class BatchAugmenter(int cropPadding, bool flip, Random random)
{
    public bool IsActive => cropPadding > 0 || flip;

    public void Apply(float[] batch, int count, IReadOnlyList<int> sampleShape)
    {
        if (!IsActive || sampleShape.Count != 3)
        {
            return;
        }

        var (channels, height, width) = (sampleShape[0], sampleShape[1], sampleShape[2]);
        var plane = height * width;
        var scratch = new float[plane];
        for (var n = 0; n < count; n++)
        {
            var dy = cropPadding > 0 ? random.Next(-cropPadding, cropPadding + 1) : 0;
            var dx = cropPadding > 0 ? random.Next(-cropPadding, cropPadding + 1) : 0;
            var mirror = flip && random.Next(2) == 1;
            for (var c = 0; c < channels; c++)
            {
                var image = batch.AsSpan(((n * channels) + c) * plane, plane);
                image.CopyTo(scratch);
                for (var y = 0; y < height; y++)
                {
                    var sy = y + dy;
                    for (var x = 0; x < width; x++)
                    {
                        var sx = (mirror ? width - 1 - x : x) + dx;
                        image[(y * width) + x] = sy >= 0 && sy < height && sx >= 0 && sx < width ? scratch[(sy * width) + sx] : 0f;
                    }
                }
            }
        }
    }
}
