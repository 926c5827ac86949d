using System.Text;
using CharRnn.Training.Batches;

namespace CharRnn.Training.Tests;

public class BookTextTests
{
    static BookTextTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private const string Russian = "Все счастливые семьи похожи друг на друга, каждая несчастливая семья несчастлива по-своему.\r\n"
        + "Все смешалось в доме Облонских. Жена узнала, что муж был в связи с бывшею в их доме француженкою-гувернанткой, "
        + "и объявила мужу, что не может жить с ним в одном доме.\r\n";

    [Fact]
    public void Utf8_text_is_read_with_crlf_and_lone_cr_turned_into_lf()
    {
        var book = BookText.Decode(Encoding.UTF8.GetBytes("one\r\ntwo\rthree\n😀"));
        Assert.Equal("one\ntwo\nthree\n😀", book.Text);
        Assert.Equal("utf-8", book.Encoding);
    }

    [Fact]
    public void A_utf8_byte_order_mark_is_dropped()
    {
        var book = BookText.Decode([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("Привет")]);
        Assert.Equal("Привет", book.Text);
        Assert.Equal("utf-8", book.Encoding);
    }

    [Fact]
    public void Windows_1251_russian_is_detected_and_decoded_to_proper_cyrillic()
    {
        var bytes = Encoding.GetEncoding(1251).GetBytes(Russian + Russian);
        var book = BookText.Decode(bytes);
        Assert.Equal("windows-1251", book.Encoding);
        Assert.StartsWith("Все счастливые семьи похожи друг на друга", book.Text);
        Assert.DoesNotContain('\r', book.Text);
    }

    [Fact]
    public void Utf16_with_a_byte_order_mark_is_read()
    {
        var book = BookText.Decode([.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes("Hello, мир")]);
        Assert.Equal("Hello, мир", book.Text);
    }

    [Fact]
    public void An_empty_file_is_refused()
    {
        var error = Assert.Throws<TextLoadException>(() => BookText.Decode([]));
        Assert.Equal("The file is empty.", error.Message);
    }

    [Fact]
    public void A_file_of_white_space_is_refused()
    {
        var error = Assert.Throws<TextLoadException>(() => BookText.Decode(Encoding.UTF8.GetBytes(" \r\n\t ")));
        Assert.Contains("holds no text", error.Message);
    }

    [Fact]
    public void A_binary_file_is_refused()
    {
        var png = new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52 };
        var error = Assert.Throws<TextLoadException>(() => BookText.Decode(png));
        Assert.Contains("looks binary", error.Message);
    }

    [Fact]
    public void Control_codes_without_nul_bytes_are_refused_as_binary()
    {
        var bytes = Enumerable.Range(0, 2000).Select(i => (byte)(i % 2 == 0 ? 0x01 : 'a')).ToArray();
        var error = Assert.Throws<TextLoadException>(() => BookText.Decode(bytes));
        Assert.Contains("control codes", error.Message);
    }

    [Fact]
    public void The_notebook_corpus_reads_as_the_notebook_read_it()
    {
        var book = BookText.Load(Corpus.AnnaPath);
        Assert.Equal(2_025_486, book.SizeBytes);
        Assert.Equal(1_985_223, book.Text.Length);
        Assert.Equal(83, book.Text.Distinct().Count());
    }
}
