namespace CompressionTasks.Passes.Binding;

/// <summary>
/// A pass's options record. Besides its <see cref="PassOptionAttribute"/> properties, it may say what the pass needs
/// from the model entry it is bound for (a calibration set, an earlier pass): <see cref="Check"/> runs when the
/// manifest loads, so <c>validate</c> reports it at the pass's line instead of the run failing minutes in.
/// </summary>
public interface IPassOptions
{
    /// <summary>What is wrong with these options for the model and variant of <paramref name="context"/>; empty when nothing is.</summary>
    IEnumerable<PassBindingProblem> Check(PassBindingContext context) => [];
}
