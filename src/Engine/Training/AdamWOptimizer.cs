using System.Numerics;

namespace CompressionTasks.Training;

/// <summary>AdamW (Loshchilov and Hutter 2019) as <c>torch.optim.AdamW</c>: decoupled decay <c>w *= 1 - lr·wd</c>, then the bias-corrected Adam step.</summary>
public sealed class AdamWOptimizer<T>(double beta1, double beta2, double epsilon, double weightDecay) : Optimizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Dictionary<TrainingParameter<T>, (T[] First, T[] Second)> _moments = [];

    protected override void Update(TrainingParameter<T> parameter, T learningRate)
    {
        var w = parameter.Value.Data;
        var g = parameter.Gradient.Data;
        if (!_moments.TryGetValue(parameter, out var state))
        {
            _moments[parameter] = state = (new T[w.Length], new T[w.Length]);
        }

        var b1 = T.CreateChecked(beta1);
        var b2 = T.CreateChecked(beta2);
        var correction1 = T.One - T.CreateChecked(Math.Pow(beta1, StepCount));
        var correction2 = T.One - T.CreateChecked(Math.Pow(beta2, StepCount));
        var eps = T.CreateChecked(epsilon);
        var keep = T.One - (learningRate * T.CreateChecked(weightDecay));
        var stepSize = learningRate / correction1;
        var sqrtCorrection2 = T.Sqrt(correction2);
        for (var i = 0; i < w.Length; i++)
        {
            w[i] *= keep;
            var m = state.First[i] = (b1 * state.First[i]) + ((T.One - b1) * g[i]);
            var v = state.Second[i] = (b2 * state.Second[i]) + ((T.One - b2) * g[i] * g[i]);
            w[i] -= stepSize * m / ((T.Sqrt(v) / sqrtCorrection2) + eps);
        }
    }
}
