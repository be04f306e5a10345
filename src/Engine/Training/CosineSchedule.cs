namespace CompressionTasks.Training;

/// <summary>Cosine annealing (Loshchilov and Hutter 2017) from the base rate to <see cref="MinimumRate"/> over the run, after an optional linear warm-up.</summary>
public sealed record CosineSchedule(double BaseRate, int TotalSteps, double MinimumRate = 0, int WarmupSteps = 0)
{
    public double RateAt(int step)
    {
        if (step < WarmupSteps)
        {
            return BaseRate * (step + 1) / WarmupSteps;
        }

        var span = Math.Max(1, TotalSteps - WarmupSteps);
        var progress = Math.Clamp((double)(step - WarmupSteps) / span, 0, 1);
        return MinimumRate + (0.5 * (BaseRate - MinimumRate) * (1 + Math.Cos(Math.PI * progress)));
    }
}
