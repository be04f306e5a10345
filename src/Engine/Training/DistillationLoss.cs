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
    public static TNum Compute<TNum>(TrainingTensor<TNum> student, TrainingTensor<TNum> teacher, double temperature, TrainingTensor<TNum> gradient)
        where TNum : unmanaged, IFloatingPointIeee754<TNum>
    {
        ArgumentNullException.ThrowIfNull(student);
        ArgumentNullException.ThrowIfNull(teacher);
        ArgumentNullException.ThrowIfNull(gradient);
        var (batch, classes) = CrossEntropyLoss.Rows(student);
        var t = TNum.CreateChecked(temperature);
        var scaledStudent = new TNum[classes];
        var scaledTeacher = new TNum[classes];
        var pt = new TNum[classes];
        var loss = TNum.Zero;
        for (var n = 0; n < batch; n++)
        {
            TensorPrimitives.Divide(student.Data.AsSpan(n * classes, classes), t, scaledStudent);
            TensorPrimitives.Divide(teacher.Data.AsSpan(n * classes, classes), t, scaledTeacher);
            var maxS = TensorPrimitives.Max<TNum>(scaledStudent);
            var maxT = TensorPrimitives.Max<TNum>(scaledTeacher);
            var logZs = maxS + TNum.Log(CrossEntropyLoss.SumExp<TNum>(scaledStudent, maxS));
            var logZt = maxT + TNum.Log(CrossEntropyLoss.SumExp<TNum>(scaledTeacher, maxT));
            TensorPrimitives.SoftMax<TNum>(scaledTeacher, pt);
            var ps = gradient.Data.AsSpan(n * classes, classes);
            TensorPrimitives.SoftMax<TNum>(scaledStudent, ps);
            for (var c = 0; c < classes; c++)
            {
                if (pt[c] > TNum.Zero)
                {
                    loss += pt[c] * ((scaledTeacher[c] - logZt) - (scaledStudent[c] - logZs));
                }

                ps[c] = t * (ps[c] - pt[c]) / TNum.CreateChecked(batch);
            }
        }

        return loss * t * t / TNum.CreateChecked(batch);
    }
}
