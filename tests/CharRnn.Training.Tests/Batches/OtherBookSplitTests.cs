using CharRnn.Inference.Tokens;
using CharRnn.Training.Batches;
using static CharRnn.Training.Tests.TinyRun;

namespace CharRnn.Training.Tests.Batches;

/// <summary>Another book's validation split in a run's alphabet: cut where that book's own run would cut it, with what the model lacks read past.</summary>
public class OtherBookSplitTests
{
    private static readonly Vocabulary Alphabet = Vocabulary.FromText(Text);

    [Fact]
    public void The_split_is_the_books_last_tenth_as_its_own_run_would_cut_it()
    {
        var split = OtherBookSplit.Of(7, Text, Alphabet, Small);

        Assert.Equal(7, split.Id);
        Assert.Equal(0, split.ReadPast);
        Assert.Equal(Alphabet.Encode(Text)[Small.TrainingCharacters(Text.Length)..], split.Validation.ToArray());
        Assert.Equal([0], split.Windows(Small)); // 225 characters: one batch of 8 × 25
    }

    [Fact]
    public void Characters_the_model_lacks_are_read_past_and_counted()
    {
        var exclaimed = Text.Replace('.', '!').Replace("fox", "f\u00f8x");
        var tail = exclaimed[Small.TrainingCharacters(exclaimed.Length)..];

        var split = OtherBookSplit.Of(1, exclaimed, Alphabet, Small);

        Assert.Equal(tail.Count(c => c is '!' or '\u00f8'), split.ReadPast);
        Assert.True(split.ReadPast >= 8);
        Assert.Equal(Alphabet.Encode(tail.Replace("!", "").Replace("\u00f8", "")), split.Validation.ToArray());
    }

    [Fact]
    public void A_book_whose_split_holds_no_batch_is_refused_with_its_size()
    {
        var e = Assert.Throws<ArgumentException>(() => OtherBookSplit.Of(3, Verse + Verse, Alphabet, Small));

        Assert.StartsWith("Book 3's validation split holds 9 characters the model can read, fewer than one batch of 8 × 25", e.Message);
    }
}
