using System.Diagnostics;

namespace CompressionTasks.Engine.Tests.Reports;

/// <summary>
/// Runs Debian's <c>chromium</c> headless on a local file: a screenshot, or the DOM after parsing. Each run gets a
/// fresh profile folder and every background service that could reach the network is off.
/// </summary>
internal static class HeadlessChromium
{
    public const string SkipVariable = "COMPRESS_SKIP_BROWSER_TESTS";

    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    /// <summary>The browser to use: <c>$COMPRESS_CHROMIUM</c>, else the first of chromium, chromium-browser, google-chrome on PATH.</summary>
    public static string? Find()
    {
        if (Environment.GetEnvironmentVariable("COMPRESS_CHROMIUM") is { Length: > 0 } configured)
        {
            return File.Exists(configured) ? configured : null;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var name in new[] { "chromium", "chromium-browser", "google-chrome" })
        {
            foreach (var folder in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = Path.Combine(folder, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    /// <summary>The browser, or an Inconclusive/failed test explaining how to get it.</summary>
    public static string Require()
    {
        if (Find() is { } browser)
        {
            return browser;
        }

        if (Environment.GetEnvironmentVariable(SkipVariable) == "1")
        {
            Assert.Inconclusive($"{SkipVariable}=1: the HTML report was not rendered in a browser.");
        }

        Assert.Fail(
            "Headless Chromium is needed to check the HTML report and was not found on PATH (chromium, chromium-browser, google-chrome) " +
            "or in $COMPRESS_CHROMIUM. .ci/run installs it (CI does); locally run `apt-get install -y --no-install-recommends chromium`, " +
            $"or set {SkipVariable}=1 to skip browser tests explicitly.");
        return null!;
    }

    public static async Task<Result> RunAsync(string browser, string htmlFile, CancellationToken cancellationToken, params string[] mode)
    {
        var profile = Directory.CreateTempSubdirectory("chromium-profile-").FullName;
        try
        {
            return await RunAsync(browser, htmlFile, profile, mode, cancellationToken);
        }
        finally
        {
            try
            {
                Directory.Delete(profile, recursive: true);
            }
            catch (IOException)
            {
                // A browser child process may still hold a file for a moment; a stray temp folder is harmless.
            }
        }
    }

    private static async Task<Result> RunAsync(string browser, string htmlFile, string profile, string[] mode, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(browser)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] arguments =
        [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", $"--user-data-dir={profile}",
            "--enable-logging=stderr", "--v=0", .. mode, new Uri(Path.GetFullPath(htmlFile)).AbsoluteUri,
        ];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {browser}");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(5)); // a hang guard: a loaded 2-core runner makes a screenshot slow, not hung
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new Result(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>
    /// Lines of Chromium's log that the page caused: uncaught exceptions and console messages. The report has no
    /// script, so any console line is the browser itself complaining (a blocked load, a policy violation, a parse
    /// problem). Chromium prints them as <c>[pid:tid:time:INFO:CONSOLE:line] "message", source: url (line)</c>.
    /// </summary>
    public static IReadOnlyList<string> PageErrors(string stderr) => stderr
        .Split('\n')
        .Where(line => line.Contains("Uncaught", StringComparison.Ordinal)
            || line.Contains(":CONSOLE", StringComparison.Ordinal)
            || line.Contains("Content Security Policy", StringComparison.Ordinal))
        .Select(line => line.Trim())
        .ToList();
}
