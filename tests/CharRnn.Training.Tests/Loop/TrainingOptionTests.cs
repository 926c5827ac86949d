namespace CharRnn.Training.Tests;

/// <summary>The training options' one description (<see cref="TrainingOption"/>), from which every surface takes them.</summary>
public class TrainingOptionTests
{
    /// <summary>Every option a run can be given: each settable property of <see cref="TrainingOptions"/>.</summary>
    public static TheoryData<string> Properties() => [.. typeof(TrainingOptions).GetProperties().Where(p => p.SetMethod is not null).Select(p => p.Name)];

    [Theory]
    [MemberData(nameof(Properties))]
    public void Every_option_is_described_once_with_a_label_help_and_a_flag(string property)
    {
        var option = Assert.Single(TrainingOption.All, o => o.PropertyName == property);
        Assert.False(string.IsNullOrWhiteSpace(option.Label));
        Assert.EndsWith(".", option.Help);
        Assert.StartsWith("--", option.Flag);
        Assert.Single(TrainingOption.All, o => o.Flag == option.Flag);
    }

    [Fact]
    public void A_value_written_by_an_option_reads_back_as_itself()
    {
        foreach (var option in TrainingOption.All)
        {
            var value = option.Get(TrainingPresets.Fast.Options);
            Assert.True(option.TryParse(option.Format(TrainingPresets.Fast.Options).Replace("—", ""), out var read, out var problem), problem);
            Assert.Equal(value, read);
        }
    }

    [Theory]
    [InlineData("hidden", "abc", "Hidden units must be a whole number; it was 'abc'.")]
    [InlineData("dropout", "half", "Dropout must be a number; it was 'half'.")]
    [InlineData("schedule", "step", "Learning-rate schedule must be one of constant, cosine, linear; it was 'step'.")]
    [InlineData("epochs", "", "Epochs needs a value.")]
    public void Text_that_is_not_a_value_of_its_option_is_refused_naming_it(string name, string text, string message)
    {
        Assert.False(TrainingOption.Find(name)!.TryParse(text, out _, out var problem));
        Assert.Equal(message, problem);
    }

    [Fact]
    public void Empty_and_zero_mean_the_whole_split_for_evaluation_batches_and_enums_read_in_any_case()
    {
        var batches = TrainingOption.Find("evaluationBatches")!;
        Assert.True(batches.TryParse("0", out var zero, out _) && zero is null);
        Assert.True(batches.TryParse("", out var empty, out _) && empty is null);
        Assert.True(TrainingOption.Find("device")!.TryParse("CUDA", out var device, out _));
        Assert.Equal(DeviceChoice.Cuda, device);
    }

    [Fact]
    public void The_split_is_the_notebooks_for_batches_held_out_text_and_checks_alike()
    {
        var options = new TrainingOptions { ValidationFraction = 0.1, BatchSize = 128, SequenceLength = 100 };
        Assert.Equal(1_786_700, options.TrainingCharacters(1_985_223)); // int(1985223 * 0.9)
        Assert.Equal(139, options.StepsPerEpoch(1_985_223));
        Assert.Equal(15, options.ValidationBatches(1_985_223));
    }
}
