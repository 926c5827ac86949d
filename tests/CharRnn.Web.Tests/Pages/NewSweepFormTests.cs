using CharRnn.Web.Components.Pages;

namespace CharRnn.Web.Tests.Pages;

/// <summary>The New sweep form read into a request, as typed: no server, no page. Submitting it is SweepBrowserTests' end-to-end run.</summary>
public class NewSweepFormTests
{
    [Fact]
    public void The_form_starts_as_the_readmes_quick_cpu_search_and_makes_that_request()
    {
        var form = new NewSweepForm { BookId = 3, Seed = 5 };

        var (request, problems) = form.ToRequest();

        Assert.Empty(problems);
        Assert.Equal((3, SweepMethod.Random, 12, 2, 5), (request!.BookId, request.Method, request.Trials, request.Concurrency, request.Seed));
        Assert.Equal(new SweepBase("quick"), request.Base);
        Assert.Equal(new EarlyStopping(Eta: 3), request.EarlyStopping);
        Assert.Equal([0.003, 0.03], request.Parameters["learningRate"].LogUniform!);
        Assert.Equal([0.0, 0.1, 0.2], request.Parameters["dropout"].Values!.Select(v => v.GetDouble()));
        Assert.Equal([SpaceKind.LogUniform, SpaceKind.Values, SpaceKind.Values], request.Parameters.Values.Select(p => p.Kind!.Value));
        Assert.Null(request.Name);
    }

    [Fact]
    public void Each_kind_of_row_becomes_its_space_and_words_stay_words()
    {
        var form = new NewSweepForm { Name = "  mine ", BaseRunId = 9, EarlyStopping = false, Method = SweepMethod.Grid, Trials = null };
        form.Rows.Clear();
        form.Rows.Add(new() { Option = "dropout", Kind = SpaceKind.Uniform, Low = "0", High = "0.5" });
        form.Rows.Add(new() { Option = "hidden", Kind = SpaceKind.IntUniform, Low = "16", High = "64" });
        form.Rows.Add(new() { Option = "schedule", Kind = SpaceKind.Values, Values = "cosine, constant" });

        var (request, problems) = form.ToRequest();

        Assert.Empty(problems);
        Assert.Equal([0.0, 0.5], request!.Parameters["dropout"].Uniform!);
        Assert.Equal([16L, 64L], request.Parameters["hidden"].IntUniform!);
        Assert.Equal(["cosine", "constant"], request.Parameters["schedule"].Values!.Select(v => v.GetString()));
        Assert.Equal(new SweepBase(RunId: 9), request.Base);
        Assert.Null(request.EarlyStopping);
        Assert.Equal("  mine ", request.Name); // the service trims it, as it does a script's
    }

    [Fact]
    public void A_range_end_that_is_no_number_and_an_option_listed_twice_are_said_and_make_no_request()
    {
        var form = new NewSweepForm();
        form.Rows.Add(new() { Option = "learningRate", Kind = SpaceKind.Values, Values = "0.1" });
        form.Rows.Add(new() { Option = "hidden", Kind = SpaceKind.IntUniform, Low = "sixteen", High = "64" });

        var (request, problems) = form.ToRequest();

        Assert.Null(request);
        Assert.Equal(["learningRate is listed twice.", "hidden's range needs two numbers, its low and high ends."], problems);
    }
}
