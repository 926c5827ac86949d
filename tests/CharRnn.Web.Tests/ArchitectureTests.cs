using System.Reflection;
using CharRnn.Bench.Reports;
using NetArchTest.Rules;

namespace CharRnn.Web.Tests;

/// <summary>
/// The web app's shape, kept true by tests rather than by memory (docs/design.md, "Layout"): dependencies go one way.
/// Pages, APIs and hubs use the features; the features use the store (Data), the training library, the inference
/// engine and the contracts, and never a page, an API, a hub or the host's set-up.
/// </summary>
public class ArchitectureTests
{
    private static readonly Assembly Web = typeof(Program).Assembly;

    private const string Features = "CharRnn.Web.Features";
    private static readonly string[] Surfaces = ["CharRnn.Web.Apis", "CharRnn.Web.Hubs", "CharRnn.Web.Components", "CharRnn.Web.Hosting"];

    private static void AssertHolds(TestResult result, string rule) =>
        Assert.True(result.IsSuccessful, $"{rule}; these types break it: {string.Join(", ", result.FailingTypeNames ?? [])}");

    [Fact]
    public void Features_use_no_page_api_hub_or_host_set_up()
    {
        var result = Types.InAssembly(Web).That().ResideInNamespaceStartingWith(Features)
            .ShouldNot().HaveDependencyOnAny(Surfaces).GetResult();
        AssertHolds(result, "A feature imports a page, an API, a hub or the host");
    }

    [Fact]
    public void The_store_uses_no_feature_and_no_surface()
    {
        var result = Types.InAssembly(Web).That().ResideInNamespaceStartingWith("CharRnn.Web.Data")
            .ShouldNot().HaveDependencyOnAny([Features, .. Surfaces]).GetResult();
        AssertHolds(result, "The store (Data) imports a feature, a page, an API, a hub or the host");
    }

    [Fact]
    public void Pages_apis_and_hubs_reach_the_store_only_through_the_features()
    {
        var result = Types.InAssembly(Web).That().ResideInNamespaceStartingWith("CharRnn.Web.Apis")
            .Or().ResideInNamespaceStartingWith("CharRnn.Web.Hubs").Or().ResideInNamespaceStartingWith("CharRnn.Web.Components")
            .ShouldNot().HaveDependencyOnAny("CharRnn.Web.Data.StudioDbContext", "Microsoft.EntityFrameworkCore", "CharRnn.Web.Data.DataFolder").GetResult();
        AssertHolds(result, "A page, an API or a hub queries the store itself");
    }

    [Fact]
    public void The_contracts_and_the_inference_engine_depend_on_no_other_part_of_the_app_nor_on_native_or_web_code()
    {
        AssertHolds(Types.InAssembly(typeof(TrainingOptions).Assembly).ShouldNot()
            .HaveDependencyOnAny("CharRnn.Inference", "CharRnn.Training", "CharRnn.Web", "TorchSharp", "Microsoft.AspNetCore").GetResult(),
            "The contracts (shared with the browser) depend on another part of the app");
        AssertHolds(Types.InAssembly(typeof(Inference.Vocabulary).Assembly).ShouldNot()
            .HaveDependencyOnAny("CharRnn.Training", "CharRnn.Web", "TorchSharp", "Microsoft.AspNetCore").GetResult(),
            "The inference engine (which runs in the browser) depends on libtorch, ASP.NET or the app");
    }

    [Fact]
    public void The_browsers_pages_declare_no_copies_of_the_contracts()
    {
        var client = typeof(CharRnn.Web.Client.Routes).Assembly;
        var copies = client.GetTypes().Where(t => typeof(TrainingOptions).Assembly.GetType($"CharRnn.Contracts.{t.Name}") is not null).Select(t => t.FullName);
        Assert.Empty(copies);
    }

    [Fact]
    public void Each_feature_folder_holds_at_most_twelve_files_and_the_web_project_no_drawer()
    {
        var features = RepositoryPath.Resolve("src/CharRnn.Web/Features");
        var folders = Directory.GetDirectories(features);
        Assert.True(folders.Length >= 8, $"only {folders.Length} feature folders under {features}");
        Assert.All(folders, folder => Assert.InRange(Directory.GetFiles(folder, "*.cs").Length, 1, 12));
        Assert.False(Directory.Exists(RepositoryPath.Resolve("src/CharRnn.Web/Services")), "Services/ is back: put each service in the folder of its feature");
    }
}
