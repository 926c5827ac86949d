using CharRnn.Web.Components.Shared;

namespace CharRnn.Web.Tests.Pages;

public class LossSeriesTests
{
    private static List<LossSeries.Point> Points(int n) => Enumerable.Range(1, n).Select(i => new LossSeries.Point(i, 1.0 / i)).ToList();

    [Fact]
    public void Thinning_keeps_short_series_whole_and_long_ones_to_the_limit()
    {
        Assert.Equal(50, LossSeries.Thin(Points(50), 600).Count);
        var thinned = LossSeries.Thin(Points(12_345), 600);
        Assert.Equal(600, thinned.Count);
        Assert.True(thinned.Zip(thinned.Skip(1)).All(p => p.First.Step < p.Second.Step));
        Assert.InRange(thinned[^1].Step, 12_300, 12_345);
    }

    [Fact]
    public void Smoothing_zero_is_the_raw_series_and_higher_weights_flatten_it()
    {
        var noisy = Enumerable.Range(1, 100).Select(i => new LossSeries.Point(i, i % 2 == 0 ? 2.0 : 1.0)).ToList();
        Assert.Equal(noisy, LossSeries.Smooth(noisy, 0));
        var smooth = LossSeries.Smooth(noisy, 0.9);
        Assert.Equal(1.0, smooth[0].Loss, 9); // debiased: the first point is itself
        Assert.InRange(smooth[^1].Loss, 1.4, 1.6);
    }

    [Fact]
    public void Training_time_adds_the_gaps_between_steps_and_leaves_out_a_pause_between_a_stop_and_a_resume()
    {
        var start = new DateTime(2026, 11, 1, 8, 0, 0, DateTimeKind.Utc);
        Contracts.MetricDto At(long step, double minutes) => new(step, 1, 2.0, step == 3 ? 1.9 : null, 5000, start.AddMinutes(minutes));
        // Steps a minute apart; the run stopped after step 2 and resumed two hours later.
        var metrics = new[] { At(1, 0), At(2, 1), At(3, 121), At(4, 122) };

        Assert.Equal(new double[] { 1, 2, 3, 4 }, LossSeries.XValues(metrics, againstTime: false));
        Assert.Equal(new double[] { 0, 1, 1, 2 }, LossSeries.XValues(metrics, againstTime: true));
        Assert.Equal(new LossSeries.Point(1, 1.9), Assert.Single(LossSeries.Validation(metrics, againstTime: true)));
    }
}
