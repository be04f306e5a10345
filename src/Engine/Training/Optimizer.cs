using System.Numerics;

namespace CompressionTasks.Training;

/// <summary>Updates parameters from their accumulated gradients; pruning masks are applied before and after the update.</summary>
public abstract class Optimizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public void Step(IReadOnlyList<TrainingParameter<T>> parameters, double learningRate)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        StepCount++;
        foreach (var parameter in parameters)
        {
            if (parameter.Mask is { } mask)
            {
                System.Numerics.Tensors.TensorPrimitives.Multiply(parameter.Gradient.Data, mask, parameter.Gradient.Data);
            }

            Update(parameter, T.CreateChecked(learningRate));
            if (parameter.Mask is { } keep)
            {
                System.Numerics.Tensors.TensorPrimitives.Multiply(parameter.Value.Data, keep, parameter.Value.Data);
            }
        }
    }

    /// <summary>Steps taken so far, counting the current one while <see cref="Update"/> runs.</summary>
    protected int StepCount { get; private set; }

    protected abstract void Update(TrainingParameter<T> parameter, T learningRate);
}
