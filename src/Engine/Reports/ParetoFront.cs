namespace CompressionTasks.Reports;

/// <summary>
/// The variants no other variant beats on both axes at once: lower latency and higher accuracy. A point is dominated
/// when another is at least as fast and at least as accurate, and strictly better in one of the two.
/// </summary>
public static class ParetoFront
{
    /// <summary>Indices of the non-dominated points, ordered by latency (fastest first).</summary>
    public static IReadOnlyList<int> Indices(IReadOnlyList<(double LatencyMs, double Accuracy)> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var front = new List<int>();
        for (var i = 0; i < points.Count; i++)
        {
            var dominated = false;
            for (var j = 0; j < points.Count && !dominated; j++)
            {
                dominated = j != i
                    && points[j].LatencyMs <= points[i].LatencyMs
                    && points[j].Accuracy >= points[i].Accuracy
                    && (points[j].LatencyMs < points[i].LatencyMs || points[j].Accuracy > points[i].Accuracy);
            }

            if (!dominated)
            {
                front.Add(i);
            }
        }

        return front.OrderBy(i => points[i].LatencyMs).ThenBy(i => i).ToList();
    }
}
