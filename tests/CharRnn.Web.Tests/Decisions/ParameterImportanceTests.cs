using System.Text.Json;
using CharRnn.Web.Features.Sweeps;

namespace CharRnn.Web.Tests.Decisions;

/// <summary>What mattered in a sweep, from trials made up here: the rank correlation, the spread of bests, and the headline. The sweep page's wiring is SweepBrowserTests'.</summary>
public class ParameterImportanceTests
{
    private static TrialDto Trial(int index, double? loss, params (string Name, object Value)[] values) => new(
        index, index, values.ToDictionary(v => v.Name, v => JsonSerializer.SerializeToElement(v.Value, ContractsJson.Options)),
        RunStatus.Completed, loss, 10, 10, null, null, false, []);

    private static SweepDto Sweep(Dictionary<string, ParameterSpace> space, params TrialDto[] trials) =>
        new(1, 1, "s", SweepStatus.Completed, new CreateSweepRequest(1, space), trials, null, DateTime.UtcNow);

    [Fact]
    public void Spearman_is_one_for_any_rising_order_minus_one_for_a_falling_one_and_null_without_variation()
    {
        Assert.Equal(1.0, ParameterImportance.Spearman([(1, 1.0), (2, 4.0), (10, 9.0)])!.Value, 12);
        Assert.Equal(-1.0, ParameterImportance.Spearman([(1, 9.0), (2, 4.0), (3, 1.0)])!.Value, 12);
        Assert.Null(ParameterImportance.Spearman([(1, 2.0), (2, 2.0)]));
        // Ties share their mean rank: x ranks 1.5, 1.5, 3 against 1, 2, 3.
        Assert.Equal(Math.Sqrt(3) / 2, ParameterImportance.Spearman([(1, 1.0), (1, 2.0), (5, 3.0)])!.Value, 12);
    }

    [Fact]
    public void The_parameter_the_loss_follows_leads_and_the_headline_names_it()
    {
        var sweep = Sweep(
            new() { ["learningRate"] = ParameterSpace.Range(SpaceKind.LogUniform, 0.001, 0.1), ["dropout"] = SweepClient.Values(0, 0.2) },
            Trial(0, 1.9, ("learningRate", 0.001), ("dropout", 0.0)),
            Trial(1, 1.6, ("learningRate", 0.003), ("dropout", 0.2)),
            Trial(2, 1.4, ("learningRate", 0.01), ("dropout", 0.2)),
            Trial(3, 1.3, ("learningRate", 0.03), ("dropout", 0.0)),
            Trial(4, null, ("learningRate", 0.05), ("dropout", 0.0))); // no loss yet: left out

        var ranked = ParameterImportance.Of(sweep);

        Assert.Equal(["learningRate", "dropout"], ranked.Select(r => r.Parameter.Name));
        Assert.Equal(-1.0, ranked[0].RankCorrelation!.Value, 12);
        Assert.Equal(4, ranked[0].Trials);
        Assert.Equal(1.6 - 1.3, ranked[0].Spread!.Value, 12); // four values in thirds of the log range: 0.001 and 0.003 low (1.6), 0.01 and 0.03 high (1.3)
        Assert.Equal(0.1, ranked[1].Spread!.Value, 12); // dropout 0 reached 1.3, dropout 0.2 reached 1.4
        Assert.Equal("Learning rate mattered most: rank correlation −1.00 with the loss, the best loss across its values spans 0.300 (over 4 trials).",
            ParameterImportance.Headline(ranked));
    }

    [Fact]
    public void A_choice_has_a_spread_but_no_correlation_and_too_few_trials_have_neither()
    {
        var sweep = Sweep(new() { ["schedule"] = SweepClient.Values("cosine", "constant") },
            Trial(0, 1.5, ("schedule", "constant")), Trial(1, 1.2, ("schedule", "cosine")), Trial(2, 1.3, ("schedule", "cosine")));

        var schedule = Assert.Single(ParameterImportance.Of(sweep));
        Assert.Null(schedule.RankCorrelation);
        Assert.Equal(0.3, schedule.Spread!.Value, 12);
        Assert.Equal("Learning-rate schedule mattered most: the best loss across its values spans 0.300 (over 3 trials).", ParameterImportance.Headline([schedule]));

        var alone = ParameterImportance.Of(Sweep(new() { ["dropout"] = SweepClient.Values(0) }, Trial(0, 1.5, ("dropout", 0.0))));
        Assert.Equal((null, null, 1), (alone[0].RankCorrelation, alone[0].Spread, alone[0].Trials));
        Assert.Null(ParameterImportance.Headline(alone));
    }
}
