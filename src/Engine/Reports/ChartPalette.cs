namespace CompressionTasks.Reports;

/// <summary>
/// The Okabe–Ito palette (Okabe &amp; Ito, "Color Universal Design", 2008): eight colours distinguishable with the
/// common forms of colour blindness. Yellow comes last because it has little contrast on white.
/// </summary>
internal static class ChartPalette
{
    private static readonly string[] Colours = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#F0E442"];

    public const string Other = "#999999";

    public const string Axis = "#444444";

    public const string Grid = "#dddddd";

    public static string Colour(int index) => Colours[index % Colours.Length];

    public static int Count => Colours.Length;
}
