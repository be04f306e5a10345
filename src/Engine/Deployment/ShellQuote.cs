using System.Text;

namespace CompressionTasks.Deployment;

/// <summary>
/// POSIX shell quoting for values baked into generated scripts. Single quotes take everything literally; a single quote
/// itself, and "$" and "`" for shellcheck's sake, are written as backslash escapes between two quoted parts, so no
/// expansion can ever happen whatever the name holds.
/// </summary>
public static class ShellQuote
{
    public static string Single(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var quoted = new StringBuilder("'");
        foreach (var c in value)
        {
            if (c is '\'' or '$' or '`')
            {
                // Close the quote, escape the character, reopen: "$" and "`" outside quotes keep shellcheck from
                // reading them as an expansion that was meant to happen (SC2016).
                quoted.Append('\'').Append('\\').Append(c).Append('\'');
            }
            else
            {
                quoted.Append(c);
            }
        }

        return quoted.Append('\'').ToString();
    }

    /// <summary>A value for a script comment: one line, no control characters.</summary>
    public static string Comment(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new string(value.Select(c => char.IsControl(c) ? ' ' : c).ToArray());
    }
}
