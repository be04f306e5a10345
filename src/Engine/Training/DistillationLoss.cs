using System.Numerics;
using System.Numerics.Tensors;

namespace CompressionTasks.Training;

/// <summary>
/// Knowledge distillation (Hinton et al. 2015): <c>T²·KL(softmax(t/T) ‖ softmax(s/T))</c> between teacher and student
/// logits, batch-averaged. The T² keeps the gradient's size independent of the temperature; the gradient with
/// respect to the student logits is <c>T·(p_s - p_t)/N</c>. Needs no labels.
/// </summary>
public static class DistillationLoss
{
    public static T Compute<T>(TrainingTensor<T> student, TrainingTensor<T> teacher, double temperature, TrainingTensor<T> gradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(student);
        ArgumentNullException.ThrowIfNull(teacher);
        ArgumentNullException.ThrowIfNull(gradient);
        var (batch, classes) = CrossEntropyLoss.Rows(student);
        var t = T.CreateChecked(temperature);
        var scaledStudent = new T[classes];
        var scaledTeacher = new T[classes];
        var pt = new T[classes];
        var loss = T.Zero;
        for (var n = 0; n < batch; n++)
        {
            TensorPrimitives.Divide(student.Data.AsSpan(n * classes, classes), t, scaledStudent);
            TensorPrimitives.Divide(teacher.Data.AsSpan(n * classes, classes), t, scaledTeacher);
            var maxS = TensorPrimitives.Max<T>(scaledStudent);
            var maxT = TensorPrimitives.Max<T>(scaledTeacher);
            var logZs = maxS + T.Log(CrossEntropyLoss.SumExp<T>(scaledStudent, maxS));
            var logZt = maxT + T.Log(CrossEntropyLoss.SumExp<T>(scaledTeacher, maxT));
            TensorPrimitives.SoftMax<T>(scaledTeacher, pt);
            var ps = gradient.Data.AsSpan(n * classes, classes);
            TensorPrimitives.SoftMax<T>(scaledStudent, ps);
            for (var c = 0; c < classes; c++)
            {
                if (pt[c] > T.Zero)
                {
                    loss += pt[c] * ((scaledTeacher[c] - logZt) - (scaledStudent[c] - logZs));
                }

                ps[c] = t * (ps[c] - pt[c]) / T.CreateChecked(batch);
            }
        }

        return loss * t * t / T.CreateChecked(batch);
    }
}
