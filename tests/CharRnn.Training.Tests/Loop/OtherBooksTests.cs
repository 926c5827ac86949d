using CharRnn.Inference.Checkpoints;
using CharRnn.Training.Batches;
using CharRnn.Training.Loop;
using static CharRnn.Training.Tests.TinyRun;

namespace CharRnn.Training.Tests.Loop;

/// <summary>A run also evaluated on other books (<see cref="Trainer.AlsoEvaluateOn"/>): their losses at each whole-split evaluation.</summary>
public class OtherBooksTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("charrnn-other-books-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Each_other_books_loss_is_the_same_figure_as_the_runs_own_and_as_a_checkpoint_measured_on_it()
    {
        var trainer = new Trainer(Text, Small, _folder);
        var exclaimed = Text.Replace('.', '!');
        trainer.AlsoEvaluateOn = [OtherBookSplit.Of(1, Text, trainer.Vocabulary, trainer.Options), OtherBookSplit.Of(2, exclaimed, trainer.Vocabulary, trainer.Options)];
        var evaluations = new List<Evaluation>();
        trainer.Evaluated += evaluations.Add;

        var result = trainer.Run();

        Assert.Equal([5L, 10, 15, 20], evaluations.Select(e => e.Step));
        // The run's own book as an "other" book: the very same tokens, windows and model, so the very same loss.
        Assert.All(evaluations, e => Assert.Equal([1, 2], e.OtherBooks!.Select(b => b.BookId)));
        Assert.All(evaluations, e => Assert.Equal(e.ValLoss, e.OtherBooks![0].ValLoss));
        // A fine-tune's "before" is measured from a checkpoint the same way: the last one gives the last evaluation's figure.
        var last = CheckpointFile.Read(result.LastCheckpoint!);
        var measured = ValidationPass.Loss(last, OtherBookSplit.Of(2, exclaimed, last.Vocabulary, Small), Small);
        Assert.Equal(evaluations[^1].OtherBooks![1].ValLoss, measured, precision: 5);
        Assert.NotEqual(evaluations[^1].ValLoss, measured);
    }

    [Fact]
    public void A_run_evaluated_on_no_other_book_reports_none()
    {
        var trainer = new Trainer(Text, Small with { Epochs = 1 }, _folder);
        var evaluations = new List<Evaluation>();
        trainer.Evaluated += evaluations.Add;

        trainer.Run();

        Assert.All(evaluations, e => Assert.Null(e.OtherBooks));
    }
}
