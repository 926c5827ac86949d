using System.Text;
using Bunit;
using CharRnn.Web.Components.Pages;
using Microsoft.AspNetCore.Components.Forms;

namespace CharRnn.Web.Tests.Pages;

public class BooksPageTests : PageTestContext
{
    [Fact]
    public void Uploading_a_book_lists_it_with_its_size_alphabet_encoding_and_preview()
    {
        var cut = Render<Books>();
        var text = string.Concat(Enumerable.Repeat("Все счастливые семьи похожи друг на друга.\r\n", 20));

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(Encoding.GetEncoding(1251).GetBytes(text), "anna-ru.txt"));

        cut.WaitForAssertion(() =>
        {
            var row = cut.Find("tbody tr");
            Assert.Contains("anna-ru", row.TextContent);
            Assert.Contains("windows-1251", row.TextContent);
            Assert.Contains((text.Length - 20).ToString("N0"), row.TextContent); // CRLF became LF
        });
        Assert.StartsWith("Все счастливые семьи", cut.Find("[data-preview]").TextContent);
    }

    [Fact]
    public void An_empty_file_shows_why_and_stores_nothing()
    {
        var cut = Render<Books>();
        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary([], "empty.txt"));

        cut.WaitForAssertion(() => Assert.Contains("The file is empty.", cut.Find("[data-upload-error]").TextContent));
        Assert.Contains("No books yet", cut.Markup);
    }

    [Fact]
    public void A_file_over_the_limit_is_refused_before_it_is_read()
    {
        var cut = Render<Books>();
        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(new string('a', 100_001), "big.txt"));
        cut.WaitForAssertion(() => Assert.Contains("the limit is", cut.Find("[data-upload-error]").TextContent));
    }

    static BooksPageTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
}
