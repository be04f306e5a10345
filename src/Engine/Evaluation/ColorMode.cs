namespace CompressionTasks.Evaluation;

/// <summary>Channel order of decoded images (manifest <c>preprocess.colorMode</c>).</summary>
public enum ColorMode
{
    Rgb,
    Bgr,

    /// <summary>One channel: ITU-R BT.601 luma of the 8-bit RGB values, see <c>ColorConverter</c>.</summary>
    Grayscale,
}
