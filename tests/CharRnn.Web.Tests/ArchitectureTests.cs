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
        AssertHolds(Types.InAssembly(typeof(Inference.Tokens.Vocabulary).Assembly).ShouldNot()
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

    /// <summary>Each folder of concepts in <paramref name="project"/> holds at most twelve C# files, and its root none: a file goes where its concept lives.</summary>
    [Theory]
    [InlineData("src/CharRnn.Web/Features", 8)]
    [InlineData("src/CharRnn.Inference", 4)]
    [InlineData("src/CharRnn.Training", 4)]
    public void Each_concept_folder_holds_at_most_twelve_files_and_the_root_none(string project, int atLeast)
    {
        var root = RepositoryPath.Resolve(project);
        var folders = Directory.GetDirectories(root).Where(f => Path.GetFileName(f) is not ("bin" or "obj")).ToList();
        Assert.True(folders.Count >= atLeast, $"only {folders.Count} folders under {root}");
        Assert.All(folders, folder => Assert.InRange(Directory.GetFiles(folder, "*.cs", SearchOption.AllDirectories).Length, 1, 12));
        Assert.Empty(Directory.GetFiles(root, "*.cs").Select(Path.GetFileName));
    }

    /// <summary>
    /// No folder of the web app's surfaces or of the tests holds more than twelve source files (C# or Razor) of its own:
    /// a reader takes a folder in at a glance, and a file goes into the folder of its concept.
    /// </summary>
    [Theory]
    [InlineData("src/CharRnn.Web/Apis")]
    [InlineData("src/CharRnn.Web/Components")]
    [InlineData("tests/CharRnn.Inference.Tests")]
    [InlineData("tests/CharRnn.Training.Tests")]
    [InlineData("tests/CharRnn.Web.Tests")]
    [InlineData("tests/CharRnn.Cli.Tests")]
    [InlineData("tests/CharRnn.Bench.Tests")]
    [InlineData("tests/CharRnn.Testing")]
    public void No_folder_of_the_surfaces_or_the_tests_holds_more_than_twelve_source_files(string tree)
    {
        var root = RepositoryPath.Resolve(tree);
        var folders = Directory.GetDirectories(root, "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(root, f).Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj")).Prepend(root);
        var crowded = folders.Select(f => (Folder: Path.GetRelativePath(RepositoryPath.Resolve("."), f),
                Files: Directory.GetFiles(f).Count(file => Path.GetExtension(file) is ".cs" or ".razor")))
            .Where(f => f.Files > 12).Select(f => $"{f.Folder} ({f.Files})").ToList();
        Assert.True(crowded.Count == 0, $"These folders hold more than twelve source files: {string.Join(", ", crowded)}");
    }

    [Fact]
    public void The_web_project_has_no_drawer() =>
        Assert.False(Directory.Exists(RepositoryPath.Resolve("src/CharRnn.Web/Services")), "Services/ is back: put each service in the folder of its feature");
}
