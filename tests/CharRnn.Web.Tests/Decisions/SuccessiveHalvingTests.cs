using CharRnn.Web.Features.Sweeps;

namespace CharRnn.Web.Tests.Decisions;

/// <summary>
/// Successive halving's rungs and decisions as pure functions, with losses made up here. The wiring (a trial's whole-split
/// evaluations judged where it trains, the stop with its checkpoint) is EarlyStoppingTests' end-to-end sweep.
/// </summary>
public class SuccessiveHalvingTests
{
    private static readonly EarlyStopping Three = new(Eta: 3, Rungs: 3);

    [Fact]
    public void Rungs_fall_at_a_ninth_a_third_and_the_end_of_a_trial()
    {
        Assert.Equal([1.0 / 9, 1.0 / 3, 1.0], Three.Fractions);
        Assert.Equal([100L, 300L, 900L], SuccessiveHalving.RungSteps(Three, 900));
        Assert.Equal([2L, 5L, 16L], SuccessiveHalving.RungSteps(Three, 16)); // rounded to whole steps
        Assert.Equal([1L, 2L], SuccessiveHalving.RungSteps(Three, 2)); // at least step 1, and no rung twice
    }

    [Fact]
    public void The_first_trial_at_a_rung_always_goes_on()
    {
        var decision = SuccessiveHalving.Decide(rung: 1, step: 100, loss: 3.0, others: [], eta: 3, last: false, promoted: false);

        Assert.True(decision.GoesOn);
        Assert.Null(decision.Reason);
        Assert.Equal(new RungDto(1, 100, 3.0, 1, 1, 3.0, true), decision.Standing);
    }

    [Theory]
    [InlineData(1.0, true, 1)] // the best of four goes on: keep ⌈4/3⌉ = 2
    [InlineData(1.5, true, 2)] // second of four
    [InlineData(1.8, false, 3)]
    [InlineData(2.5, false, 4)]
    public void A_trial_goes_on_only_among_the_best_third_of_those_at_its_rung_itself_included(double loss, bool goesOn, int place)
    {
        var decision = SuccessiveHalving.Decide(2, 300, loss, others: [1.2, 1.6, 2.0], eta: 3, last: false, promoted: false);

        Assert.Equal(goesOn, decision.GoesOn);
        Assert.Equal(place, decision.Standing.Place);
        Assert.Equal(4, decision.Standing.Of);
        Assert.Equal(goesOn ? Math.Max(loss, 1.2) : 1.6, decision.Standing.Kept);
    }

    [Fact]
    public void A_stopped_trial_says_its_rung_counted_from_one_its_place_and_what_the_rung_kept()
    {
        var decision = SuccessiveHalving.Decide(1, 1_200, 2.345, others: [1.1, 1.2, 1.3, 1.4], eta: 3, last: false, promoted: false);

        Assert.False(decision.GoesOn);
        Assert.Equal("Stopped at rung 1 (step 1,200): 2.345, 5th of 5; the rung kept ≤ 1.200, its best 2 (1/3).", decision.Reason);
        Assert.Equal("rung 1 (step 1,200): 2.345, 5th of 5; the rung kept ≤ 1.200", decision.Standing.Standing());
    }

    [Fact]
    public void A_trials_last_rung_and_a_promoted_trial_are_recorded_but_never_stopped()
    {
        Assert.True(SuccessiveHalving.Decide(3, 900, 9.0, others: [1.0, 1.1], eta: 3, last: true, promoted: false).GoesOn);
        var promoted = SuccessiveHalving.Decide(2, 300, 9.0, others: [1.0, 1.1], eta: 3, last: false, promoted: true);
        Assert.True(promoted.GoesOn);
        Assert.Equal(3, promoted.Standing.Place);
    }

    [Fact]
    public void Ties_share_the_better_place()
    {
        var decision = SuccessiveHalving.Decide(1, 10, 1.5, others: [1.5, 1.5, 2.0], eta: 2, last: false, promoted: false);
        Assert.Equal(1, decision.Standing.Place);
        Assert.True(decision.GoesOn);
    }

    [Theory]
    [InlineData(1, "1st")]
    [InlineData(2, "2nd")]
    [InlineData(3, "3rd")]
    [InlineData(4, "4th")]
    [InlineData(11, "11th")]
    [InlineData(12, "12th")]
    [InlineData(13, "13th")]
    [InlineData(21, "21st")]
    [InlineData(112, "112th")]
    public void Places_read_as_ordinals(int n, string ordinal) => Assert.Equal(ordinal, RungDto.Ordinal(n));

    [Fact]
    public void The_expected_share_of_steps_is_the_trials_reaching_each_rung_over_its_stretch()
    {
        // 9 trials: all train the first ninth, 3 the next two ninths, 1 the last two thirds: (9·1/9 + 3·2/9 + 1·2/3) / 9.
        Assert.Equal((1.0 + 6.0 / 9 + 2.0 / 3) / 9, SuccessiveHalving.ExpectedShare(Three, 9), 12);
        Assert.Equal(1.0, SuccessiveHalving.ExpectedShare(Three, 1), 12);
    }
}
