namespace CompressionTasks.Tool.Tests;

/// <summary>Redirected output is for logs: no ANSI escapes, no carriage-return redraws, no other control characters.</summary>
internal static class ControlCharacters
{
    public static void AssertNone(string text)
    {
        text = text.Replace("\r\n", "\n", StringComparison.Ordinal);
        var index = text.AsSpan().IndexOfAnyExcept(Allowed);
        if (index >= 0)
        {
            var start = Math.Max(0, index - 40);
            Assert.Fail($"control character U+{(int)text[index]:X4} at {index}: …{text[start..Math.Min(text.Length, index + 40)]}…");
        }
    }

    private static readonly System.Buffers.SearchValues<char> Allowed = System.Buffers.SearchValues.Create(
        [.. Enumerable.Range(0x20, 0x7F - 0x20).Select(c => (char)c), '\n', '\t', .. Enumerable.Range(0xA0, 0xD7FF - 0xA0).Select(c => (char)c)]);
}
