namespace CompressionTasks.Manifest.Spec;

/// <summary>Finds the intended name behind a typo ("did you mean 'maxDrop'?") by optimal-string-alignment distance.</summary>
public static class NameSuggester
{
    public static string? Suggest(string typed, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            if (string.Equals(typed, candidate, StringComparison.OrdinalIgnoreCase))
            {
                return candidate;
            }

            var distance = Distance(typed.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance < bestDistance)
            {
                bestDistance = distance;
                best = candidate;
            }
        }

        // A third of the name may be wrong: close enough to be the same word, far enough to skip unrelated names.
        return best is not null && bestDistance <= Math.Max(1, best.Length / 3) ? best : null;
    }

    /// <summary>" Did you mean 'X'?" or an empty string, ready to append to a message.</summary>
    public static string Hint(string typed, IEnumerable<string> candidates) =>
        Suggest(typed, candidates) is { } suggestion ? $"; did you mean '{suggestion}'?" : string.Empty;

    /// <summary>Edits (insert, delete, substitute, swap neighbours) to turn <paramref name="a"/> into <paramref name="b"/>.</summary>
    public static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
