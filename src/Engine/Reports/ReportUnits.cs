using System.Globalization;

namespace CompressionTasks.Reports;

/// <summary>
/// How every renderer prints numbers: invariant culture, fixed precision, binary size units, and one glyph for
/// "not measured" so that a missing section is never mistaken for a zero.
/// </summary>
internal static class ReportUnits
{
    public const string Missing = "—";

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Bytes(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double value = bytes;
        var unit = 0;
        while (Math.Abs(value) >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0
            ? string.Create(Invariant, $"{bytes} B")
            : string.Create(Invariant, $"{Fixed(value, value >= 100 ? 1 : 2)} {units[unit]}");
    }

    /// <summary>A large count (parameters, MACs) with a decimal suffix: 1.23 M, 456.7 k.</summary>
    public static string Count(long count)
    {
        (double Divisor, string Suffix)[] scales = [(1e12, " T"), (1e9, " G"), (1e6, " M"), (1e3, " k")];
        foreach (var (divisor, suffix) in scales)
        {
            if (Math.Abs(count) >= divisor)
            {
                var value = count / divisor;
                return Fixed(value, value >= 100 ? 1 : 2) + suffix;
            }
        }

        return count.ToString(Invariant);
    }

    public static string Count(long? count) => count is { } c ? Count(c) : Missing;

    /// <summary>Milliseconds with three significant-ish decimals: 0.123, 1.234, 12.35, 123.5.</summary>
    public static string Ms(double ms) => Fixed(ms, Math.Abs(ms) switch { < 10 => 3, < 100 => 2, _ => 1 });

    public static string Fixed(double value, int decimals)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            return Missing;
        }

        var rounded = Math.Round(value, decimals, MidpointRounding.AwayFromZero);
        // "-0.00" reads like a regression that did not happen.
        if (rounded == 0)
        {
            rounded = 0;
        }

        return rounded.ToString("F" + decimals.ToString(Invariant), Invariant);
    }

    public static string Signed(double value, int decimals)
    {
        var text = Fixed(value, decimals);
        return text == Missing || text.StartsWith('-') || Math.Round(value, decimals, MidpointRounding.AwayFromZero) == 0 ? text : "+" + text;
    }

    public static string Percent(double value) => Fixed(value, 2) + "%";

    public static string Ratio(double ratio) => Fixed(ratio, 2) + "×";

    /// <summary>A gate's observed value or threshold, short but exact enough to compare by eye.</summary>
    public static string GateValue(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            return Missing;
        }

        if (Math.Abs(value) >= 1e6)
        {
            return value.ToString("0.###E+0", Invariant);
        }

        var rounded = Math.Round(value, 3, MidpointRounding.AwayFromZero);
        return (rounded == 0 ? 0 : rounded).ToString("0.###", Invariant);
    }

    public static string Joules(double joules) =>
        Math.Abs(joules) >= 1 ? Fixed(joules, 3) + " J"
        : Math.Abs(joules) >= 1e-3 ? Fixed(joules * 1e3, 3) + " mJ"
        : Fixed(joules * 1e6, 3) + " µJ";
}
