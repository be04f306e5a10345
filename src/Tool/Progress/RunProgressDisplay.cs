using CompressionTasks.Pipeline;
using CompressionTasks.Tool.Cli;
using Spectre.Console;

namespace CompressionTasks.Tool.Progress;

/// <summary>
/// Shows a run's progress on standard error: one bar per model with its estimated time left in a terminal; one plain
/// line per step when standard error is redirected or <c>CI</c> is set (logs must not fill with redraws and escape
/// codes); nothing with <c>--quiet</c>.
/// </summary>
internal static class RunProgressDisplay
{
    /// <param name="models">The models the run will process, in manifest order: their bars are drawn in that order whatever finishes first.</param>
    public static Task<T> RunAsync<T>(CliContext context, IReadOnlyList<string> models, Func<IProgress<string>?, IProgress<RunProgress>?, Task<T>> body)
    {
        if (context.Verbosity == Verbosity.Quiet)
        {
            return body(null, null);
        }

        if (!context.Terminal.IsInteractive)
        {
            return body(new SynchronousProgress<string>(line => context.Error.WriteLine(line)), null);
        }

        return WithBarsAsync(context, models, body);
    }

    private static async Task<T> WithBarsAsync<T>(CliContext context, IReadOnlyList<string> models, Func<IProgress<string>?, IProgress<RunProgress>?, Task<T>> body)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Detect,
            ColorSystem = context.Terminal.UseColor ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.Yes,
            Out = new AnsiConsoleOutput(context.Error),
        });
        var progress = console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(
                new TaskDescriptionColumn { Alignment = Justify.Left },
                new ProgressBarColumn(),
                new PercentageColumn(),
                new RemainingTimeColumn(),
                new SpinnerColumn());
        return await progress.StartAsync(async display =>
        {
            var bars = models.Distinct(StringComparer.Ordinal).ToDictionary(
                model => model,
                model => display.AddTask(Markup.Escape($"{model}: waiting"), autoStart: false, maxValue: 1),
                StringComparer.Ordinal);
            var steps = new SynchronousProgress<RunProgress>(step =>
            {
                if (!bars.TryGetValue(step.Model, out var bar))
                {
                    bars[step.Model] = bar = display.AddTask(Markup.Escape(step.Model), autoStart: false, maxValue: 1);
                }

                if (!bar.IsStarted)
                {
                    bar.StartTask();
                }

                bar.MaxValue = step.TotalSteps;
                bar.Value = step.CompletedSteps + step.StepFraction;
                bar.Description = Markup.Escape(step.Stage == RunStage.Finished
                    ? $"{step.Model}: done"
                    : $"{step.Model}/{step.Variant}: {step.Stage.ToString().ToLowerInvariant()}");
                if (step.Stage == RunStage.Finished)
                {
                    bar.StopTask();
                }
            });
            var lines = context.Verbosity == Verbosity.Verbose
                ? new SynchronousProgress<string>(line => console.WriteLine(line))
                : null;
            var result = await body(lines, steps).ConfigureAwait(false);
            foreach (var (model, bar) in bars.Where(b => !b.Value.IsFinished))
            {
                bar.Description = Markup.Escape($"{model}: done");
                bar.Value = bar.MaxValue;
                bar.StopTask();
            }

            return result;
        }).ConfigureAwait(false);
    }
}
