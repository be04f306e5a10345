using System.Numerics;

namespace CompressionTasks.Training;

/// <summary>
/// SGD with momentum and L2 weight decay, as <c>torch.optim.SGD</c> (no dampening): <c>g += wd·w; b = μ·b + g
/// (b = g on the first step); w -= lr·b</c>.
/// </summary>
public sealed class SgdOptimizer<T>(double momentum, double weightDecay) : Optimizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Dictionary<TrainingParameter<T>, T[]> _velocity = [];

    protected override void Update(TrainingParameter<T> parameter, T learningRate)
    {
        var w = parameter.Value.Data;
        var g = parameter.Gradient.Data;
        var mu = T.CreateChecked(momentum);
        var decay = T.CreateChecked(weightDecay);
        var first = !_velocity.TryGetValue(parameter, out var buffer);
        if (first)
        {
            _velocity[parameter] = buffer = new T[w.Length];
        }

        for (var i = 0; i < w.Length; i++)
        {
            var gradient = g[i] + (decay * w[i]);
            var b = first ? gradient : (mu * buffer![i]) + gradient;
            buffer![i] = b;
            w[i] -= learningRate * (momentum == 0 ? gradient : b);
        }
    }
}
