namespace CompressionTasks.Evaluation;

/// <summary>
/// Manifest <c>preprocess.resize</c>: either an exact <c>[h, w]</c> or <c>shorterSide: N</c>. With a shorter side the
/// longer side becomes <c>(int)(N * longer / shorter)</c> (truncated, as torchvision's <c>Resize(int)</c> does).
/// </summary>
public sealed record ResizeOptions
{
    private ResizeOptions(int height, int width, int shorterSide)
    {
        Height = height;
        Width = width;
        ShorterSide = shorterSide;
    }

    /// <summary>Exact output height, or 0 for a shorter-side resize.</summary>
    public int Height { get; }

    /// <summary>Exact output width, or 0 for a shorter-side resize.</summary>
    public int Width { get; }

    /// <summary>Target length of the shorter side, or 0 for an exact resize.</summary>
    public int ShorterSide { get; }

    public static ResizeOptions Exact(int height, int width) => new(height, width, 0);

    public static ResizeOptions Shorter(int shorterSide) => new(0, 0, shorterSide);

    /// <summary>The output size for an input of <paramref name="height"/> × <paramref name="width"/>.</summary>
    public (int Height, int Width) OutputSize(int height, int width)
    {
        if (ShorterSide == 0)
        {
            return (Height, Width);
        }

        return height <= width
            ? (ShorterSide, (int)(ShorterSide * (double)width / height))
            : ((int)(ShorterSide * (double)height / width), ShorterSide);
    }
}
