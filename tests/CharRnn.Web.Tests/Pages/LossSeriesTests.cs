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
}
